"""Text analysis, used identically at index and query time.

- matching: `normalize` folds width and case (NFKC), makes quotation and interpunct marks
  transparent and turns clause/sentence punctuation into a break; `SegmentTokenizer | GramFilter`
  turns that into the character 2-grams whose postings find candidate paragraphs.
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
from whoosh.analysis import Filter, Token, Tokenizer

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
        folded = "".join(ch for ch in folded if ch not in TRANSPARENT)
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


def normalize_origins(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """`normalize(text)` and, per character, where its span of `text` starts and ends (arrays)."""
    flat = text.translate(_FOLD)
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
    lo = 1 if norm.startswith(BREAK) else 0
    hi = len(norm) - 1 if len(norm) > lo and norm.endswith(BREAK) else len(norm)
    return norm[lo:hi], starts[lo:hi], ends[lo:hi]


def segments(text: str) -> list[str]:
    """The unbroken runs of a normalised text."""
    return [seg for seg in normalize(text).split(BREAK) if seg]


def grams(segment: str) -> list[str]:
    """The character 2-grams of one unbroken run (a one-character run has none).

    One-character queries are answered by scanning the normalised texts, which costs about as
    much as reading a common character's postings; leaving 1-grams out makes the index a third
    smaller and its build a third faster.
    """
    return [segment[i : i + 2] for i in range(len(segment) - 1)]


class SegmentTokenizer(Tokenizer):
    """One token per unbroken run of the normalised text."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, seg in enumerate(segments(value)):
            token.text = seg
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token


class GramFilter(Filter):
    """Replaces each run with its character 2-grams, each once per document.

    The field records only which paragraphs hold a gram, so repeats would be wasted work.
    """

    def __call__(self, tokens):
        seen: set[str] = set()
        for token in tokens:
            for gram in grams(token.text):
                if gram not in seen:
                    seen.add(gram)
                    token.text = gram
                    yield token


@lru_cache(maxsize=1)
def segmenter() -> jieba.Tokenizer:
    """A jieba tokenizer of our own with the domain dictionary loaded: certain in every process."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USER_DICT))
    return tokenizer


def words(text: str) -> list[str]:
    """jieba's precise-mode words of a text, width/case folded, punctuation and spaces dropped."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return [w for w in segmenter().lcut(folded, HMM=True) if _is_word(w)]


def _is_word(word: str) -> bool:
    return any(ch.isalnum() for ch in word)


def matching_analyzer():
    return SegmentTokenizer() | GramFilter()
