"""Where every character and character pair of a list of normalised texts occurs, as flat arrays.

Built once per segment at index time (indexer/derived.py) and memory-mapped by every reader:

- `codes`: the texts end to end as code points, each followed by a separator no normalised text
  or needle holds; `starts[i]` is where text i begins (`starts[n]` is the end).
- character postings: for each distinct character, the texts holding it and how often;
- pair postings: for each distinct pair of adjacent characters, the texts and counts, and every
  position where the pair begins (grouped by pair, ascending within a group).

A needle of one character, or of two different characters, is answered by its postings alone;
a longer one by the positions of its rarest pair, each checked against the needle's other
characters with one gather per character over `codes`. Every step is an array operation whose
cost follows the rarest pair's frequency, never the corpus size, and never a Python step per text.
Counts are `str.count`'s (non-overlapping), which BM25 and the figures use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEPARATOR = 0  # normalize() turns U+0000 into a break: no text or needle holds it
SHIFT = 21  # every code point fits in 21 bits: a pair's key is first << SHIFT | second
BLOCK_BITS = 4  # positions per entry of the table that maps positions to texts
TF_MAX = np.iinfo(np.uint16).max
EMPTY = np.zeros(0, dtype=np.int64)
FIELDS = ("codes", "starts", "blocks", "ukeys", "ubounds", "udocs", "utf",
          "pkeys", "pbounds", "pdocs", "ptf", "qbounds", "qpos")  # fmt: skip


@dataclass(frozen=True)
class TextIndex:
    codes: np.ndarray  # uint16, or uint32 when a text holds a character beyond the BMP
    starts: np.ndarray  # int64, n + 1
    blocks: np.ndarray  # int32: the text each block of 2**BLOCK_BITS positions begins in
    ukeys: np.ndarray  # uint32: distinct characters, ascending
    ubounds: np.ndarray  # int64, len(ukeys) + 1: each character's slice of udocs/utf
    udocs: np.ndarray  # int32: texts holding the character, ascending
    utf: np.ndarray  # uint16: how often (capped at 65,535)
    pkeys: np.ndarray  # uint64: distinct pairs, ascending
    pbounds: np.ndarray  # int64: each pair's slice of pdocs/ptf
    pdocs: np.ndarray  # int32
    ptf: np.ndarray  # uint16
    qbounds: np.ndarray  # int64: each pair's slice of qpos
    qpos: np.ndarray  # int32 (int64 beyond 2**31 positions): where each pair begins

    @property
    def size(self) -> int:
        return len(self.starts) - 1

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {prefix + name: getattr(self, name) for name in FIELDS}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> TextIndex:
        return cls(**{name: arrays[prefix + name] for name in FIELDS})

    @classmethod
    def of(cls, texts: list[str]) -> TextIndex:
        """Index the texts (one per document; empty for documents that are not searched)."""
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        starts = np.ones(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=starts[1:])
        starts[1:] += 1
        joined = "\0" + "\0".join(texts) + "\0"
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        if not len(codes) or int(codes.max()) < 1 << 16:
            codes = codes.astype(np.uint16)
        pos_type = np.int32 if len(codes) < 1 << 31 else np.int64
        owner = np.repeat(np.arange(-1, len(texts), dtype=np.int32), np.r_[1, lengths + 1])
        blocks = owner[:: 1 << BLOCK_BITS].copy()
        blocks[blocks < 0] = 0
        ukeys, ubounds, udocs, utf = _char_postings(codes, owner)
        pkeys, pbounds, pdocs, ptf, qbounds, qpos = _pair_postings(codes, owner, pos_type)
        return cls(codes, starts, blocks, ukeys, ubounds, udocs, utf,
                   pkeys, pbounds, pdocs, ptf, qbounds, qpos)  # fmt: skip

    # --- queries --------------------------------------------------------------------------------

    def occurrences(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """The texts holding the needle (ascending) and how often, as `str.count` counts."""
        if not needle:
            return EMPTY, EMPTY
        if len(needle) == 1:
            k = _find(self.ukeys, ord(needle))
            return self._slice(self.ubounds, k, self.udocs, self.utf)
        if len(needle) == 2 and needle[0] != needle[1]:
            k = _find(self.pkeys, pair_key(needle[0], needle[1]))
            return self._slice(self.pbounds, k, self.pdocs, self.ptf)
        found = self.positions(needle)
        docs = self.docs(found)
        if not len(docs):
            return EMPTY, EMPTY
        first = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
        counts = np.diff(first, append=len(docs))
        if overlaps(needle):
            counts = _non_overlapping(found, docs, first, counts, len(needle))
        return docs[first], counts

    def at_most(self, needle: str) -> int:
        """An upper bound of the texts holding a needle of two or more characters, read off
        the postings' bounds alone: the texts holding its rarest pair."""
        return min((hi - lo for lo, hi in self._pair_ranges(needle, positions=False)), default=0)

    def containing(self, needle: str) -> np.ndarray:
        return self.occurrences(needle)[0]

    def positions(self, needle: str) -> np.ndarray:
        """Sorted positions in `codes` where the needle (two or more characters) begins."""
        ranges = self._pair_ranges(needle)
        if not ranges or min(hi - lo for lo, hi in ranges) == 0:
            return EMPTY
        rarest = min(range(len(ranges)), key=lambda i: ranges[i][1] - ranges[i][0])
        lo, hi = ranges[rarest]
        found = self.qpos[lo:hi].astype(np.int64) - rarest
        found = found[(found >= 0) & (found + len(needle) <= len(self.codes))]
        for k in sorted(set(range(len(needle))) - {rarest, rarest + 1},
                        key=lambda k: abs(k - rarest)):  # fmt: skip
            if not len(found):
                break
            found = found[self.codes[found + k] == ord(needle[k])]
        return found

    def docs(self, positions: np.ndarray) -> np.ndarray:
        """The text each position falls in: the text its block begins in, moved on past the
        starts within the block (a few small gathers, cheaper than a binary search each)."""
        docs = self.blocks[positions >> BLOCK_BITS].astype(np.int64)
        moving = np.flatnonzero(self.starts[docs + 1] <= positions)
        while len(moving):
            docs[moving] += 1
            moving = moving[self.starts[docs[moving] + 1] <= positions[moving]]
        return docs

    def text(self, doc: int) -> str:
        """One text back from its code points (for the rare caller that needs a string)."""
        part = self.codes[self.starts[doc] : self.starts[doc + 1] - 1]
        return part.astype(np.uint32).tobytes().decode("utf-32-le")

    def _pair_ranges(self, needle: str, positions: bool = True) -> list[tuple[int, int]]:
        """Each adjacent pair's slice of `qpos` (its positions), or of `pdocs` (its texts)."""
        bounds = self.qbounds if positions else self.pbounds
        ranges = []
        for a, b in zip(needle, needle[1:], strict=False):
            k = _find(self.pkeys, pair_key(a, b))
            ranges.append((0, 0) if k < 0 else (int(bounds[k]), int(bounds[k + 1])))
        return ranges

    @staticmethod
    def _slice(bounds, k, docs, tf) -> tuple[np.ndarray, np.ndarray]:
        if k < 0:
            return EMPTY, EMPTY
        lo, hi = int(bounds[k]), int(bounds[k + 1])
        return docs[lo:hi], tf[lo:hi]


