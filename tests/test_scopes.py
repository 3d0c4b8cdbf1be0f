"""Scopes: 同段 (default), 同句 and headings only (issue 13).

Expectations come from the parsed units' raw text, cut into sentences here with a few lines of
our own (after 。！？；!?; and at line ends) and tested with `str` containment, never through
`search.query`, `search.scopes` or `normalize`.
"""

from __future__ import annotations

import re

import pytest

from search.engine import SearchRequest
from search.errors import BadRequest

ENDS = "。！？；!?;"


def sentences(text: str) -> list[str]:
    out, current = [], ""
    for ch in text:
        if ch in "\r\n":
            out.append(current)
            current = ""
            continue
        current += ch
        if ch in ENDS:
            out.append(current)
            current = ""
    return [s for s in [*out, current] if s.strip()]


def units(seeds):
    return [(r.report_id, p) for r in seeds.values() for p in r.paragraphs]


def ids(result) -> set[tuple[str, str]]:
    return {(h.report_id, h.paragraph_id) for h in result.hits}


PAIRS = [("法律", "培训"), ("普法", "宣传"), ("依法", "决策"), ("行政", "执法")]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_same_sentence(engine, seeds, a, b):
    want = {(rid, p.id) for rid, p in units(seeds)
            if any(a in s and b in s for s in sentences(p.text))}  # fmt: skip
    paragraph = {(rid, p.id) for rid, p in units(seeds) if a in p.text and b in p.text}
    assert want and want < paragraph, "the pair must tell the two scopes apart"
    got = engine.search(SearchRequest.of(q=f"{a} {b}", scope="sentence", all=True))
    assert ids(got) == want and got.total == len(want) and got.scope == "sentence"
    assert ids(engine.search(SearchRequest.of(q=f"{a} {b}", all=True))) == paragraph


def test_typed_scope_is_the_parameter(engine):
    typed = engine.search(SearchRequest.of(q="范围:同句 法律 培训", all=True))
    param = engine.search(SearchRequest.of(q="法律 培训", scope="同句", all=True))
    assert ids(typed) == ids(param) and typed.scope == "sentence"


def test_exclusion_applies_to_the_whole_unit(engine, seeds):
    want = {(rid, p.id) for rid, p in units(seeds)
            if any("行政" in s and "执法" in s for s in sentences(p.text)) and "培训" not in p.text}  # fmt: skip
    got = engine.search(SearchRequest.of(q="行政 执法 -培训", scope="sentence", all=True))
    assert want and ids(got) == want


def test_headings_only(engine, seeds):
    want = {(rid, p.id) for rid, p in units(seeds) if p.kind == "heading" and "依法" in p.text}
    assert want
    got = engine.search(SearchRequest.of(q="依法", scope="heading", all=True))
    assert ids(got) == want and all(h.kind == "heading" for h in got.hits)
    reports = engine.search(SearchRequest.of(q="依法", scope="heading", view="reports", all=True))
    assert {h.report_id for h in reports.hits} == {rid for rid, _ in want}


def test_headings_browsed_without_a_term(engine, seeds):
    county = "大足区"
    want = {(r.report_id, p.id) for r in seeds.values() if r.region.county == county
            for p in r.paragraphs if p.kind == "heading"}  # fmt: skip
    got = engine.search(SearchRequest.of(region=(county,), scope="heading", all=True))
    assert want and ids(got) == want


def test_a_bad_scope_is_a_clear_message(engine, client):
    with pytest.raises(BadRequest, match="检索范围「整篇」无效"):
        engine.search(SearchRequest.of(q="调解", scope="整篇"))
    answer = client.get("/api/search", query_string={"q": "调解", "scope": "整篇"})
    assert answer.status_code == 400 and "检索范围" in answer.get_json()["error"]


def test_the_site_moves_a_typed_scope_to_the_url_and_offers_the_switch(client):
    moved = client.get("/search", query_string={"q": "范围:同句 调解 矛盾"})
    assert moved.status_code in (302, 303)
    assert re.search(r"scope=sentence", moved.headers["Location"])
    page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert 'aria-label="检索范围"' in page
    assert re.search(
        r'<a href="[^"]*scope=sentence[^"]*" aria-current="page" class="on">同句</a>', page
    )
    assert 'name="scope" value="sentence"' in page  # a new query in the box keeps the scope


def test_search_within_results(client, seeds):
    def holds(*words):
        return sum(all(w in p.text for w in words) for r in seeds.values() for p in r.paragraphs)

    moved = client.get("/search", query_string={"q": "培训", "prev": "调解 OR 信访", "within": "1"})
    assert moved.status_code in (302, 303)
    page = client.get(moved.headers["Location"])
    answer = client.get("/api/search?" + moved.headers["Location"].split("?", 1)[1]).get_json()
    want = sum(("调解" in p.text or "信访" in p.text) and "培训" in p.text
               for r in seeds.values() for p in r.paragraphs)  # fmt: skip
    assert want and answer["total"] == want and page.status_code == 200
    assert holds("培训") > want  # narrower than the new word alone
    unchecked = client.get("/search", query_string={"q": "培训", "prev": "调解"})
    assert unchecked.status_code == 200  # without the box ticked, a new search
    assert client.get("/api/search", query_string={"q": "培训"}).get_json()["total"] == holds(
        "培训"
    )
    form = client.get("/search", query_string={"q": "调解"}).get_data(as_text=True)
    assert 'name="within" value="1"' in form and 'name="prev" value="调解"' in form
