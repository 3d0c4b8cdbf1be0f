"""Words a mistyped or romanised term may have meant, from the vocabulary and the index.

The vocabulary is jieba's dictionary with our domain words (indexer/data/userdict.txt): its
table holds every word and every prefix of one, so a word can be grown character by character
and abandoned as soon as no word starts that way. Candidates are:

- words that sound the same (toneless pinyin, every reading of each character): 风桥经验 →
  枫桥经验, 调节 → 调解, 法律明白仁 → 法律明白人;
- words one character edit away (a character dropped, doubled or swapped with its neighbour, or
  one replaced by a character the index holds);
- for a term of Latin letters, the words its letters spell as pinyin syllables: tiaojie → 调解.

Only the characters of the index are tried, and the caller keeps a candidate only when the index
finds it: a suggestion is never a word nothing holds.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

MAX_VISITS = 50_000  # prefixes tried for one term: bounds the work whatever the term
MAX_CANDIDATES = 40
MAX_SYLLABLE = 6  # zhuang, shuang


HAN = ("\u3400", "\u9fff")  # CJK ideographs: extension A and the unified block


def han(text: str) -> bool:
    """Whether every character is a CJK ideograph (what the vocabulary's words are made of)."""
    return all(HAN[0] <= ch <= HAN[1] for ch in text)


@dataclass
class Speller:
    """Built once per index generation from the characters its text holds."""

    vocabulary: dict[str, int]  # jieba's table: word → frequency, 0 for a mere prefix
    sounds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # char → syllables
    by_sound: dict[str, list[str]] = field(default_factory=dict)  # syllable → chars
    chars: list[str] = field(default_factory=list)  # the index's characters

    @classmethod
    def of(cls, vocabulary: dict[str, int], chars: list[str]) -> Speller:

        speller = cls(vocabulary, chars=chars)
        for ch in chars:
            for syllable in speller._sounds(ch):
                speller.by_sound.setdefault(syllable, []).append(ch)
        return speller

    def _sounds(self, ch: str) -> tuple[str, ...]:
        """The toneless syllables of a character (of the index or typed), () when it has none."""
        known = self.sounds.get(ch)
        if known is None:
            readings = readings_table().get(ord(ch), "")
            known = tuple(dict.fromkeys(_toneless(r) for r in readings.split(",") if r))
            self.sounds[ch] = known
        return known

    @property
    def nbytes(self) -> int:
        """For the engine's cache: the tables built here (the vocabulary is jieba's own)."""
        return 200 * (len(self.chars) + len(self.sounds))

    def candidates(self, term: str) -> list[tuple[str, int]]:
        """Words `term` may have meant, each with its distance (lower is closer; spelt pinyin
        0, one homophone 2, one edit 3, two homophones 4); never `term` itself."""
        if term.isascii():
            letters = "".join(ch for ch in term.lower() if ch.isalpha())
            return [(text, 0) for text in self._spelt(letters)] if len(letters) >= 2 else []
        if len(term) < 2:
            return []
        found = {text: 2 * changes for text, changes in self._homophones(term).items()}
        for text in self._edits(term):
            found.setdefault(text, 3)
        found.pop(term, None)
        return sorted(found.items(), key=lambda item: (item[1], item[0]))[:MAX_CANDIDATES]

    def _is_word(self, text: str) -> bool:
        return self.vocabulary.get(text, 0) > 0

    def _homophones(self, term: str) -> dict[str, int]:
        """Strings of vocabulary words sounding like `term` → how many characters changed."""
        if not all(self._sounds(ch) for ch in term):
            return {}
        options = [[(ch, 0)] + [(c, 1) for s in self._sounds(ch) for c in self.by_sound.get(s, ())
                                if c != ch] for ch in term]  # fmt: skip
        return self._grown(options)

    def _spelt(self, letters: str) -> list[str]:
        """Strings of vocabulary words whose pinyin is `letters`, commonest first."""
        found: dict[str, int] = {}
        for syllables in _syllables(letters, self.by_sound):
            options = [[(c, 0) for c in self.by_sound[s]] for s in syllables]
            for text in self._grown(options):
                found[text] = sum(self.vocabulary.get(w, 0) for w in _words_of(text, self))
        return sorted(found, key=lambda t: (-found[t], t))[:MAX_CANDIDATES]

    def _grown(self, options: list[list[tuple[str, int]]]) -> dict[str, int]:
        """Every string picking one character per position (with its cost) that splits into
        vocabulary words of two characters or more, at most two changed: string → changes."""
        found: dict[str, int] = {}
        visits = 0
        stack = [(0, "", "", 0)]  # position, text so far, current word so far, changes
        while stack and visits < MAX_VISITS and len(found) < MAX_CANDIDATES * 10:
            at, text, word, changes = stack.pop()
            visits += 1
            if at == len(options):
                if len(word) >= 2 and self._is_word(word):
                    found[text] = min(changes, found.get(text, changes))
                continue
            for ch, cost in reversed(options[at]):  # the typed character is tried first
                if changes + cost > 2:
                    continue
                longer = word + ch
                if longer in self.vocabulary:  # a word or a prefix of one: keep growing
                    stack.append((at + 1, text + ch, longer, changes + cost))
                if len(word) >= 2 and self._is_word(word) and ch in self.vocabulary:  # next word
                    stack.append((at + 1, text + ch, ch, changes + cost))
        return found

    def _edits(self, term: str) -> list[str]:
        """Vocabulary words one edit from `term`: drop, double-typed, swap, replace."""
        out = [term[:i] + term[i + 1 :] for i in range(len(term))]
        out += [term[:i] + term[i + 1] + term[i] + term[i + 2 :] for i in range(len(term) - 1)]
        if len(term) <= 8:
            for i in range(len(term)):
                out += [term[:i] + c + term[i + 1 :] for c in self.chars]
        return [w for w in dict.fromkeys(out) if len(w) >= 2 and self._is_word(w)]


@cache
def readings_table() -> dict[int, str]:
    """pypinyin's table of every character's readings (code point → "diào,tiáo"), read from
    its data file: importing the package would load its phrase dictionary too, five times the
    time, for nothing used here."""
    folder = Path(importlib.util.find_spec("pypinyin").submodule_search_locations[0])
    table = json.loads((folder / "pinyin_dict.json").read_text(encoding="utf-8"))
    return {int(code): readings for code, readings in table.items()}


def _toneless(reading: str) -> str:
    """A pinyin reading without its tone marks; ü is written v, as pinyin keyboards type it."""
    decomposed = unicodedata.normalize("NFD", reading.strip())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch == "\u0308")
    return unicodedata.normalize("NFC", kept).replace("ü", "v").lower()


def _syllables(letters: str, known: dict[str, list[str]], limit: int = 8) -> list[list[str]]:
    """Ways to cut `letters` into known syllables, longest syllables first (at most `limit`)."""
    ways: list[list[str]] = []

    def cut(rest: str, taken: list[str]) -> None:
        if len(ways) >= limit:
            return
        if not rest:
            ways.append(taken)
            return
        for size in range(min(MAX_SYLLABLE, len(rest)), 0, -1):
            if rest[:size] in known:
                cut(rest[size:], [*taken, rest[:size]])

    cut(letters, [])
    return ways


def _words_of(text: str, speller: Speller) -> list[str]:
    """`text` cut greedily into its longest vocabulary words (for ranking spelt candidates)."""
    out, at = [], 0
    while at < len(text):
        size = next(
            (n for n in range(len(text) - at, 0, -1) if speller._is_word(text[at : at + n])), 1
        )
        out.append(text[at : at + size])
        at += size
    return out
