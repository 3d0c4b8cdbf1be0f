"""Character-position search and counting, checked against brute force over random texts."""

from __future__ import annotations

import random

import numpy as np
import pytest

from search.positions import CharIndex, overlaps

ALPHABETS = {
    "bmp": "法治镇年调解|a1",
    "beyond the bmp": "法治𠀀𠀁|a",  # forces 32-bit code points
}


def random_texts(rng: random.Random, alphabet: str, n: int = 300) -> list[str]:
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(n)]
    texts[0] = ""  # documents without text (reports, deleted ones) are empty
    return texts


def occurrences(text: str, needle: str) -> int:
    """Every start position, overlapping ones included."""
    return sum(text.startswith(needle, i) for i in range(len(text)))


@pytest.mark.parametrize("alphabet", ALPHABETS.values(), ids=ALPHABETS.keys())
def test_positions_find_and_count_like_brute_force(alphabet):
    rng = random.Random(12)
    texts = random_texts(rng, alphabet)
    index = CharIndex.of(texts)
    needles = {
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 5))) for _ in range(300)
    }
    needles |= set(alphabet) | {"法法", "法治法", "不在", "𠀂"}
    for needle in sorted(needles):
        expected = [d for d, text in enumerate(texts) if needle in text]
        assert index.containing(needle).tolist() == expected, needle
        counts = index.counts(needle, len(texts))
        assert counts.tolist() == [occurrences(t, needle) for t in texts], needle
        if not overlaps(needle):
            assert counts.tolist() == [t.count(needle) for t in texts], needle


def test_needles_at_the_ends_of_the_texts_are_found():
    texts = ["治法", "", "法治", "法"]
    index = CharIndex.of(texts)
    assert index.containing("法治").tolist() == [2]
    assert index.containing("治").tolist() == [0, 2]
    assert index.containing("法").tolist() == [0, 2, 3]
    assert index.containing("法治法").tolist() == []
    assert CharIndex.of([]).containing("法").tolist() == []
    runs = [""] * 40 + ["法"] + [""] * 37 + ["a法治", "法"] + [""] * 20  # many documents per block
    index = CharIndex.of(runs)
    assert index.containing("法").tolist() == [40, 78, 79]
    assert index.counts("法", len(runs)).tolist() == [t.count("法") for t in runs]


def test_overlaps_names_needles_whose_occurrences_can_overlap():
    assert overlaps("aa") and overlaps("法治法") and overlaps("abab")
    assert not overlaps("法治") and not overlaps("a") and not overlaps("aab")


def test_term_frequencies_are_those_of_str_count():
    """Ranking counts as `str.count` does: overlapping occurrences are not counted twice."""
    from types import SimpleNamespace

    from search.matching import Matcher
    from search.ranking import _body_counts
    from search.snapshot import Lru

    rng = random.Random(5)
    texts = random_texts(rng, "法治a|", 2000)
    snap = SimpleNamespace(texts=texts, size=len(texts), chars=CharIndex.of(texts), finds=Lru(8))
    matcher = Matcher(snap, None)
    docs = np.arange(len(texts))
    for needle in ("法", "法治", "法法", "法治法", "aa", "a|法"):
        counts = _body_counts(matcher, docs, needle)
        assert counts.tolist() == [float(t.count(needle)) for t in texts], needle


def test_heading_frequencies_are_those_of_str_count():
    from types import SimpleNamespace

    from search.ranking import _head_counts

    heads = random_texts(random.Random(9), "法治|a", 500)
    snap = SimpleNamespace(heads=heads, head_chars=CharIndex.of(heads))
    every = np.arange(len(heads))
    for needle in ("法", "法治", "法法", "a|法", "aa"):
        counts = _head_counts(snap, every, needle)
        assert counts.tolist() == [float(h.count(needle)) for h in heads], needle
