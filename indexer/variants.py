"""Traditional → simplified characters: for recognising a report, and for matching.

The stored text stays as written. `simplified` gives the simplified reading used by the
recognisers (title patterns, region names), phrase by phrase, through OpenCC
(`opencc-python-reimplemented`). `character_map` gives the character-by-character mapping the
matching form folds with (indexer/analysis.py): one character to one character, so every
matched character still points at the character it came from, each to OpenCC's first choice
for it (the one its t2s conversion takes for a lone character): 於 → 于, 乾 → 干, while a
character whose first choice is itself stays (覆 of 覆盖, 瞭 of 瞭望).
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path


@cache
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """The simplified-character reading of `text` (the same string when nothing changes)."""
    if text.isascii():
        return text
    converted = _converter().convert(text)
    return text if converted == text else converted


def is_traditional(text: str) -> bool:
    return simplified(text) != text


@cache
def character_map() -> dict[int, str]:
    """ord(traditional) → simplified, from OpenCC's character table (one character each)."""
    import opencc

    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    mapping: dict[int, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        first = targets.split()[0] if targets.split() else source
        if len(source) == 1 and len(first) == 1 and first != source:
            mapping[ord(source)] = first
    return mapping
