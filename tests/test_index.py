"""The index finds exactly the paragraphs that contain a phrase: no more, no fewer."""

from __future__ import annotations

import shutil

import pytest

from indexer.analysis import normalize, words
from indexer.build import build
from indexer.location import open_current
from indexer.parse import parse_file
from search.matching import Matcher
from tests.conftest import CORPUS

QUERIES = [
    "法律明白人", "明白人", "白人", "调解", "行政执法", "八五普法", "一庭两所", "三重一大", "诉源治理",
    "枫桥经验", "民转刑", "2023年", "12345", "法治政府建设", "法", "治", "镇", "年", "%", "100%",
    "行政复议", "法律顾问", "矛盾纠纷", "谁执法谁普法", "习近平法治思想", "合法性审查", "第一责任人",
    "民法典", "网格", "法治政府建设情况", "普法宣传", "3500元", "pc", "２０２３", "“八·五”", "一网通办",
    "放管服", "双随机、一公开", "重大行政决策", "不存在的短语", "法治、政府",
]  # fmt: skip


def pids(matcher, rows):
    """Paragraph ids across the corpus (report#paragraph) of the rows found."""
    snap = matcher.snapshot
    return {f"{snap.report_of(r).report_id}#{snap.shown(r).paragraph_id}" for r in rows}


@pytest.fixture(scope="module")
def index_root(corpus_index):
    return corpus_index


@pytest.fixture(scope="module")
def reports():
    return [parse_file(path) for path in sorted(CORPUS.glob("*.txt"))]


def brute_force(reports, query):
    needle = normalize(query)
    return {
        f"{r.report_id}#{p.id}"
        for r in reports
        for p in r.paragraphs
        if needle and needle in normalize(p.text)
    }


def test_exact_set_for_every_query(index_root, reports):
    assert len(QUERIES) >= 30
    with open_current(index_root).searcher() as searcher:
        texts = Matcher.standalone(searcher)
        for query in QUERIES:
            hits = texts.find(query)
            assert pids(texts, hits) == brute_force(reports, query), query


def test_plain_substrings_are_always_found(index_root, reports):
    """Independent of normalisation: every paragraph that literally contains the query is a hit."""
    with open_current(index_root).searcher() as searcher:
        texts = Matcher.standalone(searcher)
        for query in QUERIES:
            literal = {
                f"{r.report_id}#{p.id}" for r in reports for p in r.paragraphs if query in p.text
            }
            assert literal <= pids(texts, texts.find(query)), query


def test_every_paragraph_is_indexed_once(index_root, reports):
    with open_current(index_root).searcher() as searcher:
        assert (
            len(Matcher.standalone(searcher).snapshot.paragraphs)
            == sum(len(r.paragraphs) for r in reports)
            == 190  # 99 paragraphs and 91 headings
        )


@pytest.fixture
def tricky_root(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tricky.txt").write_text(
        "某某县某某镇人民政府\n关于２０２３年法治政府建设情况的报告\n"
        "一、主要举措和成效\n"
        "甲、推进法治、政府建设工作。\n"
        "乙、深化法治政府建设，开展“八五”普法和“八·五”普法活动。\n"
        "丙、法律明白人ＰＣ端学习，聘请法律顾问。\n"
        "丁、培养乡村“法律明白人”队伍。\n",
        encoding="utf-8",
    )
    build(corpus, tmp_path / "index")
    return tmp_path / "index"


def find_texts(root, query):
    with open_current(root).searcher() as searcher:
        texts = Matcher.standalone(searcher)
        return sorted(texts.snapshot.shown(d).text[:1] for d in texts.find(query))


def test_clause_punctuation_breaks_adjacency(tricky_root):
    assert find_texts(tricky_root, "法治政府建设") == ["乙"]
    assert find_texts(tricky_root, "法治、政府建设") == ["甲"]


def test_quotes_and_interpuncts_are_transparent(tricky_root):
    assert find_texts(tricky_root, "八五普法") == ["乙"]
    assert find_texts(tricky_root, "“八五”普法") == ["乙"]
    assert find_texts(tricky_root, "法律明白人") == sorted(["丙", "丁"])


def test_width_and_case_are_folded(tricky_root):
    assert find_texts(tricky_root, "pc端") == ["丙"]
    assert find_texts(tricky_root, "ＰＣ") == ["丙"]


def test_one_and_two_character_queries(tricky_root):
    assert find_texts(tricky_root, "乙") == ["乙"]
    assert find_texts(tricky_root, "顾问") == ["丙"]


def test_domain_dictionary_keeps_terms_whole():
    assert "法律明白人" in words("培养乡村法律明白人队伍")
    assert "枫桥经验" in words("坚持和发展新时代枫桥经验")
    assert "谁执法谁普法" in words("落实谁执法谁普法责任制")


def test_domain_dictionary_in_a_fresh_process():
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = "from indexer.analysis import words; print(' '.join(words('推进一庭两所和诉源治理')))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["推进", "一庭两所", "和", "诉源治理"]


def test_index_lives_outside_corpus_by_default(monkeypatch, tmp_path):
    from indexer.location import DEFAULT_INDEX, index_root

    monkeypatch.delenv("FAZHI_INDEX", raising=False)
    assert index_root() == DEFAULT_INDEX and CORPUS not in DEFAULT_INDEX.parents
    monkeypatch.setenv("FAZHI_INDEX", str(tmp_path))
    assert index_root() == tmp_path
    assert index_root(tmp_path / "flag") == tmp_path / "flag"


def test_copy_of_corpus(tmp_path):
    """Helper check for the other index tests: a copied corpus indexes like the original."""
    shutil.copytree(CORPUS, tmp_path / "c")
    summary = build(tmp_path / "c", tmp_path / "i")
    assert (summary.reports, summary.paragraphs, summary.failed) == (5, 190, [])
