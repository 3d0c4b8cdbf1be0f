"""Body layouts and outline wordings real reports use (tests/fixtures/body/), expected by hand.

Each unit is (kind, part, depth, text): H = heading, T = text; depth = len(section_path), so a
heading's own level and a paragraph's nesting are both pinned. The title block and closing are
furniture (listed in `dropped`), so the expected units are the report's whole body.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.parse import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "body"
P, M, R, S, N, X = "前言", "主要举措和成效", "第一责任人职责", "存在的不足和原因", "下一年度工作安排", "其他需要报告的情况"  # fmt: skip
H, T = "heading", "text"

EXPECTED = {
    # the official outline's own wording with the year filled in; sentence items 1. and （二）
    "anpai-2024.txt": [
        (T, P, 0, "2024年，某某镇坚持以习近平法治思想为指导，全面推进依法行政，法治政府建设取得新进展。现将有关情况报告如下："),
        (H, M, 1, "一、2024年推进法治政府建设的主要举措和成效"),
        (H, M, 2, "（一）全面推进依法行政规范化"),
        (T, M, 2, "1.开展执法人员轮训，全年培训不少于4期。"),
        (T, M, 2, "2.落实行政执法“三项制度”，执法案卷评查合格率达100%。"),
        (H, M, 3, "3.健全法律顾问制度。"),  # a short sentence item heading the body text after it
        (T, M, 3, "镇政府聘请常年法律顾问2名，全年审查合同36份，提出法律意见52条。"),
        (H, M, 2, "（二）依法有效化解社会矛盾纠纷"),
        (T, M, 2, "深化“枫桥经验”，全年排查矛盾纠纷186件，调解成功181件。"),
        (H, R, 1, "二、党政主要负责人履行推进法治建设第一责任人职责情况"),
        (T, R, 1, "镇党委书记带头学法，全年主持召开法治专题会议4次。"),
        (H, S, 1, "三、存在的不足和原因"),
        (T, S, 1, "（一）法治宣传方式较为单一。"),
        (T, S, 1, "（二）基层法治力量仍显不足。"),
        (T, S, 1, "（三）部分干部运用法治思维的能力有待提高，遇到复杂问题习惯于用行政手段解决。"),
        (H, N, 1, "四、2025年推进法治政府建设的主要安排"),
        (H, N, 2, "（一）深入学习贯彻习近平法治思想"),
        (T, N, 2, "把习近平法治思想纳入镇党委理论学习中心组年度学习计划。"),
        (H, N, 2, "（二）提升行政执法质效"),
        (T, N, 2, "1.组织执法人员参加全县执法能力考试。"),
        (T, N, 2, "2.开展行政执法案卷评查，全年不少于2次。"),
    ],
    # a combined heading whose sub-headings decide their own part; 第一责任人 under 主要举措
    "combined-2022.txt": [
        (T, P, 0, "2022年，某某乡在县委、县政府的坚强领导下，扎实推进法治政府建设各项工作。"),
        (H, M, 1, "一、主要举措和成效"),
        (H, M, 2, "（一）健全依法决策机制"),
        (T, M, 2, "严格落实重大行政决策程序，全年提交乡党委会集体讨论重大事项12项。"),
        (H, R, 2, "（二）主要负责人履行推进法治建设第一责任人职责"),
        (T, R, 2, "乡党委书记、乡长带头述法，全年专题研究法治工作3次。"),
        (H, M, 2, "（三）深化法治宣传教育"),
        (T, M, 2, "开展“法律进村”活动24场，发放宣传资料5000余份。"),
        (H, S, 1, "二、存在的问题及2023年工作思路"),
        (H, S, 2, "（一）存在的问题"),
        (T, S, 2, "一是法治宣传的针对性不强。二是行政执法人员数量不足。"),
        (H, N, 2, "（二）下一步工作举措"),
        (H, N, 3, "1.强化学法用法"),
        (T, N, 3, "健全领导干部学法制度，全年集中学法不少于4次。"),
        (H, N, 3, "2.规范行政执法"),
        (T, N, 3, "开展执法案卷评查，推动执法规范化。"),
    ],
    # run-in headings with several commas; 下一步工作打算; 三、存在的不足 alone
    "runin-2023.txt": [
        (T, P, 0, "2023年，某某街道深入学习贯彻习近平法治思想，法治政府建设迈出新步伐。"),
        (H, M, 1, "一、推进法治政府建设的主要举措和成效"),
        (H, M, 2, "（一）深化依法治区，坚定法治道路，激发法治前进定力。"),
        (T, M, 2, "街道党工委把法治建设纳入年度重点工作，全年召开专题会议5次，研究解决法治建设重大问题8个。"),
        (H, M, 2, "（二）强化制度建设，规范权力运行，夯实依法行政基础。"),
        (T, M, 2, "修订完善街道议事规则、合同管理办法等制度11项。"),
        (H, M, 3, "1.严格合法性审查："),
        (T, M, 3, "街道法律顾问全年审查行政合同42份，出具法律意见书15份。"),
        (H, R, 1, "二、第一责任人履职情况"),
        (T, R, 1, "街道党工委书记切实履行推进法治建设第一责任人职责，带头讲法治课2次。"),
        (H, S, 1, "三、存在的不足"),
        (T, S, 1, "社区法律服务资源分布不均，部分居民法治意识有待增强。"),
        (H, N, 1, "四、下一步工作打算"),
        (H, N, 2, "（一）抓学习，促提升，筑牢法治思想根基。"),
        (T, N, 2, "持续开展领导干部应知应会法律法规学习。"),
        (H, N, 2, "（二）抓执法，促规范。"),
        (T, N, 2, "全面推行行政执法公示制度。"),
    ],
    # the whole body on one line: cut at real outline markers and paragraph indents only
    "oneline-2023.txt": [
        (T, P, 0, "2023年，某某镇认真贯彻落实上级关于法治政府建设的决策部署，现将有关情况报告如下："),
        (H, M, 1, "一、主要举措和成效"),
        (H, M, 2, "（一）加强组织领导。"),
        (T, M, 2, "镇党委、镇政府成立法治政府建设领导小组，按照《工作方案》（1）项要求，全年召开专题会议4次，研究法治建设重点任务统一、规范推进。"),
        (H, M, 2, "（二）规范行政执法。"),
        (T, M, 2, "全面落实行政执法公示制度，执法全过程记录率达100%，办理行政执法案件数为上年的1.5倍。"),
        (H, R, 1, "二、党政主要负责人履行第一责任人职责情况"),
        (T, R, 1, "镇党委书记认真履行第一责任人职责，带头学习宪法和民法典，全年讲授法治专题党课2次。"),
        (H, S, 1, "三、存在的不足和原因"),
        (T, S, 1, "法治宣传的覆盖面还不够广，村级法律顾问作用发挥不充分，群众运用法律维护权益的意识有待增强。"),
        (H, N, 1, "四、2024年工作思路"),
        (T, N, 1, "1.持续深化法治宣传教育。"),
        (T, N, 1, "2.加强行政执法人员培训。"),
    ],
    # traditional characters: 主要舉措和成效, 第一責任人, 存在的不足, 下一年度工作安排
    "traditional-2024.txt": [
        (T, P, 0, "2024年，某某鄉堅持以習近平法治思想為指導，紮實推進依法行政。"),
        (H, M, 1, "一、主要舉措和成效"),
        (H, M, 2, "（一）加強組織領導"),
        (T, M, 2, "鄉黨委把法治政府建設列入重要議事日程，全年專題研究法治工作3次。"),
        (H, R, 1, "二、黨政主要負責人履行推進法治建設第一責任人職責情況"),
        (T, R, 1, "鄉黨委書記帶頭學法用法，全年講授法治課2次。"),
        (H, S, 1, "三、存在的不足"),
        (T, S, 1, "基層法治隊伍力量薄弱，專業人才缺乏。"),
        (H, N, 1, "四、下一年度工作安排"),
        (H, N, 2, "（一）加強法治宣傳教育"),
        (T, N, 2, "深入開展“八五”普法，推動法律進村入戶。"),
    ],
}  # fmt: skip


def units(name: str) -> list[tuple[str, str, int, str]]:
    """Every unit of the report: the title block and closing must not be among them."""
    report = parse_file(FIXTURES / name)
    return [(p.kind, p.section, len(p.section_path), p.text) for p in report.paragraphs]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_units_parts_and_levels(name):
    assert units(name) == EXPECTED[name]


def test_every_fixture_is_listed():
    assert sorted(p.name for p in FIXTURES.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_headings_end_their_own_paths_and_ids_are_anchors(name):
    report = parse_file(FIXTURES / name)
    assert [p.id for p in report.paragraphs] == [
        f"p{i}" for i in range(1, len(report.paragraphs) + 1)
    ]
    for unit in report.paragraphs:
        if unit.kind == H:  # the path shows the heading without its closing 。 or ：
            assert unit.text.rstrip("。：:") == unit.section_path[-1]
