"""Suggestions for a query that finds nothing or very little (issue 13).

The expected corrections are written by hand; what each finds is counted here from the parsed
reports' text with `str` containment (a unit holds the word), never through `search.query`.
"""

from __future__ import annotations

import pytest

from search.engine import SearchRequest

CASES = {
    "风桥经验": "枫桥经验",  # a homophone of the first character
    "调节": "调解",
    "法律明白仁": "法律明白人",
    "法律名白人": "法律明白人",  # found only as 法律 + 名 + 白人, never contiguously
    "一厅两所": "一庭两所",
    "行政复意": "行政复议",
    "tiaojie": "调解",  # pinyin typed instead of characters
    "falvmingbairen": "法律明白人",
    "XINGZHENGFUYI": "行政复议",
}


def holding(seeds, word: str) -> int:
    return sum(word in p.text for r in seeds.values() for p in r.paragraphs)


@pytest.mark.parametrize(("typed", "meant"), CASES.items())
def test_the_meant_word_is_suggested_with_its_total(engine, seeds, typed, meant):
    assert holding(seeds, meant) > 0 and holding(seeds, typed) < 3
    result = engine.search(SearchRequest.of(q=typed))
    offered = {s.q: s.total for s in result.suggestions}
    assert meant in offered, offered
    assert offered[meant] == holding(seeds, meant)
    assert list(offered)[0] == meant  # the closest, and the one most found, comes first


def test_every_suggestion_finds_what_it_says(engine):
    for typed in CASES:
        for s in engine.search(SearchRequest.of(q=typed)).suggestions:
            assert s.total > 0
            assert engine.search(SearchRequest.of(q=s.q)).total == s.total


def test_a_suggestion_keeps_the_other_terms_and_the_filters(engine, seeds):
    result = engine.search(SearchRequest.of(q="风桥经验 调解", region=("大足区",)))
    assert result.total == 0
    (first, *_) = result.suggestions
    assert first.q == "枫桥经验 调解"
    want = sum(
        "枫桥经验" in p.text and "调解" in p.text
        for r in seeds.values() if r.region.county == "大足区"
        for p in r.paragraphs
    )  # fmt: skip
    assert first.total == want > 0


def test_no_suggestions_when_the_query_finds_plenty(engine):
    assert engine.search(SearchRequest.of(q="调解")).suggestions == []
    assert engine.search(SearchRequest.of(q="法律明白人")).suggestions == []


def test_nothing_is_offered_when_nothing_near_is_found(engine):
    result = engine.search(SearchRequest.of(q="zzzzqqqq"))
    assert result.total == 0 and result.suggestions == []


def test_the_contract_and_the_page(client, seeds):
    answer = client.get("/api/search", query_string={"q": "风桥经验"}).get_json()
    assert {"q": "枫桥经验", "total": holding(seeds, "枫桥经验")} in answer["suggestions"]
    page = client.get("/search", query_string={"q": "风桥经验"}).get_data(as_text=True)
    assert "您是不是要找" in page and "/search?q=%E6%9E%AB%E6%A1%A5%E7%BB%8F%E9%AA%8C" in page
    plenty = client.get("/api/search", query_string={"q": "调解"}).get_json()
    assert plenty["suggestions"] == []
