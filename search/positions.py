"""Where every character of a generation's normalised texts occurs: substring search in numpy.

All texts, by document number, are laid end to end with a separator that no normalised text or
needle contains, as one array of code points; `order` lists the positions of that array
grouped by character (each group in position order). The occurrences of a needle are then the
positions of its rarest character, shifted and checked against the needle's other characters:
gathers over arrays, whose cost follows that character's frequency, never the corpus size and
never a Python step per paragraph. The arrays hold no Python objects, so workers forked after
the snapshot is loaded share their pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEPARATOR = "\x00"  # normalize() turns it into a break: no text or needle holds it
EMPTY = np.zeros(0, dtype=np.int64)
BLOCK_BITS = 4  # positions per entry of the block table that maps positions to documents


@dataclass(frozen=True)
class CharIndex:
    codes: np.ndarray  # uint16 (uint32 if any character is beyond the BMP): the texts end to end
    starts: np.ndarray  # by document number: where its text begins in `codes` (`order`'s type)
    order: np.ndarray  # int32/int64: positions in `codes`, grouped by character, ascending within
    bounds: np.ndarray  # by code point, len max + 2: `order[bounds[c]:bounds[c + 1]]` hold `c`
    ends: np.ndarray  # `starts` and a sentinel past every position
    blocks: np.ndarray  # by block of 2**BLOCK_BITS positions: the document its first one is in

    @classmethod
    def of(cls, texts: list[str]) -> CharIndex:
        """Index the texts (one per document number; empty for documents that are not searched)."""
        joined = SEPARATOR + SEPARATOR.join(texts) + SEPARATOR
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        if len(codes) and int(codes.max()) < 1 << 16:
            codes = codes.astype(np.uint16)
        index_type = np.int32 if len(codes) < 1 << 30 else np.int64  # half the bytes to search
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        starts = np.ones(len(texts), dtype=np.int64)
        starts[1:] += np.cumsum(lengths[:-1])
        starts = starts.astype(index_type)
        order = np.argsort(codes, kind="stable").astype(index_type)
        counts = np.bincount(codes, minlength=int(codes.max()) + 1 if len(codes) else 1)
        bounds = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=bounds[1:])
        ends = np.append(starts, np.iinfo(index_type).max).astype(index_type)
        block_starts = np.arange(0, len(codes), 1 << BLOCK_BITS, dtype=index_type)
        blocks = (np.searchsorted(starts, block_starts, side="right") - 1).astype(index_type)
        return cls(codes, starts, order, bounds, ends, blocks)

    def positions(self, needle: str) -> np.ndarray:
        """Sorted positions in `codes` where the needle begins (overlapping ones included)."""
        if not needle:
            return EMPTY
        groups = [self._group(ch) for ch in needle]
        rarest = min(range(len(needle)), key=lambda k: len(groups[k]))
        found = groups[rarest] - rarest  # in `order`'s type, ascending
        lo = int(np.searchsorted(found, 0))  # only the needles that fit inside `codes`
        hi = int(np.searchsorted(found, len(self.codes) - len(needle), side="right"))
        found = found[lo:hi]
        for k, ch in sorted(enumerate(needle), key=lambda pair: len(groups[pair[0]])):
            if k != rarest and len(found):
                found = found[np.take(self.codes, found + k) == ord(ch)]  # take: faster here
        return found

    def docs(self, positions: np.ndarray) -> np.ndarray:
        """The document number each position falls in.

        The document at the start of the position's block, then moved on past the starts that
        follow it within the block: a few small gathers, faster than a binary search each.
        """
        docs = self.blocks[positions >> BLOCK_BITS].astype(np.int64)
        moving = np.flatnonzero(self.ends[docs + 1] <= positions)
        while len(moving):
            docs[moving] += 1
            moving = moving[self.ends[docs[moving] + 1] <= positions[moving]]
        return docs

    def containing(self, needle: str) -> np.ndarray:
        """Sorted, distinct document numbers whose text contains the needle."""
        return self.occurrences(needle)[0]

    def occurrences(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding the needle (sorted) and how often (overlapping ones included)."""
        docs = self.docs(self.positions(needle))
        if not len(docs):
            return EMPTY, EMPTY
        first = np.ones(len(docs), dtype=bool)
        first[1:] = docs[1:] != docs[:-1]
        starts = np.flatnonzero(first)
        return docs[starts], np.diff(starts, append=len(docs))

    def counts(self, needle: str, size: int) -> np.ndarray:
        """Occurrences per document number (overlapping ones included: see `overlaps`)."""
        docs, counts = self.occurrences(needle)
        every = np.zeros(size, dtype=np.int64)
        every[docs] = counts
        return every

    def rarest(self, needle: str) -> int:
        """How often the needle's rarest character occurs: what `positions` costs."""
        return min((len(self._group(ch)) for ch in needle), default=0)

    def _group(self, ch: str) -> np.ndarray:
        code = ord(ch)
        if code + 1 >= len(self.bounds):
            return self.order[:0]
        return self.order[self.bounds[code] : self.bounds[code + 1]]


def overlaps(needle: str) -> bool:
    """Whether two occurrences can overlap (`str.count` counts them apart from the positions)."""
    return any(needle[:k] == needle[-k:] for k in range(1, len(needle)))
