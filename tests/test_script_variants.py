"""Traditional and simplified characters match each other both ways (issue 13).

Two seed reports are also indexed in traditional characters, converted with OpenCC's own
phrase-level s2t (a converter outside our code). Conversion keeps every character's place, so
paragraph N of the traditional copy is paragraph N of the original (the copy ends with one
line more, so that it is not the original's duplicate): the expected hits of a word are the
original paragraphs that hold it by plain `str` containment, in both copies.
"""

from __future__ import annotations

import pytest
from opencc import OpenCC

from search.engine import Engine, SearchRequest
from tests.conftest import CORPUS

COPIED = ("cq-dazu-tongqiao-2023", "ha-baofeng-zhaozhuang-2023")
TO_TRADITIONAL = OpenCC("s2t")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from indexer.build import build

    root = tmp_path_factory.mktemp("scripts")
    corpus = root / "corpus"
    corpus.mkdir()
    for stem in COPIED:
        text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        (corpus / f"{stem}.txt").write_text(text, encoding="utf-8")
        copy = (
            TO_TRADITIONAL.convert(text) + "\n本文為繁體字轉寫本，供檢索測試。\n"
        )  # not a duplicate
        (corpus / f"{stem}-traditional.txt").write_text(copy, encoding="utf-8")
    build(corpus, root / "index")
    return Engine(root / "index")


def expected(seeds, word: str) -> list[list[str]]:
    """Per original, the ids of its units holding `word` (simplified), sorted; each twice (the
    original and its copy)."""
    per = [sorted(p.id for p in seeds[stem].paragraphs if word in p.text) for stem in COPIED]
    return sorted(ids for ids in per if ids for _ in range(2))


def found(engine, q: str) -> list[list[str]]:
    """Per report, the ids of its units the query finds, sorted."""
    per: dict[str, list[str]] = {}
    for h in engine.search(SearchRequest.of(q=q, all=True)).hits:
        per.setdefault(h.report_id, []).append(h.paragraph_id)
    return sorted(sorted(ids) for ids in per.values())


@pytest.mark.parametrize(
    ("q", "word"),
    [("调解", "调解"), ("調解", "调解"), ("法治政府建設", "法治政府建设"),
     ("法治政府建设", "法治政府建设"), ("人民調解員", "人民调解员"), ('"法律明白人"', "法律明白人"),
     ("普法宣傳", "普法宣传"), ("關於", "关于")],
)  # fmt: skip
def test_either_script_finds_both_copies(engine, seeds, q, word):
    want = expected(seeds, word)
    assert want, "the word must occur in the seeds for the test to mean anything"
    assert found(engine, q) == want


def test_traditional_text_is_marked_where_it_is_written(engine):
    result = engine.search(SearchRequest.of(q="调解", all=True))
    snippets = " ".join(h.snippet for h in result.hits)
    assert "<mark>調解</mark>" in snippets and "<mark>调解</mark>" in snippets


def test_a_simplified_only_character_is_not_folded(engine, seeds):
    # 覆 is OpenCC's first choice for itself: 覆盖 never turns into 复盖, so 复盖 finds nothing.
    assert any("覆盖" in p.text for s in COPIED for p in seeds[s].paragraphs)
    assert engine.search(SearchRequest.of(q='"复盖"')).total == 0
