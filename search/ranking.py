"""Relevance (BM25F over paragraph text and heading path) and the result orders built on it."""

from __future__ import annotations

import math

import numpy as np

from .matching import Matcher
from .positions import overlaps
from .snapshot import Snapshot

K1, B = 1.2, 0.75
LOOP_COST = 25  # one `str.count` costs about as much as this many character positions gathered
BODY_WEIGHT, HEADING_WEIGHT = 1.0, 3.0  # a match in a heading counts more
SORTS = ("relevance", "year", "region")
EXACT_FIRST = 1e6  # above any score: 24 words × idf ≤ 13 × (K1 + 1)


def scores(matcher: Matcher, docs: np.ndarray, needles: list[str]) -> np.ndarray:
    """BM25F score of each paragraph for the query's words.

    Term frequencies are counted on the matching form (every occurrence, however jieba
    segmented the surrounding text); the words themselves are the query's jieba words.
    """
    snap = matcher.snapshot
    total = np.zeros(len(docs), dtype=np.float64)
    if not len(docs):
        return total
    body_norm = _length_norm(snap.lengths, snap.paragraphs, docs)
    heads = snap.head_id[docs]
    head_norm = _length_norm(snap.head_lengths, snap.paragraphs, docs)
    distinct = np.unique(heads)
    doc_list = docs.tolist()
    for needle in dict.fromkeys(needles):
        df = len(matcher.find(needle))
        idf = math.log(1 + (len(snap.paragraphs) - df + 0.5) / (df + 0.5))
        body = _body_counts(snap, docs, doc_list, needle) / body_norm
        per_head = np.zeros(len(snap.heads), dtype=np.float64)
        per_head[distinct] = _counts(snap.heads, distinct.tolist(), needle)
        head = per_head[heads] / head_norm
        tf = BODY_WEIGHT * body + HEADING_WEIGHT * head
        total += idf * tf / (K1 + tf)
    return total


def _length_norm(lengths: np.ndarray, live: np.ndarray, docs: np.ndarray) -> np.ndarray:
    average = max(float(lengths[live].mean()) if len(live) else 1.0, 1.0)
    return 1 - B + B * lengths[docs] / average


def _body_counts(snap: Snapshot, docs: np.ndarray, doc_list: list[int], needle: str) -> np.ndarray:
    """Occurrences of the needle in each paragraph, as `str.count` counts them."""
    chars = snap.chars
    if chars is None or overlaps(needle) or len(docs) * LOOP_COST < chars.rarest(needle):
        return _counts(snap.texts, doc_list, needle)
    return chars.counts(needle, snap.size)[docs].astype(np.float64)


def _counts(texts: list[str | None], docs: list[int], needle: str) -> np.ndarray:
    return np.fromiter((texts[d].count(needle) for d in docs), dtype=np.float64, count=len(docs))


def paragraph_order(
    snap: Snapshot, docs: np.ndarray, exact: np.ndarray, score: np.ndarray, sort: str
) -> np.ndarray:
    """Indices into `docs` in display order; ties fall back to report and position: stable."""
    natural = snap.natural[docs]  # report, then position: the tie-breaker that keeps pages stable
    if sort == "region":
        return np.lexsort((natural, snap.region_rank[snap.report[docs]]))
    first = -(score + EXACT_FIRST * exact)  # exact matches before all others, then by score
    if sort == "year":
        return np.lexsort((natural, first, -snap.year[docs]))
    return np.lexsort((natural, first))


def report_order(
    snap: Snapshot, codes: np.ndarray, exact: np.ndarray, best: np.ndarray, sort: str
) -> np.ndarray:
    """Indices into `codes` (reports with matches) in display order."""
    if sort == "region":
        return np.argsort(snap.region_rank[codes], kind="stable")
    keys = [codes, -best, ~exact]
    if sort == "year":
        years = np.array([snap.reports[c].year or 0 for c in codes.tolist()], dtype=np.int64)
        keys.append(-years)
    return np.lexsort(keys)
