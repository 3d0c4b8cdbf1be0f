"""Random strings, heavy on syntax characters, never make the parser or the search raise."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.analysis import normalize
from search.engine import SearchRequest
from search.query import parse
from search.snippets import mark_spans, snippet

SYNTAX = list('"“”「」()（）|｜-－*?~^:：[]{}/\\!+&<>') + ["OR", "AND", " ", "　", "year:", "地区:"]
WORDS = ["法治", "调解", "法律明白人", "八五", "普法", "镇", "2023", "😀", "𠀀", "\u0301", "\x00"]
fragments = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=4))
queries = st.lists(fragments, max_size=40).map("".join) | st.text(max_size=300)


@settings(max_examples=400, deadline=None)
@given(queries)
def test_parser_never_raises(q):
    query = parse(q)
    assert query.problem is None or isinstance(query.problem, str)
    for term in query.positive_terms:
        assert term.needle and all(term.words)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=queries, view=st.sampled_from(["paragraphs", "reports"]), page=st.integers(1, 3))
def test_search_never_raises_and_snippets_stay_clean(engine, q, view, page):
    result = engine.search(SearchRequest(q=q, view=view, page=page))
    assert result.total >= 0 and isinstance(result.to_json(), dict)
    for hit in result.hits:
        for item in getattr(hit, "paragraphs", [hit]):
            assert set(re.findall(r"</?([a-zA-Z]+)", item.snippet)) <= {"mark"}
    engine.compare(SearchRequest(q=q))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), needle=st.text(min_size=1, max_size=5))
def test_marks_map_back_to_occurrences(text, needle):
    norm = normalize(needle)
    for start, end in mark_spans(text, [norm]):
        assert 0 <= start < end <= len(text)
        assert norm in normalize(text[start:end])
    html = snippet(text, [[norm]])
    assert "<script" not in html and set(re.findall(r"</?([a-zA-Z]+)", html)) <= {"mark"}
