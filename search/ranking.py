"""Relevance (BM25F over paragraph text and heading path) and the result orders built on it."""

from __future__ import annotations

import math

import numpy as np

from indexer.analysis import normalize

from .matching import Matcher
from .snapshot import Snapshot

K1 = 1.2
EMPTY = np.zeros(0, dtype=np.int64)
HEADING_WEIGHT = 3.0  # a match in a heading counts this much more than one in the text
SORTS = ("relevance", "year", "region")
EXACT_FIRST = 1e6  # above any score: 24 words × idf ≤ 13 × (K1 + 1)


def scores(matcher: Matcher, docs: np.ndarray, needles: list[str]) -> np.ndarray:
    """BM25F score of each paragraph for the query's words.

    Term frequencies are counted on the matching form (every occurrence, however jieba
    segmented the surrounding text); the words themselves are the query's jieba words. Each
    word's counts come from the text index as (paragraphs, counts): gathered, never counted.
    """
    snap = matcher.snapshot
    total = np.zeros(len(docs), dtype=np.float32)
    if not len(docs):
        return total
    body_norm = snap.body_norm[docs]
    heads = head_norm = None  # gathered only for a word some heading holds
    for needle in dict.fromkeys(normalize(n) for n in needles):
        if not needle:
            continue
        found, counts = matcher.counts(needle)
        idf = math.log(1 + (len(snap.paragraphs) - len(found) + 0.5) / (len(found) + 0.5))
        tf = _gathered(found, counts, docs, snap.size)
        tf /= body_norm
        in_heads, head_counts = snap.head_occurrences(needle)
        if len(in_heads):
            if heads is None:
                heads, head_norm = snap.head_id[docs], snap.head_norm[docs]
            tf += (
                HEADING_WEIGHT
                * _gathered(in_heads, head_counts, heads, len(snap.head_sizes))
                / head_norm
            )
        saturation = tf + np.float32(K1)
        np.divide(tf, saturation, out=tf)  # tf / (K1 + tf), in place
        tf *= np.float32(idf)
        total += tf
    return total


def _gathered(found: np.ndarray, counts: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
    """`counts` of the sorted `found` for each of `docs` (0 where a doc is not found): the
    counts themselves when `docs` is `found`, else a scatter and a gather, or for a few docs a
    binary search each."""
    if len(found) == len(docs) and (found is docs or np.array_equal(found, docs)):
        return counts.astype(np.float32)
    if not len(found):
        return np.zeros(len(docs), dtype=np.float32)
    if len(docs) * 16 >= size:
        every = np.zeros(size, dtype=np.float32)
        every[found] = counts
        return every[docs]
    at = np.minimum(np.searchsorted(found, docs), len(found) - 1)
    return np.where(found[at] == docs, counts[at], 0).astype(np.float32)


def paragraph_order(
    snap: Snapshot, docs: np.ndarray, exact: np.ndarray, score: np.ndarray, sort: str,
    upto: int | None = None,
) -> np.ndarray:  # fmt: skip
    """Indices into `docs` in display order; ties fall back to report and position: stable.

    With `upto`, only the first `upto` of that order (at least): the same indices a full sort
    puts first, found by a partial selection on the first key and a sort of what it keeps.
    """
    natural = Natural(snap, docs)
    if sort == "region":
        keys = [snap.region_rank[snap.report[docs]], natural]
    else:
        first = -(score.astype(np.float64) + EXACT_FIRST * exact)  # exact ones first, by score
        year = -snap.report_year[snap.report[docs]] if sort == "year" else None
        keys = [first, natural] if year is None else [year, first, natural]
    if upto is None or upto * PARTIAL >= len(docs):
        return np.lexsort([_values(key) for key in keys[::-1]])
    return _first(keys, upto)


PARTIAL = 4  # a partial selection when the page ends within the first quarter of the matches


class Natural:
    """Reading order (report, then position): the tie-breaker that keeps pages stable, computed
    only for the indices that need it."""

    def __init__(self, snap: Snapshot, docs: np.ndarray) -> None:
        self.snap, self.docs = snap, docs

    def __getitem__(self, index: np.ndarray) -> np.ndarray:
        return self.snap.natural(self.docs[index])


def _values(key) -> np.ndarray:
    return key[slice(None)] if isinstance(key, Natural) else key


def _first(keys: list, upto: int) -> np.ndarray:
    """The `upto` smallest indices by `keys` (first key first), in order, as lexsort gives them."""
    lead = keys[0]
    bound = np.partition(lead, upto - 1)[upto - 1]
    kept = np.flatnonzero(lead <= bound)  # every index among the first `upto`, and their ties
    order = np.lexsort([key[kept] for key in keys[::-1]])
    return kept[order[:upto]]


def runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The runs of equal values: each run's value, start and length. A report's rows are
    consecutive (indexer/derived.py), so over sorted rows each report is one run."""
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else EMPTY
    return values[starts], starts, np.diff(starts, append=len(values))


def best_in_groups(
    snap: Snapshot, docs: np.ndarray, exact: np.ndarray, score: np.ndarray, groups: np.ndarray,
    shown: np.ndarray, per: int,
) -> dict[int, np.ndarray]:  # fmt: skip
    """For each shown group, the indices into `docs` of its first `per` in relevance order.

    Only the shown groups' paragraphs are ordered; the order is the full relevance order's.
    """
    wanted = np.zeros(int(groups.max(initial=-1)) + 1, dtype=bool)
    wanted[shown] = True
    kept = np.flatnonzero(wanted[groups])
    if not len(kept):
        return {}
    ranked = kept[paragraph_order(snap, docs[kept], exact[kept], score[kept], "relevance")]
    ranked = ranked[np.argsort(groups[ranked], kind="stable")]  # by group, best first
    owners = groups[ranked]
    firsts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    ends = np.append(firsts[1:], len(ranked))
    return {
        int(owners[a]): ranked[a : min(b, a + per)]
        for a, b in zip(firsts.tolist(), ends.tolist(), strict=True)
    }


def report_order(
    snap: Snapshot, codes: np.ndarray, exact: np.ndarray, best: np.ndarray, sort: str
) -> np.ndarray:
    """Indices into `codes` (reports with matches) in display order."""
    if sort == "region":
        return np.argsort(snap.region_rank[codes], kind="stable")
    keys = [codes, -best, ~exact]
    if sort == "year":
        keys.append(-snap.report_year[codes].astype(np.int64))
    return np.lexsort(keys)
