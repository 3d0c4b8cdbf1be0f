"""Regions from everything a report says, in order of trust: title and issuer, metadata, preface.

Expected regions are written by hand from the administrative divisions.
"""

from __future__ import annotations

from indexer.parse import parse_text

BODY = "一、主要举措和成效\n（一）加强组织领导。全年召开法治建设专题会议3次，推进依法行政工作。\n"


def region(text: str) -> dict:
    return parse_text(text, "t").region.as_dict()


def test_metadata_never_makes_a_provincial_report_a_city_report() -> None:
    text = "发布机构：福州市人民政府\n成文日期：2022-03-30\n福建省2021年度法治政府建设情况\n" + BODY
    assert region(text) == {"province": "福建省", "city": None, "county": None, "town": None}


def test_a_conflicting_metadata_issuer_is_ignored() -> None:
    text = "发布机构：浑源县人民政府\n索引号：123/2025-1\n渠县2024年法治政府建设情况报告\n" + BODY
    assert region(text) == {"province": "四川省", "city": "达州市", "county": "渠县", "town": None}


def test_metadata_issuer_names_the_county_of_a_town_title() -> None:
    text = "- 发布机构:滕州市羊庄镇人民政府\n- 索 引 号:1137/2024-1\n羊庄镇2023年法治政府建设情况报告\n"
    assert region(text + BODY) == {
        "province": "山东省",
        "city": "枣庄市",
        "county": "滕州市",
        "town": "羊庄镇",
    }


def test_preface_names_the_unit_with_low_confidence() -> None:
    report = parse_text(
        "2023年法治政府建设年度情况报告\n"
        "现将北京市石景山区人民政府2023年法治政府建设年度情况报告如下。\n" + BODY,
        "t",
    )
    assert report.region.as_dict() == {
        "province": "北京市",
        "city": "北京市",
        "county": "石景山区",
        "town": None,
    }
    assert "region.county" in report.low_confidence
    assert any("正文开头" in w for w in report.warnings)


def test_a_stray_site_line_above_the_title_never_wins() -> None:
    for stray in ("福州市", "福州市人民政府"):
        text = f"{stray}\n福建省2021年度法治政府建设情况\n" + BODY
        assert region(text) == {"province": "福建省", "city": None, "county": None, "town": None}


def test_no_evidence_leaves_the_region_empty_with_a_warning() -> None:
    report = parse_text("2023年法治政府建设情况报告\n" + BODY, "t")
    assert report.region.as_dict() == dict.fromkeys(("province", "city", "county", "town"))
    assert report.warnings
