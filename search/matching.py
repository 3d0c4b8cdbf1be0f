"""Exact substring search: n-gram postings find candidate paragraphs, the normalised text confirms them."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher, MultiMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.analysis import BREAK, grams, normalize

from .positions import overlaps
from .snapshot import Snapshot, load

SCAN_FRACTION = 0.25  # a rarest gram in more paragraphs than this: confirm against every paragraph
# (as for a phrase with no 2-gram at all, such as a single character)
ENOUGH = 200  # stop intersecting posting lists once this few candidates remain
EMPTY = np.zeros(0, dtype=np.int64)


@dataclass
class Plan:
    """How a phrase was matched, for benchmarks and the curious."""

    grams: list[tuple[str, int]]  # (gram, paragraphs containing it), rarest first
    scanned: bool  # confirmed against every paragraph instead of the candidates
    candidates: int
    exact_postings: bool = False  # the phrase is one 2-gram: its postings are the answer


class Matcher:
    """Finds the paragraphs containing a phrase, exactly, in one index generation."""

    def __init__(self, snapshot: Snapshot, reader: IndexReader) -> None:
        self.snapshot = snapshot
        self.reader = reader

    @classmethod
    def standalone(cls, searcher: Searcher) -> Matcher:
        """A matcher with a private snapshot, for one searcher outside the engine (tests, tools)."""
        reader = searcher.reader()
        return cls(load(reader, ("", reader.generation())), reader)

    def find(self, phrase: str) -> np.ndarray:
        """Sorted document numbers of the paragraphs whose normalised text contains the phrase's."""
        needle = normalize(phrase)
        if not needle:
            return EMPTY
        return self._occurrences(needle)[0]

    def counts(self, phrase: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The paragraphs containing a phrase and how often, as `str.count` counts; None when
        positions cannot say (no character index, or occurrences that may overlap)."""
        needle = normalize(phrase)
        if not needle or self.snapshot.chars is None or overlaps(needle):
            return None
        return self._occurrences(needle)

    def _occurrences(self, needle: str) -> tuple[np.ndarray, np.ndarray | None]:
        return self.snapshot.finds.get(needle, lambda: _frozen(*self._located(needle)))

    def _located(self, needle: str) -> tuple[np.ndarray, np.ndarray | None]:
        """Through the snapshot's character positions; the n-gram postings are the fallback."""
        chars = self.snapshot.chars
        return chars.occurrences(needle) if chars is not None else (self._find(needle)[0], None)

    def plan(self, phrase: str) -> Plan:
        return self._find(normalize(phrase))[1]

    def _find(self, needle: str) -> tuple[np.ndarray, Plan]:
        if not needle:
            return EMPTY, Plan([], False, 0)
        needed = sorted(self._needed_grams(needle), key=lambda pair: pair[1])
        if needed and needed[0][1] == 0:
            return EMPTY, Plan(needed, False, 0)
        if len(needle) == 2 and BREAK not in needle:
            return self._postings(needle), Plan(needed, False, needed[0][1], exact_postings=True)
        candidates = self._candidates(needed)
        if candidates is None:
            return self._scan(needle), Plan(needed, True, len(self.snapshot.paragraphs))
        texts = self.snapshot.texts
        hits = np.fromiter((d for d in candidates.tolist() if needle in texts[d]), dtype=np.int64)
        return hits, Plan(needed, False, len(candidates))

    def _scan(self, needle: str) -> np.ndarray:
        """Every paragraph tested, the loop in C (`map` over `str.__contains__`)."""
        snap = self.snapshot
        found = map(operator.contains, snap.live_texts, repeat(needle))
        return snap.paragraphs[np.fromiter(found, dtype=bool, count=len(snap.paragraphs))]

    def _needed_grams(self, needle: str) -> list[tuple[str, int]]:
        wanted: set[str] = set()
        for seg in needle.split(BREAK):
            wanted.update(grams(seg))  # a one-character run has none: it is confirmed by the scan
        return [(g, self.reader.doc_frequency("grams", g)) for g in wanted]

    def _postings(self, gram: str) -> np.ndarray:
        ids = posting_ids(self.reader.postings("grams", gram))
        return ids[self.snapshot.report[ids] >= 0] if len(ids) else EMPTY

    def _candidates(self, needed: list[tuple[str, int]]) -> np.ndarray | None:
        """Intersect posting lists rarest first; None when scanning everything is cheaper."""
        total = max(len(self.snapshot.paragraphs), 1)
        if not needed or needed[0][1] > SCAN_FRACTION * total:
            return None
        found: np.ndarray | None = None
        for gram, df in needed:
            if found is not None and (len(found) <= ENOUGH or df > 8 * len(found)):
                break
            ids = self._postings(gram)
            found = ids if found is None else np.intersect1d(found, ids, assume_unique=True)
        return found


def _frozen(*arrays: np.ndarray | None) -> tuple:
    """Cached results are shared between requests: make accidental writes fail loudly."""
    for array in arrays:
        if array is not None:
            array.flags.writeable = False
    return arrays


def posting_ids(matcher) -> np.ndarray:
    """A fresh matcher's document numbers, read a block at a time where whoosh allows it.

    Deleted documents may be included: callers keep only the snapshot's live paragraphs.

    `Matcher.all_ids()` steps through postings one by one in Python; for a gram found in most
    paragraphs that is most of a query's time.
    """
    if isinstance(matcher, FilterMatcher):  # deleted documents: the caller drops them anyway
        return posting_ids(matcher.child)
    if isinstance(matcher, MultiMatcher):
        parts = [
            posting_ids(m) + offset
            for m, offset in zip(matcher.matchers, matcher.offsets, strict=True)
        ]
        return np.concatenate(parts) if parts else EMPTY
    if isinstance(matcher, W3LeafMatcher):
        blocks = []
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            blocks.append(np.asarray(matcher._ids[matcher._i :], dtype=np.int64))
            matcher._next_block()
        return np.concatenate(blocks) if blocks else EMPTY
    return np.fromiter(matcher.all_ids(), dtype=np.int64)  # any other kind: the slow way
