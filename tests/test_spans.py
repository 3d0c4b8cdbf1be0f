"""`normalize_spans` against a per-character restatement of the matching form."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import _BREAKS, BREAK, TRANSPARENT, normalize_spans


def reference(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Fold each character alone, then collapse each run of break characters into one BREAK."""
    chars: list[tuple[str, int, int]] = []  # (character, start, end) in the original
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).lower()
        chars += [(out, i, i + 1) for out in folded if out not in TRANSPARENT]
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


ALPHABET = st.sampled_from(list("法治，。、“”《》·|ＡＢａ１２ 　_%℃\t\n①ﬁ㍿") + ["\U00020000"])


@settings(max_examples=400, deadline=None)
@given(text=st.text(ALPHABET, max_size=40) | st.text(max_size=40))
def test_spans_are_those_of_a_per_character_fold(text):
    assert normalize_spans(text) == reference(text)


def test_examples():
    assert normalize_spans("“八·五”普法，") == ("八五普法", [(1, 2), (3, 4), (5, 6), (6, 7)])
    assert normalize_spans("，。") == ("", [])
    assert normalize_spans("") == ("", [])
    assert normalize_spans("ﬁ，Ａ") == ("fi|a", [(0, 1), (0, 1), (1, 2), (2, 3)])
