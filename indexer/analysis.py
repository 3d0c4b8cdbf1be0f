"""Text analysis, used identically at index and query time.

- matching: `normalize` folds width and case (NFKC) and script (traditional characters to
  simplified, one for one: indexer/variants.py), makes quotation and interpunct marks
  transparent and turns clause/sentence punctuation into a break; the build indexes that form's
  characters and character pairs (indexer/textindex.py), and queries are matched against it.
- words: `words()` splits a query into jieba's precise-mode words, with the domain dictionary in
  `data/userdict.txt`; each word is looked up and scored through the matching form. (Paragraphs
  are not segmented at index time: nothing would read those postings.)
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np

from indexer import jieba_state
from indexer.variants import character_map

BREAK = "|"  # stands for every clause break in normalised text
USER_DICT = Path(__file__).with_name("data") / "userdict.txt"

# Quotation, book-title and interpunct marks, and white space: transparent.
TRANSPARENT = (
    "\"'“”‘’„‟«»‹›「」『』《》〈〉〝〞〟＂＇·・•‧∙⋅･‐ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
)
# Anything else that is not a letter or digit breaks adjacency: ，。、；：！？ line ends, brackets, …
_BREAKS = re.compile(r"(?:[^\w%‰℃°]|_)+")  # symbols that belong to a number are kept
_ONE_BREAK = re.compile(r"[^\w%‰℃°]|_")


class _Fold(dict):
    """ord(ch) → the matching form of one character: NFKC, lower case, transparent marks removed.

    Folding per character (not per string) keeps every normalised character traceable to the
    original character it came from, which snippet highlighting relies on.
    """

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code)).lower()
        folded = "".join(ch for ch in folded if ch not in TRANSPARENT).translate(character_map())
        self[code] = folded
        return folded


_FOLD = _Fold()


def normalize(text: str) -> str:
    """Matching form of a text: folded per character, every run of break characters a single `|`."""
    return _BREAKS.sub(BREAK, text.translate(_FOLD)).strip(BREAK)


class _Sizes(dict):
    """ord(ch) → chr(len(matching form of ch)): `str.translate` then gives every size at once."""

    def __missing__(self, code: int) -> str:
        size = chr(len(_FOLD[code]))
        self[code] = size
        return size


_SIZES = _Sizes()


def normalize_spans(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`normalize(text)` and, for each of its characters, the span of `text` it comes from."""
    norm, starts, ends = normalize_origins(text)
    return norm, list(zip(starts.tolist(), ends.tolist(), strict=True))


_ONES = chr(1) * 4096  # `_SIZES` of a text whose every character folds to one character


def normalize_origins(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """`normalize(text)` and, per character, where its span of `text` starts and ends (arrays)."""
    flat = text.translate(_FOLD)
    if len(flat) == len(text) and text.translate(_SIZES) == _ONES[: len(text)]:
        norm = _BREAKS.sub(BREAK, flat)
        if len(norm) == len(flat):  # one character each, no run of breaks merged
            lo, hi = _unbroken(norm)
            starts = np.arange(lo, hi, dtype=np.int64)
            return norm[lo:hi], starts, starts + 1
    sizes = np.frombuffer(text.translate(_SIZES).encode("utf-32-le"), dtype=np.uint32)
    origin = np.repeat(np.arange(len(text), dtype=np.int64), sizes)  # flat index → text index
    marked = _ONE_BREAK.sub("\0", flat)  # every break character (NUL is one itself) → NUL
    broken = np.frombuffer(marked.encode("utf-32-le"), dtype=np.uint32) == 0
    after = np.r_[False, broken[:-1]]  # the previous character is a break too
    first = np.flatnonzero(broken & ~after)  # a run of breaks: one BREAK spanning the run
    last = np.flatnonzero(broken & ~np.r_[broken[1:], False])
    ends = origin + 1
    ends[first] = origin[last] + 1
    keep = ~(broken & after)
    norm = _BREAKS.sub(BREAK, flat)
    starts, ends = origin[keep], ends[keep]
    lo, hi = _unbroken(norm)
    return norm[lo:hi], starts[lo:hi], ends[lo:hi]


def _unbroken(norm: str) -> tuple[int, int]:
    """The span of `norm` without a leading or trailing break (what `normalize` strips)."""
    lo = 1 if norm.startswith(BREAK) else 0
    return lo, len(norm) - 1 if len(norm) > lo and norm.endswith(BREAK) else len(norm)


@lru_cache(maxsize=1)
def segmenter() -> jieba.Tokenizer:
    """A jieba tokenizer of our own with the domain dictionary loaded: certain in every process."""
    jieba.setLogLevel(logging.WARNING)
    return jieba_state.loaded(jieba.Tokenizer(), USER_DICT)


def words(text: str) -> list[str]:
    """jieba's precise-mode words of a text, width/case/script folded (traditional characters
    read as simplified, as the matching form does), punctuation and spaces dropped."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(character_map())
    return [w for w in segmenter().lcut(folded, HMM=True) if _is_word(w)]


def _is_word(word: str) -> bool:
    return any(ch.isalnum() for ch in word)
