"""The text index's search and counting, checked against brute force over random texts."""

from __future__ import annotations

import random

import pytest

from indexer.textindex import TextIndex, overlaps

ALPHABETS = {
    "bmp": "法治镇年调解|a1",
    "beyond the bmp": "法治𠀀𠀁|a",  # forces 32-bit code points
    "few letters": "法法治|",  # many self-overlapping needles
}


def random_texts(rng: random.Random, alphabet: str, n: int = 300) -> list[str]:
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(n)]
    texts[0] = ""  # documents without text (reports, deleted ones) are empty
    return texts


@pytest.mark.parametrize("alphabet", ALPHABETS.values(), ids=ALPHABETS.keys())
def test_occurrences_are_those_of_in_and_str_count(alphabet):
    rng = random.Random(12)
    texts = random_texts(rng, alphabet)
    index = TextIndex.of(texts)
    needles = {
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 6))) for _ in range(400)
    }
    needles |= set(alphabet) | {"法法", "法治法", "法法法", "不在", "𠀂", "治|法"}
    for needle in sorted(needles):
        docs, counts = index.occurrences(needle)
        expected = [(d, text.count(needle)) for d, text in enumerate(texts) if needle in text]
        assert list(zip(docs.tolist(), counts.tolist(), strict=True)) == expected, needle


def test_needles_at_the_ends_of_the_texts_are_found():
    texts = ["治法", "", "法治", "法"]
    index = TextIndex.of(texts)
    assert index.containing("法治").tolist() == [2]
    assert index.containing("治").tolist() == [0, 2]
    assert index.containing("法").tolist() == [0, 2, 3]
    assert index.containing("治法治").tolist() == []
    assert index.containing("").tolist() == []
    assert TextIndex.of([]).containing("法").tolist() == []
    assert TextIndex.of([]).containing("法治法").tolist() == []
    runs = [""] * 40 + ["法"] + [""] * 37 + ["a法治", "法"] + [""] * 20  # many documents per block
    index = TextIndex.of(runs)
    assert index.containing("法").tolist() == [40, 78, 79]
    assert index.containing("a法治").tolist() == [78]


def test_texts_come_back_from_their_code_points():
    texts = random_texts(random.Random(3), "法治𠀀|a", 50)
    index = TextIndex.of(texts)
    assert [index.text(d) for d in range(len(texts))] == texts


def test_overlaps_names_needles_whose_occurrences_can_overlap():
    assert overlaps("aa") and overlaps("法治法") and overlaps("abab")
    assert not overlaps("法治") and not overlaps("a") and not overlaps("aab")


@pytest.mark.parametrize("alphabet", ALPHABETS.values(), ids=ALPHABETS.keys())
def test_at_most_bounds_the_texts_holding_a_needle(alphabet):
    rng = random.Random(7)
    texts = random_texts(rng, alphabet)
    index = TextIndex.of(texts)
    for _ in range(300):
        needle = "".join(rng.choice(alphabet) for _ in range(rng.randrange(2, 6)))
        holding = sum(needle in text for text in texts)
        pairs = [needle[i : i + 2] for i in range(len(needle) - 1)]
        rarest = min(sum(pair in text for text in texts) for pair in pairs)
        assert holding <= index.at_most(needle) == rarest, needle
