"""The five real reports in corpus/: metadata, outline parts and paragraph texts pinned exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"

METADATA = {
    "cq-nanan-guangyang-2023": {
        "title": "重庆市南岸区广阳镇人民政府\n关于2023年法治政府建设情况的报告",
        "issuer": "重庆市南岸区广阳镇人民政府",
        "region": {"province": "重庆市", "city": "重庆市", "county": "南岸区", "town": "广阳镇"},
        "year": 2023,
        "issued": None,
        "doc_number": None,
        "level": "town",
    },
    "cq-shapingba-qingmuguan-2022": {
        "title": "重庆市沙坪坝区青木关镇人民政府\n关于2022年法治政府建设情况的报告",
        "issuer": "重庆市沙坪坝区青木关镇人民政府",
        "region": {
            "province": "重庆市",
            "city": "重庆市",
            "county": "沙坪坝区",
            "town": "青木关镇",
        },
        "year": 2022,
        "issued": None,
        "doc_number": None,
        "level": "town",
    },
    "ha-baofeng-zhaozhuang-2023": {
        "title": "宝丰县赵庄镇人民政府\n关于2023年法治政府建设情况的报告",
        "issuer": "宝丰县赵庄镇人民政府",
        "region": {"province": "河南省", "city": "平顶山市", "county": "宝丰县", "town": "赵庄镇"},
        "year": 2023,
        "issued": None,
        "doc_number": None,
        "level": "town",
    },
    "cq-dazu-wangu-2023": {
        "title": "中共重庆市大足区万古镇委 重庆市大足区万古镇人民政府 关于2023年法治政府建设情况的报告",
        "issuer": "中共重庆市大足区万古镇委、重庆市大足区万古镇人民政府",
        "region": {"province": "重庆市", "city": "重庆市", "county": "大足区", "town": "万古镇"},
        "year": 2023,
        "issued": "2024-01-10",
        "doc_number": "万古委文〔2024〕2号",
        "level": "town",
    },
    "cq-dazu-tongqiao-2023": {
        "title": "中共重庆市大足区通桥街道工委\n重庆市大足区人民政府通桥街道办事处\n2023年法治政府建设情况报告",
        "issuer": "中共重庆市大足区通桥街道工委、重庆市大足区人民政府通桥街道办事处",
        "region": {"province": "重庆市", "city": "重庆市", "county": "大足区", "town": "通桥街道"},
        "year": 2023,
        "issued": None,
        "doc_number": None,
        "level": "town",
    },
}

P, M, R, S, N, X = (
    "前言",
    "主要举措和成效",
    "第一责任人职责",
    "存在的不足和原因",
    "下一年度工作安排",
    "其他需要报告的情况",
)
SECTIONS = {
    "cq-nanan-guangyang-2023": [P] + [M] * 10 + [R] * 4 + [S] * 3 + [N] * 3 + [X],
    "cq-shapingba-qingmuguan-2022": [P] + [M] * 13 + [R] * 5 + [S] * 2 + [N] * 4,
    "ha-baofeng-zhaozhuang-2023": [P] + [R] * 4 + [M] * 3 + [S] * 3 + [N] * 4,
    "cq-dazu-wangu-2023": [P] + [M] * 9 + [R] + [S] + [N],
    "cq-dazu-tongqiao-2023": [P] + [M] * 15 + [R] + [S] * 3 + [N] * 4,
}


def text_units(report):
    """The report's text paragraphs (headings are units of their own, kind=heading)."""
    return [p for p in report.paragraphs if p.kind == "text"]


@pytest.mark.parametrize("report_id", sorted(METADATA))
def test_metadata(seeds, report_id):
    data = seeds[report_id].to_json()
    got = {key: data[key] for key in METADATA[report_id]}
    assert got == METADATA[report_id]
    assert data["report_id"] == report_id
    assert data["warnings"] == []


