"""Names in the box, browsing without a term, exclusion and the quote/NOT repairs (issue 13).

Expectations come from the parsed reports and their raw text (`str` containment), never from
`search.query` or `normalize`.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest

from search.engine import Engine, SearchRequest
from search.snapshot import region_path
from tests.conftest import CORPUS

FULL = {"不足": "存在的不足和原因", "下一年度": "下一年度工作安排",
        "第一责任人": "第一责任人职责", "举措": "主要举措和成效"}  # fmt: skip


@pytest.fixture(scope="module")
def units(seeds):
    """(report_id, paragraph_id, raw text, region path, year, section) in reading order."""
    return [
        (r.report_id, p.id, p.text, region_path(r.region), r.year, p.section)
        for r in sorted(seeds.values(), key=lambda r: r.report_id)
        for p in r.paragraphs
    ]


def run(engine, q="", **kw):
    return engine.search(SearchRequest.of(q=q, all=True, **kw))


def ids(result) -> set[tuple[str, str]]:
    return {(h.report_id, h.paragraph_id) for h in result.hits}


def where(units, word=None, region=None, years=None, section=None, not_region=None,
          not_section=None, not_years=None):  # fmt: skip
    return {
        (rid, pid)
        for rid, pid, text, path, year, part in units
        if (word is None or word in text)
        and (region is None or region in path)
        and (years is None or year in years)
        and (section is None or part == section)
        and (not_region is None or not_region not in path)
        and (not_section is None or part != not_section)
        and (not_years is None or year not in not_years)
    }


# --- names typed as plain words ---------------------------------------------------------------


@pytest.mark.parametrize("q", ["大足区 调解", "大足 调解", "地区:大足 调解", "地区: 大足区 调解",
                               "调解 重庆市/大足区"])  # fmt: skip
def test_a_district_in_the_box_filters(engine, units, q):
    expected = where(units, "调解", region="大足区")
    assert expected and ids(run(engine, q)) == expected
    assert not run(engine, q).messages  # no 索引中没有地区


@pytest.mark.parametrize("name", ["河南省", "河南", "宝丰县", "宝丰", "平顶山市", "平顶山"])
def test_every_level_full_or_short(engine, units, name):
    result = run(engine, f"{name} 普法")
    assert ids(result) == where(units, "普法", region="宝丰县") != set()
    assert [n.text for n in result.query.named] == [name]
    assert result.selection.regions and "河南省" in result.selection.regions[0]


@pytest.mark.parametrize("part", list(FULL) + ["存在的不足和原因"])
def test_a_part_in_the_box_filters(engine, units, part):
    section = FULL.get(part, part)
    result = run(engine, f"{part} 法治")
    assert ids(result) == where(units, "法治", section=section) != set()
    assert result.selection.sections == (section,)


@pytest.mark.parametrize(
    ("q", "years"),
    [("2023 普法", {2023}), ("2023年 普法", {2023}), ("二〇二三年 普法", {2023}),
     ("2021-2023 普法", {2021, 2022, 2023}), ("2022 普法", {2022}),
     ("普法 年份:2023年", {2023}), ("普法 年份: 二〇二二年", {2022})],
)  # fmt: skip
def test_a_year_in_the_box_filters(engine, units, q, years):
    assert ids(run(engine, q)) == where(units, "普法", years=years) != set()


def test_quoted_names_are_text_and_unknown_names_stay_text(engine, units):
    quoted = run(engine, '"大足区" 调解')
    assert not quoted.query.named and not quoted.selection
    assert ids(quoted) == {k for k in where(units, "调解") if k in where(units, "大足区")}
    assert not run(engine, "北京 调解").query.named  # not in the index
    assert not run(engine, "1999 调解").query.named
    # inside OR, parentheses or an exclusion a name is a word
    assert not run(engine, "大足区 OR 调解").query.named
    assert not run(engine, "调解 -大足区").query.named


def test_json_reports_what_was_understood(engine):
    data = engine.search(SearchRequest.of(q="大足 2023年 调解")).to_json()
    assert [(u["text"], u["kind"]) for u in data["understood"]] == [
        ("大足", "region"),
        ("2023年", "year"),
    ]
    assert data["filters"]["region"] == ["重庆市/大足区"] and data["filters"]["year"] == [2023]


def test_an_ambiguous_short_name_offers_its_choices(tmp_path, seeds):
    from indexer.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "cq-dazu-wangu-2023.txt", corpus)
    source = (CORPUS / "cq-dazu-tongqiao-2023.txt").read_text(encoding="utf-8")
    (corpus / "cq-dazux-tongqiao-2023.txt").write_text(source.replace("大足区", "大足县"), "utf-8")
    build(corpus, tmp_path / "index")
    result = Engine(tmp_path / "index").search(SearchRequest.of(q="大足 调解"))
    assert not result.query.named and not result.selection.regions
    assert sorted(result.query.ambiguous[0].choices) == ["重庆市/大足区", "重庆市/大足县"]
    assert result.to_json()["ambiguous"][0]["text"] == "大足"


# --- browsing without a term ----------------------------------------------------------------


@pytest.mark.parametrize(
    "request_",
    [SearchRequest.of(q="部分:下一年度 地区:广阳镇", all=True),
     SearchRequest.of(region=("广阳镇",), section=("下一年度",), all=True),
     SearchRequest.of(q="广阳镇 下一年度", all=True)],
)  # fmt: skip
def test_filters_alone_list_paragraphs_in_reading_order(engine, units, request_):
    result = engine.search(request_)
    expected = [(rid, pid) for rid, pid, _, path, _, part in units
                if "广阳镇" in path and part == "下一年度工作安排"]  # fmt: skip
    assert result.problem is None and result.browsing
    assert [(h.report_id, h.paragraph_id) for h in result.hits] == expected and expected
    assert {v.label for v in result.facets.section} >= {"下一年度工作安排"}
    assert result.facets.region and result.facets.year


def test_browsing_a_region_and_a_year(engine, units):
    result = run(engine, region=("大足区",), year=("2023",), view="reports")
    assert result.reports == 2 and result.total == len(where(units, region="大足区"))
    assert run(engine, "").problem == "请输入检索词"


# --- exclusion ------------------------------------------------------------------------------


def test_typed_and_parameter_exclusions(engine, units):
    no_dazu = where(units, "调解", not_region="大足区")
    assert no_dazu and ids(run(engine, "-地区:大足区 调解")) == no_dazu
    assert ids(run(engine, "调解", not_region=("大足区",))) == no_dazu
    assert ids(run(engine, "调解 NOT 地区:大足")) == no_dazu
    not_intro = where(units, "法治", not_section="前言")
    assert ids(run(engine, "-部分:前言 法治")) == not_intro != where(units, "法治")
    assert ids(run(engine, "法治", not_section=("前言",))) == not_intro
    assert ids(run(engine, "普法", not_year=("2022",))) == where(units, "普法", not_years={2022})
    assert ids(run(engine, "普法 -年份:2022")) == where(units, "普法", not_years={2022})
    browse = run(engine, region=("重庆市",), not_region=("大足区",), section=("不足",))
    assert ids(browse) == {k for k in where(units, region="重庆市", section="存在的不足和原因")
                           if k not in where(units, region="大足区")}  # fmt: skip


def test_exclusion_in_compare(engine):
    rows = engine.compare(SearchRequest.of(q="调解", not_region=("大足区",))).rows
    assert {r.report_id for r in rows} == {"cq-nanan-guangyang-2023",
                                           "cq-shapingba-qingmuguan-2022",
                                           "ha-baofeng-zhaozhuang-2023"}  # fmt: skip
    rows = engine.compare(SearchRequest.of(q="调解", not_year=("2023",))).rows
    assert {r.report_id for r in rows} == {"cq-shapingba-qingmuguan-2022"}


# --- syntax repairs ---------------------------------------------------------------------------


def test_phrase_with_chinese_quotes_full_width_quotes_and_not(engine, units):
    inner = run(engine, '"共有“法律明白人”28名"')
    assert ids(inner) == where(units, "共有“法律明白人”28名") and len(inner.hits) == 1
    assert not inner.messages
    full = run(engine, "＂八五普法＂")
    assert ids(full) == ids(run(engine, '"八五普法"')) >= where(units, "八五普法") != set()
    assert full.query.uses[0].term.exact
    assert ids(run(engine, "法律明白人 NOT 网格")) == {
        k for k in where(units, "法律明白人") if k not in where(units, "网格")}  # fmt: skip
    assert ids(run(engine, "调解 AND 信访")) == {
        k for k in where(units, "调解") if k in where(units, "信访")}  # fmt: skip


# --- the site ---------------------------------------------------------------------------------


def body(response) -> str:
    return response.get_data(as_text=True)


def params(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def test_site_moves_a_typed_name_to_a_chip_with_a_plain_text_link(client, units):
    moved = client.get("/search?q=大足区 调解")
    assert moved.status_code == 302
    target = moved.headers["Location"]
    assert params(target) == {"q": ["调解"], "region": ["重庆市/大足区"], "named": ["大足区"]}
    html = body(client.get(target))
    assert f"共 <strong>{len(where(units, '调解', region='大足区'))}</strong>" in html
    assert 'class="chip"' in html and "重庆市 › 大足区" in html
    link = re.search(r'class="as-text" href="([^"]+)"', html)[1].replace("&amp;", "&")
    assert params(link) == {"q": ['"大足区" 调解']}
    plain = body(client.get(link))
    expected = {k for k in where(units, "调解") if k in where(units, "大足区")}
    assert f"共 <strong>{len(expected)}</strong>" in plain and 'class="as-text"' not in plain


def test_site_short_region_filter_is_known(client):
    html = body(client.get("/search?q=调解 地区:大足", follow_redirects=True))
    assert "索引中没有地区" not in html and "共 <strong>4</strong>" in html


def test_site_browses_without_a_term_and_home_offers_it(client, units):
    expected = [k for k in where(units, region="广阳镇", section="下一年度工作安排")]
    for url in ("/search?q=部分:下一年度 地区:广阳镇", "/search?section=下一年度&region=广阳镇"):
        html = body(client.get(url, follow_redirects=True))
        assert "请输入检索词" not in html and f"共 <strong>{len(expected)}</strong>" in html
        assert 'class="facet"' in html
    home = body(client.get("/"))
    browse = home[home.index('class="home-browse"') :]
    for part in FULL.values():
        assert f">{part}</a>" in browse
    assert "重庆市 › 大足区" in browse and "河南省 › 平顶山市 › 宝丰县 › 赵庄镇" in browse
    link = re.search(r'href="(/search\?section=[^"]+)"', browse)[1].replace("&amp;", "&")
    assert re.search(r"共 <strong>[1-9]", body(client.get(link)))


def test_site_excludes_from_the_facet_and_the_chip_restores(client, units):
    html = body(client.get("/search?q=调解"))
    link = re.search(r'class="facet-exclude" href="([^"]+)" aria-label="排除 河南省"', html)
    url = link[1].replace("&amp;", "&")
    assert params(url)["not_region"] == ["河南省"]
    excluded = body(client.get(url))
    assert f"共 <strong>{len(where(units, '调解', not_region='河南省'))}</strong>" in excluded
    assert 'aria-label="取消排除 河南省"' in excluded
    chip = re.search(
        r'<a class="chip" href="([^"]+)"[^>]*><span class="chip-kind">不含地区', excluded
    )
    restored = body(client.get(chip[1].replace("&amp;", "&")))
    assert f"共 <strong>{len(where(units, '调解'))}</strong>" in restored


def test_site_typed_exclusion_becomes_a_parameter_and_every_output_honours_it(client, units):
    moved = client.get("/search?q=-部分:前言 法治")
    assert params(moved.headers["Location"]) == {"q": ["法治"], "not_section": ["前言"]}
    expected = where(units, "法治", not_section="前言")
    assert f"共 <strong>{len(expected)}</strong>" in body(client.get(moved.headers["Location"]))
    data = client.get("/api/search?q=调解&not_region=大足区&all=1").get_json()
    assert data["filters"]["not_region"] == ["重庆市/大足区"]
    assert {(h["report_id"], h["paragraph_id"]) for h in data["hits"]} == where(
        units, "调解", not_region="大足区")  # fmt: skip
    csv = body(client.get("/search.csv?q=调解&not_region=大足区"))
    assert "大足区" not in csv.split("\n", 1)[1] and len(csv.strip().splitlines()) == 1 + 6
    compare = body(client.get("/compare?q=调解&not_region=大足区"))
    assert "万古镇" not in compare and "广阳镇" in compare
    assert 'name="not_region"' in compare  # the compare box keeps the exclusion
