"""`normalize_spans` against a per-character restatement of the matching form."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import _BREAKS, BREAK, TRANSPARENT, normalize_spans


@cache
def simplified_choice() -> dict[str, str]:
    """OpenCC's character table read here: a traditional character → its first simplified
    choice, when that is another single character."""
    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    choices = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        first = (targets.split() or [source])[0]
        if len(source) == 1 and len(first) == 1 and first != source:
            choices[source] = first
    return choices


def reference(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Fold each character alone (width, case, then script), then collapse each run of break
    characters into one BREAK."""
    chars: list[tuple[str, int, int]] = []  # (character, start, end) in the original
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).lower()
        chars += [(simplified_choice().get(out, out), i, i + 1)
                  for out in folded if out not in TRANSPARENT]  # fmt: skip
    merged: list[tuple[str, int, int]] = []
    for out, start, end in chars:
        if _BREAKS.fullmatch(out):
            if merged and merged[-1][0] == BREAK and merged[-1][3]:
                merged[-1] = (BREAK, merged[-1][1], end, True)
                continue
            merged.append((BREAK, start, end, True))
        else:
            merged.append((out, start, end, False))
    while merged and merged[0][0] == BREAK and merged[0][3]:
        merged.pop(0)
    while merged and merged[-1][0] == BREAK and merged[-1][3]:
        merged.pop()
    return "".join(m[0] for m in merged), [(m[1], m[2]) for m in merged]


ALPHABET = st.sampled_from(
    list("法治調解於覆，。、“”《》·|ＡＢａ１２ 　_%℃\t\n①ﬁ㍿") + ["\U00020000"]
)


@settings(max_examples=400, deadline=None)
@given(text=st.text(ALPHABET, max_size=40) | st.text(max_size=40))
def test_spans_are_those_of_a_per_character_fold(text):
    assert normalize_spans(text) == reference(text)


def test_examples():
    assert normalize_spans("“八·五”普法，") == ("八五普法", [(1, 2), (3, 4), (5, 6), (6, 7)])
    assert normalize_spans("，。") == ("", [])
    assert normalize_spans("") == ("", [])
    assert normalize_spans("ﬁ，Ａ") == ("fi|a", [(0, 1), (0, 1), (1, 2), (2, 3)])
