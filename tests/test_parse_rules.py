"""Parsing rules on small reports written for each rule."""

from __future__ import annotations

import pytest

from indexer.errors import ParseError
from indexer.parse import parse_text

HEAD = "某某县某某镇人民政府\n关于2023年法治政府建设情况的报告\n"


def parse(body: str, head: str = HEAD):
    return parse_text(head + body, "t")


def text_units(report):
    """The text units (headings are units of their own, kind=heading)."""
    return [p for p in report.paragraphs if p.kind == "text"]


def paths(report):
    return [p.section_path for p in text_units(report)]


@pytest.mark.parametrize(
    "one, two, three",
    [
        ("一、", "（一）", "1."),
        ("一、", "(一)", "1、"),
        ("一. ", "（一） ", "（1）"),
        ("一、 ", "(一) ", "①"),
        ("一、", "（一）", "1．"),
    ],
)
def test_heading_styles_nest(one, two, three):
    body = (
        f"{one}主要举措和成效\n{two}加强组织领导\n{three}健全工作机制\n"
        "成立了领导小组，推进依法行政。\n"
        f"{three.replace('1', '2').replace('①', '②')}落实法律顾问\n聘请法律顾问1名，参与合法性审查。\n"
    )
    report = parse(body)
    first, second = paths(report)
    assert len(first) == 3 and first[0].startswith(one.strip())
    assert second[:2] == first[:2] and second[2] != first[2]


def test_run_in_heading_is_a_heading_and_a_paragraph():
    report = parse(
        "一、主要举措和成效\n（一）加强组织领导。成立了法治建设领导小组，定期研究法治工作。\n"
    )
    top, head, p = report.paragraphs
    assert (top.kind, top.text, top.section_path) == ("heading", "一、主要举措和成效", [top.text])
    assert (head.kind, head.text) == ("heading", "（一）加强组织领导。")  # as printed
    assert (p.kind, p.text) == ("text", "成立了法治建设领导小组，定期研究法治工作。")
    assert p.section_path == head.section_path == ["一、主要举措和成效", "（一）加强组织领导"]
    assert [u.id for u in report.paragraphs] == ["p1", "p2", "p3"]


def test_ordinal_enumeration_inside_a_paragraph_is_not_a_heading():
    report = parse(
        "一、主要举措和成效\n一是加强学习。组织学法4次，推进法治建设。二是规范执法。开展执法检查。\n"
        "二是强化监督。自觉接受人大监督，依法公开政务信息。\n"
    )
    assert paths(report) == [["一、主要举措和成效"], ["一、主要举措和成效"]]
    assert text_units(report)[1].text.startswith("二是强化监督。")


def test_ordinal_alone_on_its_line_is_a_heading():
    report = parse("一、主要举措和成效\n一是依法决策部署。\n全年召开法治专题会议3次。\n")
    assert paths(report) == [["一、主要举措和成效", "一是依法决策部署"]]


def test_mixed_top_level_numbering():
    report = parse(
        "1、主要举措和成效\n（一）组织领导\n推进法治政府建设。\n"
        "2、党政主要负责人履行推进法治建设第一责任人职责\n书记带头学法。\n"
        "三、存在的问题\n法治宣传不够。\n"
    )
    assert paths(report) == [
        ["1、主要举措和成效", "（一）组织领导"],
        ["2、党政主要负责人履行推进法治建设第一责任人职责"],
        ["三、存在的问题"],
    ]
    assert [p.section for p in text_units(report)] == [
        "主要举措和成效",
        "第一责任人职责",
        "存在的不足和原因",
    ]


def test_deepest_heading_decides_the_part():
    report = parse(
        "三、存在的问题及2024年工作思路目标举措\n（一）存在的问题\n法治意识有待加强。\n"
        "（二）下一步工作举措\n强化责任落实。\n"
    )
    assert [p.section for p in text_units(report)] == ["存在的不足和原因", "下一年度工作安排"]


def test_page_numbers_running_headers_and_artefacts_are_dropped():
    header = "某某镇2023年法治政府建设情况报告"
    body = (
        "一、主要举措和成效\n全镇推进依法行政，落实法律顾问制度，全年审核合同\n"
        f"— 1 —\n\f{header}\n68件。\n- 2 -\n\f{header}\n[bookmark: _GoBack]二、存在的不足和原因\n"
        f"普法形式单一。\n第3页 共4页\n\f{header}\n三、下一年度工作安排\n加强学法。\n"
    )
    report = parse(body, head=f"{header}\n")
    assert [p.text for p in text_units(report)] == [
        "全镇推进依法行政，落实法律顾问制度，全年审核合同68件。",
        "普法形式单一。",
        "加强学法。",
    ]
    assert report.title == header


