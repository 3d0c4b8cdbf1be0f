"""Exact substring search: n-gram postings find candidate paragraphs, the normalised text confirms them."""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.searching import Searcher

from indexer.analysis import BREAK, grams, normalize
from indexer.schema import PARAGRAPH

SCAN_FRACTION = 0.25  # a rarest gram in more paragraphs than this: confirm against every paragraph
ENOUGH = 200  # stop intersecting posting lists once this few candidates remain


@dataclass
class Plan:
    """How a phrase was matched, for benchmarks and the curious."""

    grams: list[tuple[str, int]]  # (gram, paragraphs containing it), rarest first
    scanned: bool  # confirmed against every paragraph instead of the candidates
    candidates: int


class ParagraphTexts:
    """The normalised text of every live paragraph, by document number, loaded once per searcher."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.texts: dict[int, str] = {
            docnum: normalize(fields["text"])
            for docnum, fields in searcher.reader().iter_docs()
            if fields.get("kind") == PARAGRAPH
        }

    def find(self, phrase: str) -> tuple[list[int], Plan]:
        """Document numbers of the paragraphs whose normalised text contains the phrase's."""
        needle = normalize(phrase)
        if not needle:
            return [], Plan([], False, 0)
        needed = sorted(self._needed_grams(needle), key=lambda pair: pair[1])
        if needed and needed[0][1] == 0:
            return [], Plan(needed, False, 0)
        candidates = self._candidates(needed)
        scanned = candidates is None
        pool = self.texts if scanned else candidates
        hits = sorted(d for d in pool if needle in self.texts.get(d, ""))
        return hits, Plan(needed, scanned, len(self.texts) if scanned else len(candidates))

    def _needed_grams(self, needle: str) -> list[tuple[str, int]]:
        reader = self.searcher.reader()
        wanted: set[str] = set()
        for seg in needle.split(BREAK):
            wanted.update(gram for gram in grams(seg) if len(gram) == min(2, len(seg)))
        return [(g, reader.doc_frequency("grams", g)) for g in wanted]

    def _candidates(self, needed: list[tuple[str, int]]) -> set[int] | None:
        """Intersect posting lists rarest first; None when scanning everything is cheaper."""
        if not needed or needed[0][1] > SCAN_FRACTION * max(len(self.texts), 1):
            return None
        reader = self.searcher.reader()
        found: set[int] | None = None
        for gram, df in needed:
            if found is not None and (len(found) <= ENOUGH or df > 8 * len(found)):
                break
            ids = set(reader.postings("grams", gram).all_ids())
            found = ids if found is None else found & ids
        return found
