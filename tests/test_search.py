"""Search over the real corpus, checked against answers computed by brute force from the parsed reports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass

import pytest

from indexer.analysis import normalize
from indexer.build import build
from search.engine import Engine, SearchRequest
from search.errors import BadRequest
from search.query import All, Any, Not, Term, parse
from search.snapshot import region_path
from tests.conftest import CORPUS, ROOT
from tests.test_index import QUERIES

MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


@dataclass
class Para:
    pid: str
    report_id: str
    norm: str
    text: str
    region: tuple[str, ...]
    year: int | None
    section: str


@pytest.fixture(scope="module")
def paragraphs(seeds) -> list[Para]:
    return [
        Para(
            f"{r.report_id}#{p.id}",
            r.report_id,
            normalize(p.text),
            p.text,
            region_path(r.region),
            r.year,
            p.section,
        )  # fmt: skip
        for r in seeds.values()
        for p in r.paragraphs
    ]


def satisfies(node, para: Para, strict: bool = False) -> bool:
    """The query semantics, restated independently of the engine."""
    if isinstance(node, Term):
        if node.exact or strict:
            return node.needle in para.norm
        return all(word in para.norm for word in node.words)
    if isinstance(node, Not):
        return not satisfies(node.child, para, strict)
    if isinstance(node, Any):
        return any(satisfies(c, para, strict) for c in node.children)
    assert isinstance(node, All)
    return all(satisfies(c, para, strict) for c in node.children)


def brute(paragraphs, q, regions=(), years=(), sections=()) -> dict[str, Para]:
    query = parse(q)
    out = {}
    for para in paragraphs:
        if not satisfies(query.node, para):
            continue
        if regions and not any(set(r.split("/")) <= set(para.region) for r in regions):
            continue
        if years and para.year not in years or sections and para.section not in sections:
            continue
        out[para.pid] = para
    return out


NAMES = {"2023年", "２０２３", "第一责任人"}  # words of QUERIES that name a year or part


def every(engine, q, **kw):
    return engine.search(SearchRequest.of(q=q, all=True, **kw))


def pids(result) -> list[str]:
    return [f"{h.report_id}#{h.paragraph_id}" for h in result.hits]


# --- matching ------------------------------------------------------------------------------


def test_exact_set_for_quoted_phrases_and_single_words(engine, paragraphs):
    for q in QUERIES:
        phrase = normalize(q)
        expected = {p.pid for p in paragraphs if phrase and phrase in p.norm}
        result = every(engine, f'"{q}"')
        assert sorted(pids(result)) == sorted(expected), q
        assert result.total == len(expected)
        if q in NAMES:  # typed plainly, these name a year or a part: filters, not text
            continue
        if len(parse(q).positive_terms) == 1 and len(parse(q).positive_terms[0].words) == 1:
            assert set(pids(every(engine, q))) == expected, q


@pytest.mark.parametrize(
    "q",
    [
        "法律明白人 调解", "矛盾纠纷 调解 -网格", "调解 OR 信访", "调解 | 信访 -矛盾",
        "(调解 OR 信访) 网格", "法治政府建设情况", "依法 行政 决策", "-(调解) 普法",
        "“八五”普法 宣传", "行政复议 OR (行政诉讼 应诉)",
    ],
)  # fmt: skip
def test_boolean_queries_match_brute_force(engine, paragraphs, q):
    assert sorted(pids(every(engine, q))) == sorted(brute(paragraphs, q))


def test_unquoted_runs_find_all_words_and_rank_exact_matches_first(engine, paragraphs):
    q = "法治建设"
    result = every(engine, q)
    loose = brute(paragraphs, q)
    exact = {pid for pid, p in loose.items() if normalize(q) in p.norm}
    assert len(loose) > len(exact) > 0
    flags = [h.exact for h in result.hits]
    assert flags == sorted(flags, reverse=True)  # every exact hit before every other
    assert {pid for pid, h in zip(pids(result), result.hits, strict=True) if h.exact} == exact


def test_phrase_is_narrower_than_words(engine):
    assert every(engine, '"法治政府建设情况"').total < every(engine, "法治政府建设情况").total


def test_heading_matches_count_more(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "组织开展人民调解员培训，提升调解能力。"
    (corpus / "headings.txt").write_text(
        "某某县某某镇人民政府\n关于2023年法治政府建设情况的报告\n一、主要举措和成效\n"
        f"（一）其他工作\n{body}\n（二）人民调解工作\n{body}\n",
        encoding="utf-8",
    )
    build(corpus, tmp_path / "index")
    hits = [h for h in every(Engine(tmp_path / "index"), "调解").hits if h.kind == "text"]
    assert [h.section_path[-1] for h in hits] == ["（二）人民调解工作", "（一）其他工作"]
    assert hits[0].score > hits[1].score


# --- filters and facets --------------------------------------------------------------------


def facet_counts(values) -> dict[str, int]:
    return {v.value: v.count for v in values}


def region_counts(matched: list[Para], depth: int, under: tuple[str, ...] = ()) -> Counter:
    return Counter(
        "/".join(p.region[: depth + 1])
        for p in matched
        if len(p.region) > depth and p.region[:depth] == under
    )


SELECTIONS = [
    {},
    {"region": ("重庆市",)},
    {"region": ("重庆市/大足区",), "year": ("2023",)},
    {"region": ("大足区", "宝丰县")},
    {"year": ("2022",)},
    {"year": ("2021-2023",), "section": ("主要举措和成效", "存在的不足和原因")},
    {"section": ("不足",)},
]


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize("q", ["法治", "调解 OR 普法", "法律明白人", "镇"])
def test_facet_counts_equal_brute_force(engine, paragraphs, q, selection):
    result = engine.search(SearchRequest.of(q=q, **selection))
    chosen = result.selection
    years, sections, regions = chosen.years, chosen.sections, chosen.regions
    assert result.total == len(brute(paragraphs, q, regions, years, sections))
    assert result.reports == len(
        {p.report_id for p in brute(paragraphs, q, regions, years, sections).values()}
    )
    # each facet ignores its own selection, applies the others
    by_year = brute(paragraphs, q, regions, (), sections).values()
    assert facet_counts(result.facets.year) == {
        str(y): c for y, c in Counter(p.year for p in by_year).items()
    } | {str(y): 0 for y in years if y not in {p.year for p in by_year}}
    by_section = brute(paragraphs, q, regions, years, ()).values()
    assert facet_counts(result.facets.section) == dict(Counter(p.section for p in by_section)) | {
        s: 0 for s in sections if s not in {p.section for p in by_section}
    }
    by_region = list(brute(paragraphs, q, (), years, sections).values())
    assert facet_counts(result.facets.region) == dict(region_counts(by_region, 0)) | {
        v.value: 0 for v in result.facets.region if v.value not in region_counts(by_region, 0)
    }
    for value in result.facets.region:  # expanded levels count their own children
        for child in value.children:
            parent = tuple(value.value.split("/"))
            assert child.count == region_counts(by_region, len(parent), parent)[child.value]


def test_region_facet_drills_down_and_marks_selection(engine):
    top = engine.search(SearchRequest.of(q="法治")).facets.region
    assert {v.label for v in top} == {"重庆市", "河南省"} and not any(v.children for v in top)
    tree = engine.search(SearchRequest.of(q="法治", region=("重庆市/大足区",))).facets.region
    chongqing = next(v for v in tree if v.label == "重庆市")
    dazu = next(v for v in chongqing.children if v.label == "大足区")
    assert dazu.selected and not chongqing.selected
    assert {v.label for v in chongqing.children} == {"大足区", "南岸区", "沙坪坝区"}
    assert {v.label for v in dazu.children} == {"万古镇", "通桥街道"}
    henan = next(v for v in tree if v.label == "河南省")
    assert henan.count > 0 and not henan.children  # still offered: counts ignore the region


def test_region_filter_accepts_any_level_and_paths(engine):
    for value in ("大足区", "重庆市/大足区", "重庆市 › 大足区"):
        result = every(engine, "法治", region=(value,))
        assert {h.report_id for h in result.hits} == {"cq-dazu-wangu-2023", "cq-dazu-tongqiao-2023"}
    assert {h.report_id for h in every(engine, "法治", region=("赵庄镇",)).hits} == {
        "ha-baofeng-zhaozhuang-2023"
    }


def test_unknown_region_says_so(engine):
    result = engine.search(SearchRequest.of(q="法治", region=("火星区",)))
    assert result.total == 0 and "索引中没有地区「火星区」的报告" in result.messages


def test_filters_in_query_and_parameters_combine(engine, paragraphs):
    a = every(engine, "调解 地区:大足区 年份:2023")
    b = every(engine, "调解", region=("大足区",), year=("2023",))
    assert pids(a) == pids(b) and a.total == len(brute(paragraphs, "调解", ("大足区",), (2023,)))


@pytest.mark.parametrize(
    "kw, problem",
    [
        ({"year": ("abc",)}, "年份「abc」"),
        ({"issuer_level": ("村",)}, "发布机关层级「村」"),
        ({"year": ("1800",)}, "超出范围"),
        ({"section": ("不存在",)}, "报告部分「不存在」"),
        ({"view": "cards"}, "视图「cards」"),
        ({"sort": "random"}, "排序「random」"),
        ({"page": 0}, "页码"),
        ({"per_page": 1000}, "每页条数"),
    ],
)
def test_bad_parameters_name_the_problem(engine, kw, problem):
    with pytest.raises(BadRequest, match=problem):
        engine.search(SearchRequest.of(q="法治", **kw))


def test_empty_query_gives_a_message_not_an_error(engine):
    for q in ("", "，，", "-调解"):
        result = engine.search(SearchRequest.of(q=q))
        assert result.total == 0 and result.hits == [] and result.messages, q


# --- ordering, pages, views -----------------------------------------------------------------


def test_pages_are_stable_and_cover_every_hit_once(engine):
    everything = pids(every(engine, "法治"))
    paged, page = [], 1
    while True:
        result = engine.search(SearchRequest.of(q="法治", page=page, per_page=7))
        if not result.hits:
            break
        assert result.total == len(everything) and result.pages == -(-len(everything) // 7)
        paged += pids(result)
        page += 1
    assert paged == everything and len(set(paged)) == len(paged)
    assert pids(every(engine, "法治")) == everything  # same order on every request


def test_sort_by_year_and_by_region(engine):
    years = [h.year for h in every(engine, "法治", sort="year").hits]
    assert years == sorted(years, reverse=True) and len(set(years)) == 2
    regions = [h.region_path for h in every(engine, "法治", sort="region").hits]
    assert regions == sorted(regions)


def test_reports_view_groups_by_report(engine, paragraphs):
    result = engine.search(SearchRequest.of(q="调解", view="reports"))
    expected = Counter(p.report_id for p in brute(paragraphs, "调解").values())
    assert {h.report_id: h.matches for h in result.hits} == dict(expected)
    assert result.reports == len(expected) and result.total == sum(expected.values())
    for report in result.hits:
        assert 1 <= len(report.paragraphs) <= 3
        assert {p.report_id for p in report.paragraphs} == {report.report_id}
    best = [r.paragraphs[0].score for r in result.hits]
    assert best == sorted(best, reverse=True)


def test_hits_carry_their_report_and_place(engine, seeds):
    hit = every(engine, '"法律明白人"', region=("赵庄镇",)).hits[0]
    report = seeds["ha-baofeng-zhaozhuang-2023"]
    paragraph = next(p for p in report.paragraphs if p.id == hit.paragraph_id)
    assert hit.report_id == report.report_id and hit.year == 2023
    assert hit.region == report.region and hit.section == paragraph.section
    assert hit.section_path == paragraph.section_path
    assert hit.title == " ".join(report.title.split())


# --- snippets -------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["法律明白人", '"八五普法"', "调解 信访", "法治建设", '"2023年"'])
def test_every_mark_is_an_occurrence_and_every_occurrence_is_marked(engine, paragraphs, q):
    query = parse(q)
    needles = {n for t in query.positive_terms for n in (*t.words, t.needle)}
    by_pid = {p.pid: p for p in paragraphs}
    for hit in every(engine, q).hits:
        html = hit.snippet
        marks = MARK.findall(html)
        assert marks, hit.paragraph_id
        for inner in marks:  # each mark is made of occurrences, nothing more
            shown = normalize(unescape(inner))
            assert shown and covered(shown, needles), (inner, hit.paragraph_id)
        for piece in unescape(MARK.sub("\0", html)).split("\0"):
            assert not any(n in normalize(piece) for n in needles), (piece, hit.paragraph_id)
        shown_text = unescape(re.sub(r"</?mark>", "", html)).strip("…")
        assert shown_text in by_pid[f"{hit.report_id}#{hit.paragraph_id}"].text


def covered(text: str, needles: set[str]) -> bool:
    """Every character of `text` lies in some occurrence of a needle."""
    hit = [False] * len(text)
    for needle in needles:
        start = text.find(needle)
        while start >= 0:
            hit[start : start + len(needle)] = [True] * len(needle)
            start = text.find(needle, start + 1)
    return all(hit)


def unescape(html: str) -> str:
    import html as h

    return h.unescape(html)


def test_marks_cover_quotes_inside_a_phrase(engine):
    hits = every(engine, '"八五普法"').hits
    inner = [m for h in hits for m in MARK.findall(h.snippet)]
    assert inner and all(normalize(m) == "八五普法" for m in inner)
    assert any(m != "八五普法" for m in inner) or all("八五普法" in h.snippet for h in hits)


def test_long_paragraphs_get_a_window_around_the_match(engine):
    hits = every(engine, "法律明白人").hits
    long_hit = max(hits, key=lambda h: len(h.snippet))
    text = re.sub(r"</?mark>", "", long_hit.snippet)
    assert len(text) <= 260 and "<mark>法律明白人</mark>" in long_hit.snippet


@pytest.fixture
def hostile_engine(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(
        "某某县某某镇人民政府\n关于2023年法治政府建设情况的报告\n一、主要举措和成效\n"
        '推进<script>alert("法治")</script>建设，<img src=x onerror=alert(1)>法治宣传 & 教育。\n',
        encoding="utf-8",
    )
    build(corpus, tmp_path / "index")
    return Engine(tmp_path / "index")


def test_report_markup_is_shown_as_text(hostile_engine):
    for q in ("法治", "script", "<script>", "onerror"):
        for hit in every(hostile_engine, q).hits:
            assert "<script" not in hit.snippet and "<img" not in hit.snippet
            assert "&lt;script&gt;" in hit.snippet or "&lt;" in hit.snippet
            assert set(re.findall(r"</?(\w+)", hit.snippet)) <= {"mark"}


# --- comparison -----------------------------------------------------------------------------


def test_comparison_counts_each_report_and_lists_the_silent_ones(engine, paragraphs, seeds):
    comparison = engine.compare(SearchRequest.of(q="法律明白人"))
    expected = Counter(p.report_id for p in brute(paragraphs, "法律明白人").values())
    assert {r.report_id: r.count for r in comparison.rows} == {
        rid: expected.get(rid, 0) for rid in seeds
    }
    assert {r.report_id for r in comparison.silent} == set(seeds) - set(expected)
    narrowed = engine.compare(SearchRequest.of(q="法律明白人", region=("大足区",)))
    assert {r.report_id for r in narrowed.rows} == {"cq-dazu-wangu-2023", "cq-dazu-tongqiao-2023"}


# --- command line ---------------------------------------------------------------------------


def run_cli(engine, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search", *args, "--index", str(engine.root)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


def test_cli_json_contract(engine, paragraphs):
    out = run_cli(engine, "调解", "--region", "重庆市", "--year", "2021-2023", "--json", "--all")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"total", "reports", "query_terms", "hits", "facets"} <= set(data)
    assert set(data["facets"]) == {"region", "year", "section", "issuer_level"}
    assert data["total"] == len(data["hits"]) == len(brute(paragraphs, "调解", ("重庆市",)))
    assert set(data["hits"][0]) >= {
        "report_id", "paragraph_id", "title", "region", "year", "section", "section_path",
        "snippet", "exact",
    }  # fmt: skip
    assert data["query_terms"] == [
        {"text": "调解", "exact": False, "words": ["调解"], "excluded": False}
    ]


def test_cli_pages_views_and_errors(engine):
    page2 = json.loads(run_cli(engine, "法治", "--page", "2", "--json").stdout)
    assert page2["page"] == 2 and len(page2["hits"]) == 20
    reports = json.loads(run_cli(engine, "调解", "--view", "reports", "--json").stdout)
    assert all("matches" in h and "paragraphs" in h for h in reports["hits"])
    bad = run_cli(engine, "法治", "--year", "去年")
    assert bad.returncode == 2 and "年份「去年」" in bad.stderr and "Traceback" not in bad.stderr
    plain = run_cli(engine, "法律明白人")
    assert plain.returncode == 0 and "共 5 段，涉及 3 份报告" in plain.stdout
    assert plain.stdout.count("[标题]") == 1  # 3.培育乡村“法律明白人”


def test_engine_follows_incremental_updates_and_rebuilds(tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    engine = Engine(tmp_path / "index")
    build(corpus, engine.root)
    assert engine.search(SearchRequest.of(q="独角兽短语")).total == 0
    path = corpus / "cq-dazu-wangu-2023.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("一庭两所", "独角兽短语"), "utf-8")
    build(corpus, engine.root)
    assert engine.search(SearchRequest.of(q="独角兽短语")).total == 1
    path.unlink()
    build(corpus, engine.root, rebuild=True)
    assert engine.search(SearchRequest.of(q="独角兽短语")).total == 0
    assert engine.search(SearchRequest.of(q="法治")).reports == 4


# --- headings are units of their own ---------------------------------------------------------


def test_a_heading_is_found_as_a_heading_with_its_path(engine, seeds):
    (hit,) = every(engine, '"依法有效化解社会矛盾纠纷"').hits
    assert (hit.report_id, hit.kind) == ("cq-nanan-guangyang-2023", "heading")
    assert hit.section_path == [
        "一、2023年推进法治政府建设的主要举措和成效",
        "（二）依法有效化解社会矛盾纠纷",
    ]
    assert hit.section == "主要举措和成效" and hit.to_json()["kind"] == "heading"
    unit = next(p for p in seeds[hit.report_id].paragraphs if p.id == hit.paragraph_id)
    assert unit.text == "（二）依法有效化解社会矛盾纠纷" and unit.kind == "heading"


def test_a_heading_names_its_part_in_the_section_facet(engine):
    result = every(engine, '"存在的不足"')
    headings = [h for h in result.hits if h.kind == "heading"]
    assert len({h.report_id for h in headings}) >= 3
    assert {h.section for h in headings} == {"存在的不足和原因"}
    narrowed = every(engine, '"存在的不足"', section=("不足",))
    assert {pids(narrowed)[i] for i in range(narrowed.total)} >= {
        f"{h.report_id}#{h.paragraph_id}" for h in headings
    }
    plans = every(engine, '"下一步计划"', section=("下一年度",)).hits
    assert [(h.kind, h.text) for h in plans] == [("heading", "四、下一步计划")]
