"""Related terms: the vocabulary words that most often share a paragraph with a query.

The index keeps no per-paragraph word lists (segmenting every paragraph at build time would cost
far more than the build's budget), so the words are found at query time, bounded:

- the query's best-ranked matches (the first `SAMPLE` in relevance order) are scanned for the
  vocabulary words they hold, counted once per paragraph: a paragraph's matching form is read
  left to right, taking at each place the longest word (2–6 characters) of jieba's table with
  our domain dictionary. The table also holds every prefix of a word (frequency 0), so a run
  is abandoned as soon as no word starts so; it costs a few lookups a character, where jieba's
  own segmentation would cost many times more;
- a word found mostly inside a longer word found there (人民 inside 人民调解) is left out, as are
  the query's own words and words containing them or contained in them, single characters,
  anything but Chinese characters, and a few function words;
- the rest are ranked by how many sampled paragraphs hold them weighted by their lift: their
  share of the sample over their share of all paragraphs, the latter bounded from above by the
  text index's postings alone (the paragraphs holding the word's rarest character pair), so
  ranking two hundred candidates reads no positions; the bound only orders the words and is
  never shown. A word inside a better one, or holding one, is skipped, so the list stays varied;
- each word kept is reported with the exact number of ALL the query's matches holding it: its
  rows in the text index intersected with the matches.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from indexer.analysis import segmenter

from .evaluate import marks
from .snapshot import Snapshot
from .spelling import han

SAMPLE = 100  # best-ranked matches scanned for words
KEEP = 10  # words reported
MIN_LEN, MAX_LEN = 2, 6
MIN_SUPPORT = 2  # sampled paragraphs a word must be in
MIN_LIFT = 1.5  # a word must be this much more common in the sample than in the index
MAX_CANDIDATES = 200  # words (most frequent in the sample) whose whole-index count is looked up
NESTED_SHARE = 0.8  # a word this often inside one longer word found is only part of that word
CHECK_EVERY = 32  # paragraphs scanned (or words counted) between two looks at the clock
_STOP_LIST = (  # very common words that say little next to any query
    "我们 他们 进一步 以及 通过 进行 开展 加强 推进 推动 不断 持续 全面 深入 积极 认真 主要 方面 "
    "情况 问题 工作 相关 有关 其中 同时 一是 二是 三是 四是 五是 六是 七是 八是 九是 十是 一个 "
    "一批 一些 已经 还是 以上 以下 按照 根据 围绕 坚持 落实 提升 提高 完善 健全 切实 有效 各类 "
    "各项 全年 全镇 全区 全县 全市 本年度 年度 今年 去年 共计 累计 其他 等等 方式 形式 为了 对于 "
    "关于 以来 目前 当前 今后 做好 实现 确保 强化 注重 着力 依法 依据 组织 召开 建立 实施 举办"
)
STOP_WORDS = frozenset(_STOP_LIST.split())


@dataclass(frozen=True)
class Related:
    word: str
    total: int  # the query's matches (under its filters) holding the word too
    q: str  # the query AND the word (quoted: found exactly as counted)

    def to_json(self) -> dict:
        return {"word": self.word, "total": self.total, "q": self.q}


def words_in(text: str, vocabulary: dict[str, int]) -> set[str]:
    """The vocabulary words of `text`, read left to right taking the longest word (2–6
    characters, frequency > 0) at each place; a character starting none is stepped over.

    Longest-first keeps runs across two words out (高行 of 提高行政, 议案 of 复议案件), which
    every-substring matching would count as words of their own."""
    found = set()
    n, i = len(text), 0
    while i < n - 1:
        end = 0
        for j in range(i + MIN_LEN, min(i + MAX_LEN, n) + 1):
            frequency = vocabulary.get(text[i:j])
            if frequency is None:  # no word starts this way
                break
            if frequency > 0:
                end = j
        if end:
            found.add(text[i:end])
            i = end
        else:
            i += 1
    return found


def related(
    snap: Snapshot, docs: np.ndarray, sample: np.ndarray, own: Iterable[str],
    check: Callable[[], None] = lambda: None, keep: int = KEEP,
) -> tuple[tuple[str, int], ...]:  # fmt: skip
    """Up to `keep` words related to a query, best first, each with the number of `docs`
    (all the query's matches, ascending rows) holding it. `sample`: the rows of the best-ranked
    matches, scanned for candidates; `own`: the query's words (normalised), never offered."""
    if len(sample) < MIN_SUPPORT:
        return ()
    vocabulary = segmenter().FREQ
    held: Counter[str] = Counter()
    seen: dict[str, set[str]] = {}  # reports repeat paragraphs word for word
    for n, row in enumerate(sample.tolist(), 1):
        text = snap.text(row)
        if text not in seen:
            seen[text] = words_in(text, vocabulary)
        held.update(seen[text])
        if n % CHECK_EVERY == 0:
            check()
    own = [w for w in own if w]
    candidates = _candidates(held, own)
    everywhere = len(snap.paragraphs)
    scored = []
    for n, word in enumerate(candidates, 1):
        in_index = snap.at_most(word)  # ≥ the paragraphs holding it: orders, never shown
        lift = (held[word] / len(sample)) / (max(in_index, held[word]) / everywhere)
        if lift >= MIN_LIFT:
            scored.append((-held[word] * math.log(lift), word))
        if n % CHECK_EVERY == 0:
            check()
    scored.sort()
    mark = None
    out: list[tuple[str, int]] = []
    for _, word in scored:
        if len(out) >= keep:
            break
        if any(_overlap(word, other) for other, _ in out):
            continue
        if mark is None:
            mark = marks(docs, snap.size)
        rows = snap.occurrences(word)[0]
        out.append((word, int(np.count_nonzero(mark[rows]))))
    return tuple(out)


def _candidates(held: Counter[str], own: list[str]) -> list[str]:
    """Words worth counting in the whole index, most often held in the sample first."""
    inside: dict[str, int] = {}  # word → most paragraphs of a longer word holding it
    for word, count in held.items():
        for size in range(MIN_LEN, len(word)):
            for i in range(len(word) - size + 1):
                part = word[i : i + size]
                if part in held and inside.get(part, 0) < count:
                    inside[part] = count
    kept = [
        word
        for word, count in held.items()
        if count >= MIN_SUPPORT
        and inside.get(word, 0) < NESTED_SHARE * count
        and word not in STOP_WORDS
        and han(word)
        and not any(_overlap(word, mine) for mine in own)
    ]
    kept.sort(key=lambda word: (-held[word], word))
    return kept[:MAX_CANDIDATES]


def _overlap(a: str, b: str) -> bool:
    return a in b or b in a
