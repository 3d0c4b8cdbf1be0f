"""Exact substring search over one generation: its segments' text indexes, normalised needles."""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis import normalize

from .cache import Cache
from .snapshot import EMPTY, Snapshot, load


class Matcher:
    """Finds the paragraphs containing a phrase, exactly, and how often, in one generation.

    Answers are kept in the engine's cache when it passes one: a phrase of three or more
    characters costs gathers over its rarest pair's positions, worth keeping for the next page.
    A matcher serves one request (or one tool), and remembers the needles it was asked for.
    """

    def __init__(self, snapshot: Snapshot, cache: Cache | None = None) -> None:
        self.snapshot = snapshot
        self.cache = cache
        self._found: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # this request's needles

    @classmethod
    def standalone(cls, searcher: Searcher) -> Matcher:
        """A matcher with a private snapshot, for one searcher outside the engine (tests, tools)."""
        reader = searcher.reader()
        return cls(load(reader, ("", reader.generation())))

    def find(self, phrase: str) -> np.ndarray:
        """Sorted document numbers of the paragraphs whose normalised text contains the phrase's."""
        return self.counts(phrase)[0]

    def counts(self, phrase: str) -> tuple[np.ndarray, np.ndarray]:
        """The paragraphs containing a phrase (sorted) and how often, as `str.count` counts."""
        needle = normalize(phrase)
        if not needle:
            return EMPTY, EMPTY
        if needle not in self._found:  # matching, then ranking, ask for the same needles
            self._found[needle] = self._occurrences(needle)
        return self._found[needle]

    def _occurrences(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        if self.cache is None or len(needle) <= 2:  # a slice of postings: nothing to keep
            return _frozen(self.snapshot.occurrences(needle))
        key = (self.snapshot.key, "find", needle)
        return self.cache.get(key, lambda: _frozen(self.snapshot.occurrences(needle)))


def _frozen(arrays: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Cached results are shared between requests: make accidental writes fail loudly."""
    for array in arrays:
        array.flags.writeable = False
    return arrays