@pytest.mark.parametrize("report_id", sorted(SECTIONS))
def test_outline_parts(seeds, report_id):
    assert [p.section for p in text_units(seeds[report_id])] == SECTIONS[report_id]


@pytest.mark.parametrize("report_id", sorted(METADATA))
def test_paragraphs_match_golden(seeds, report_id):
    """Every paragraph's id, part, heading path and text, as reviewed by hand."""
    golden = json.loads((GOLDEN / f"{report_id}.json").read_text(encoding="utf-8"))
    got = [
        {
            "id": p.id,
            "kind": p.kind,
            "section": p.section,
            "section_path": p.section_path,
            "text": p.text,
        }
        for p in seeds[report_id].paragraphs
    ]
    assert got == golden


def test_second_part_first_in_seed_002(seeds):
    paragraphs = text_units(seeds["ha-baofeng-zhaozhuang-2023"])
    assert paragraphs[1].section_path == ["一、落实党政负责人履行推进法治建设第一责任人情况"]
    assert paragraphs[2].section_path[-1] == "（一）高度重视，全面加强法治建设组织领导"


def test_lines_broken_across_blank_lines_are_rejoined(seeds):
    texts = [p.text for p in seeds["cq-dazu-wangu-2023"].paragraphs]
    assert any("相关办站所中心、镇属相关部门负责人为成员" in t for t in texts)
    assert any("利用微信、横幅、标语等形式" in t for t in texts)
    assert any("镇街主要以劝说为主" in t for t in texts)


def test_labels_decide_the_part_under_a_mixed_heading(seeds):
    problems, plans = text_units(seeds["cq-dazu-wangu-2023"])[-2:]
    assert problems.text.startswith("存在的问题：") and problems.section == S
    assert plans.text.startswith("2024年工作思路目标举措：") and plans.section == N
    assert problems.section_path == plans.section_path == ["三、存在的问题及2023年工作思路目标举措"]


def test_header_and_closing_are_metadata_not_paragraphs(seeds):
    texts = "\n".join(p.text for p in seeds["cq-dazu-wangu-2023"].paragraphs)
    for furniture in (
        "签发人",
        "万古委文",
        "区委、区政府：",
        "特此报告",
        "党政办公室",
        "2024年1月10日",
    ):
        assert furniture not in texts
    assert "区委、区政府：" not in "\n".join(
        p.text for p in seeds["cq-shapingba-qingmuguan-2022"].paragraphs
    )


def test_conversion_artefacts_are_dropped(seeds):
    first = text_units(seeds["cq-dazu-tongqiao-2023"])[1]
    assert first.text.startswith("1.坚持以习近平新时代中国特色社会主义思想为指导")
    assert all("[bookmark" not in p.text for r in seeds.values() for p in r.paragraphs)


def test_top_level_numbered_1_2_then_san(seeds):
    paths = [p.section_path for p in text_units(seeds["cq-dazu-tongqiao-2023"])]
    assert paths[1][:2] == [
        "1、 推进法治政府建设的主要举措及成效",
        "（一）坚持把学习贯彻习近平法治思想引向深入",
    ]
    assert paths[16] == ["2、 党政主要负责人履行推进法治建设第一责任人职责"]
    assert paths[-1] == [
        "三、存在的问题及2024年工作思路目标举措",
        "（二）下一步工作举措",
        "3.加强指导培训",
    ]


def test_paragraph_ids_are_unique_anchors(seeds):
    for report in seeds.values():
        ids = [p.id for p in report.paragraphs]
        assert len(set(ids)) == len(ids)
        assert all(i[0].isalpha() and i.replace("-", "").isalnum() and i.isascii() for i in ids)


def test_original_wording_is_kept(seeds):
    texts = [p.text for p in seeds["cq-dazu-wangu-2023"].paragraphs]
    assert any("组织行政执法人员共 28 名参与" in t for t in texts)
    assert any("围绕“八·五”普法部署" in t for t in texts)