def test_hard_wrapped_text_is_rejoined_including_split_numbers():
    sentence = "镇司法所联合派出所和法庭开展矛盾纠纷排查化解工作，全年共调解各类纠纷"
    lines = []
    for i in range(6):
        lines += [
            f"{sentence}{i}",
            "起，调解成功率达到百分之九十八以上，群众满意度持续提升并且稳步向好。",
        ]
    lines[-1] = "起。全年共办理各类案件13"
    body = "一、主要举措和成效\n" + "\n".join(lines) + "\n1件，同比下降。\n"
    report = parse(body)
    (p,) = text_units(report)
    assert "纠纷0起，调解" in p.text and "131件，同比下降。" in p.text


def test_addressee_and_closing_block_become_metadata():
    report = parse(
        "区委、区政府：\n2023年，我镇推进法治建设。现将有关情况报告如下：\n一、主要举措和成效\n加强学法。\n"
        "特此报告。\n\n某某县某某镇人民政府\n2024年1月10日\n"
    )
    assert [p.text for p in text_units(report)] == [
        "2023年，我镇推进法治建设。现将有关情况报告如下：",
        "加强学法。",
    ]
    assert report.issued == "2024-01-10"


def test_chinese_numeral_date_in_closing():
    report = parse("一、主要举措和成效\n加强学法。\n某某镇人民政府\n二〇二四年一月十日\n")
    assert report.issued == "2024-01-10"


@pytest.mark.parametrize(
    "title, year",
    [
        ("关于2023年法治政府建设情况的报告", 2023),
        ("某镇2024年度法治政府建设工作报告", 2024),
        ("某镇关于２０２２年法治政府建设情况的报告", 2022),
        ("某镇关于二〇二一年度法治政府建设情况的报告", 2021),
    ],
)
def test_year_from_title(title, year):
    report = parse_text(
        f"{title}\n2025年1月5日，我镇依法行政。（2021-2025年）规划推进法治。\n", "t"
    )
    assert report.year == year
    assert "year" not in report.low_confidence


def test_year_is_the_covered_year_not_dates_doc_numbers_or_plans():
    text = (
        "某镇人民政府关于法治政府建设情况的报告\n"
        "根据《某县2024年法治工作要点》（某府发〔2024〕3号）和《法治政府建设实施纲要（2021-2025年）》要求，"
        "2023年我镇推进依法行政。\n一、主要举措和成效\n2023年开展普法20场，2023年审核合同68件。\n"
        "二、2024年工作计划\n2024年将加强学法，2024年开展执法培训，2024年完善制度。\n"
        "某镇人民政府\n2024年1月10日\n"
    )
    report = parse_text(text, "t")
    assert report.year == 2023
    assert "year" in report.low_confidence
    assert any("推断" in w for w in report.warnings)


def test_unknowable_year_is_left_empty_with_a_warning():
    report = parse_text(
        "某镇人民政府关于法治政府建设情况的报告\n一、主要举措和成效\n推进依法行政。\n", "t"
    )
    assert report.year is None
    assert report.warnings


def test_title_spanning_lines_and_subtitle():
    report = parse_text(
        "西乌珠穆沁旗人民政府2024年度法治政府建设情况报告\n2025年3月17日在西乌珠穆沁旗第十六届人民代表大会\n"
        "常务委员会第二十四次会议上\n主任、各位副主任：\n一、主要举措和成效\n推进依法行政。\n",
        "t",
    )
    assert report.title == (
        "西乌珠穆沁旗人民政府2024年度法治政府建设情况报告\n2025年3月17日在西乌珠穆沁旗第十六届人民代表大会\n"
        "常务委员会第二十四次会议上"
    )
    assert report.year == 2024
    assert report.issued == "2025-03-17"


def test_joint_issuers_are_both_kept():
    report = parse_text(
        "中共楠木铺乡党委楠木铺乡人民政府关于2024年法治政府建设工作的报告\n一、主要举措和成效\n推进依法行政。\n",
        "t",
    )
    assert report.issuers == ["中共楠木铺乡党委", "楠木铺乡人民政府"]
    assert report.region.town == "楠木铺乡"


def test_text_that_is_not_such_a_report_is_rejected():
    with pytest.raises(ParseError) as err:
        parse_text("红烧肉的做法\n五花肉洗净切块，冷水下锅焯水。\n加入冰糖炒出糖色。\n", "recipe")
    assert "法治" in err.value.reason


def test_empty_text_is_rejected():
    with pytest.raises(ParseError):
        parse_text("\n \u3000\n\f\n", "empty")


def test_report_ids_are_stable_and_url_safe():
    from pathlib import Path

    from indexer.parse import report_id_for

    assert report_id_for(Path("corpus/cq-dazu-wangu-2023.txt")) == "cq-dazu-wangu-2023"
    chinese = report_id_for(Path("广阳镇2023年报告.docx"))
    assert chinese == report_id_for(Path("other/广阳镇2023年报告.pdf"))
    assert chinese.startswith("r-") and chinese.isascii() and chinese.replace("-", "").isalnum()
    assert report_id_for(Path("a b&c.txt")).startswith("r-")
