"""Snippets: every occurrence of every query term in `<mark>`, at the original text's characters.

Occurrences are found in the matching form of the text (`normalize_origins`) and mapped back to
the characters they came from, so `“八·五”普法` is marked for the query 八五普法 with the quote
and interpunct inside the mark. Everything else is escaped; nh3 then lets only `<mark>` through.
"""

from __future__ import annotations

from html import escape

import nh3

from indexer.analysis import normalize_origins

WINDOW = 160  # characters shown around the best match of a long paragraph
WHOLE = 200  # paragraphs up to this long are shown whole
LEAD = 30  # context kept before the first match in a window
ELLIPSIS = "…"

Span = tuple[int, int]


def occurrences(text: str, needles: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, needle) of every occurrence, as character ranges of the original text."""
    norm, starts, ends = normalize_origins(text)
    found = []
    for needle in {n for n in needles if n}:
        at = norm.find(needle)
        while at >= 0:
            found.append((int(starts[at]), int(ends[at + len(needle) - 1]), needle))
            at = norm.find(needle, at + 1)
    return sorted(found)


def mark_spans(text: str, needles: list[str]) -> list[Span]:
    """Character ranges of `text` holding an occurrence of a (normalised) needle; overlaps merged."""
    return _merge([(start, end) for start, end, _ in occurrences(text, needles)])


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, needles: list[str]) -> str:
    """The whole text, escaped, with every occurrence marked."""
    return _render(text, mark_spans(text, needles), 0, len(text))


def snippet(text: str, terms: list[list[str]]) -> str:
    """A paragraph or, if long, a window around its best match; `terms` are each term's needles."""
    found = occurrences(text, [needle for needles in terms for needle in needles])
    marks = _merge([(start, end) for start, end, _ in found])
    if len(text) <= WHOLE:
        return _render(text, marks, 0, len(text))
    start, end = _best_window(text, found, marks, terms)
    return _render(text, marks, start, end)


def _best_window(text: str, found: list, marks: list[Span], terms: list[list[str]]) -> Span:
    """The window showing the most distinct terms, then the most occurrences; earliest wins."""
    term_of = {needle: i for i, needles in enumerate(terms) for needle in needles}
    best, best_key = (0, min(WINDOW, len(text))), (-1, -1)
    for mark_start, _ in marks:
        start = max(0, min(mark_start - LEAD, len(text) - WINDOW))
        inside = [o for o in found if start <= o[0] and o[1] <= start + WINDOW]
        key = (len({term_of[o[2]] for o in inside}), len(inside))
        if key > best_key:
            best, best_key = (start, start + WINDOW), key
    return _no_split(best, marks)


def _no_split(window: Span, marks: list[Span]) -> Span:
    """Widen a window so that no mark is cut in two."""
    start, end = window
    for mark_start, mark_end in marks:
        if mark_start < start < mark_end:
            start = mark_start
        if mark_start < end < mark_end:
            end = mark_end
    return start, end


def _render(text: str, marks: list[Span], start: int, end: int) -> str:
    parts = [ELLIPSIS] if start > 0 else []
    pos = start
    for mark_start, mark_end in marks:
        if mark_end <= start or mark_start >= end:
            continue
        parts.append(escape(text[pos:mark_start], quote=False))
        parts.append(f"<mark>{escape(text[mark_start:mark_end], quote=False)}</mark>")
        pos = mark_end
    parts.append(escape(text[pos:end], quote=False))
    if end < len(text):
        parts.append(ELLIPSIS)
    return sanitize("".join(parts))


def sanitize(html: str) -> str:
    """Belt and braces: whatever reaches a page may carry `<mark>` and nothing else."""
    return nh3.clean(html, tags={"mark"}, attributes={}, strip_comments=True)