def pair_key(a: str, b: str) -> int:
    return ord(a) << SHIFT | ord(b)


def overlaps(needle: str) -> bool:
    """Whether two occurrences can overlap (`str.count` then counts fewer than the positions)."""
    return any(needle[:k] == needle[-k:] for k in range(1, len(needle)))


def _find(keys: np.ndarray, key: int) -> int:
    """Index of `key` in the ascending `keys`, -1 when absent."""
    if key < 0 or (len(keys) and key > int(keys[-1])):
        return -1
    i = int(np.searchsorted(keys, key))
    return i if i < len(keys) and int(keys[i]) == key else -1


def _non_overlapping(found, docs, first, counts, length) -> np.ndarray:
    """`str.count`'s count where occurrences overlap: taken left to right, each after the last."""
    close = np.flatnonzero((np.diff(found) < length) & (docs[1:] == docs[:-1]))
    if not len(close):
        return counts
    counts = counts.copy()
    group = np.searchsorted(first, close, side="right") - 1
    for g in np.unique(group).tolist():
        end = first[g + 1] if g + 1 < len(first) else len(found)
        kept, last = 0, -length
        for p in found[first[g] : end].tolist():
            if p >= last + length:
                kept, last = kept + 1, p
        counts[g] = kept
    return counts


def _grouped(k: np.ndarray, d: np.ndarray):
    """For keys `k` sorted with their texts `d` (ascending within a key): the distinct keys,
    each key's slice of the (key, text) postings, the postings' texts and counts, and each
    key's slice of `k` itself (its positions)."""
    if not len(k):
        nothing = np.zeros(1, dtype=np.int64)
        return k, nothing, d.astype(np.int32), np.zeros(0, dtype=np.uint16), nothing
    at = np.flatnonzero(np.r_[True, (k[1:] != k[:-1]) | (d[1:] != d[:-1])])
    docs = d[at].astype(np.int32)
    tf = np.minimum(np.diff(at, append=len(k)), TF_MAX).astype(np.uint16)
    new_key = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    bounds = np.append(np.searchsorted(at, new_key), len(at)).astype(np.int64)
    pos_bounds = np.append(new_key, len(k)).astype(np.int64)
    return k[new_key], bounds, docs, tf, pos_bounds


def _char_postings(codes: np.ndarray, owner: np.ndarray):
    where = np.flatnonzero(codes != SEPARATOR)
    order = where[np.argsort(codes[where], kind="stable")]  # radix sort for uint16
    distinct, bounds, docs, tf, _ = _grouped(codes[order], owner[order])
    return distinct.astype(np.uint32), bounds, docs, tf


def _pair_postings(codes: np.ndarray, owner: np.ndarray, pos_type):
    first, second = codes[:-1], codes[1:]
    where = np.flatnonzero((first != SEPARATOR) & (second != SEPARATOR))
    if codes.dtype == np.uint16:  # two stable radix sorts: by second, then by first
        by_second = where[np.argsort(second[where], kind="stable")]
        order = by_second[np.argsort(first[by_second], kind="stable")]
    else:
        keys = first[where].astype(np.uint64) << SHIFT | second[where].astype(np.uint64)
        order = where[np.argsort(keys, kind="stable")]
    keys = first[order].astype(np.uint64) << SHIFT | second[order].astype(np.uint64)
    distinct, bounds, docs, tf, pos_bounds = _grouped(keys, owner[order])
    return distinct, bounds, docs, tf, pos_bounds, order.astype(pos_type)
