"""Display orders: a partial selection gives exactly the first hits of the full order."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from search.ranking import best_in_groups, paragraph_order, runs

BRUTE = {  # the documented orders, restated with Python's sort over tuples
    "relevance": lambda s, i, d: (not s.exact[i], -s.score[i], s.report[d], s.position[d]),
    "year": lambda s, i, d: (
        -s.report_year[s.report[d]],
        not s.exact[i],
        -s.score[i],
        s.report[d],
        s.position[d],
    ),
    "region": lambda s, i, d: (s.region_rank[s.report[d]], s.report[d], s.position[d]),
}


def random_matches(seed: int, size: int = 3000):
    rng = np.random.default_rng(seed)
    position = rng.permutation(size)
    report = rng.integers(0, 40, size)
    snap = SimpleNamespace(
        position=position, report=report, report_year=rng.integers(2019, 2024, 40),
        region_rank=rng.permutation(40),
        natural=lambda docs: report[docs].astype(np.int64) << 32 | position[docs],
    )  # fmt: skip
    docs = np.sort(rng.choice(size, size // 2, replace=False))
    score = rng.integers(0, 6, len(docs)) / 3.0  # many ties
    exact = rng.random(len(docs)) < 0.3
    return snap, docs, exact, score


@pytest.mark.parametrize("sort", BRUTE)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_partial_order_is_the_full_orders_beginning(sort, seed):
    snap, docs, exact, score = random_matches(seed)
    view = SimpleNamespace(**vars(snap), exact=exact, score=score)
    expected = sorted(range(len(docs)), key=lambda i: BRUTE[sort](view, i, docs[i]))
    full = paragraph_order(snap, docs, exact, score, sort)
    assert full.tolist() == expected
    for upto in (1, 20, 137, 300):
        part = paragraph_order(snap, docs, exact, score, sort, upto)
        assert len(part) >= upto and part.tolist() == expected[: len(part)]


@pytest.mark.parametrize("seed", [4, 5])
def test_best_paragraphs_of_the_shown_reports(seed):
    snap, docs, exact, score = random_matches(seed)
    view = SimpleNamespace(**vars(snap), exact=exact, score=score)
    groups = np.unique(snap.report[docs], return_inverse=True)[1]
    shown = np.random.default_rng(seed).choice(groups.max() + 1, 7, replace=False)
    best = best_in_groups(snap, docs, exact, score, groups, shown, 3)
    assert sorted(best) == sorted(shown.tolist())
    for group in shown.tolist():
        mine = [i for i in range(len(docs)) if groups[i] == group]
        expected = sorted(mine, key=lambda i: BRUTE["relevance"](view, i, docs[i]))[:3]
        assert best[group].tolist() == expected


def test_no_shown_reports_have_no_best_paragraphs():
    snap, docs, exact, score = random_matches(6)
    groups = np.unique(snap.report[docs], return_inverse=True)[1]
    assert best_in_groups(snap, docs, exact, score, groups, groups[:0], 3) == {}
    assert best_in_groups(snap, docs[:0], exact[:0], score[:0], groups[:0], groups[:0], 3) == {}


def test_runs_are_the_stretches_of_equal_values():
    values = np.repeat(np.random.default_rng(7).permutation(50), np.arange(1, 51))
    codes, starts, counts = runs(values)
    expected = [(values[0], 0, 1)]  # by hand: a stretch ends where the next value differs
    for i in range(1, len(values)):
        if values[i] == values[i - 1]:
            expected[-1] = (expected[-1][0], expected[-1][1], expected[-1][2] + 1)
        else:
            expected.append((values[i], i, 1))
    assert list(zip(codes.tolist(), starts.tolist(), counts.tolist(), strict=True)) == expected
    assert [g.tolist() for g in runs(values[:0])] == [[], [], []]
