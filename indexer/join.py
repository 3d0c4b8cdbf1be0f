"""Rejoin physical lines broken inside a sentence into the report's logical lines."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .headings import parse_heading

PARAGRAPH_END = tuple("。！？；：!?;:…")
CLOSING_QUOTES = "”’」』）)"
MIN_WRAP = 40  # display columns: hard-wrapped report text is at least 20 Chinese characters wide


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_width(lines: list[str]) -> int | None:
    """The width of hard-wrapped text (copied from a PDF), or None for one-line-per-paragraph text."""
    widths = sorted(display_width(line) for line in lines if len(line) >= 8)
    if len(widths) < 8:
        return None
    widest = widths[int(len(widths) * 0.9)]
    if widest < MIN_WRAP:
        return None
    full = sum(1 for w in widths if widest - 4 <= w <= widest + 2)
    return widest - 4 if full >= 0.4 * len(widths) else None


def ends_sentence(text: str) -> bool:
    return text.rstrip(CLOSING_QUOTES).endswith(PARAGRAPH_END) or text.endswith(PARAGRAPH_END)


def _glue(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return f"{left} {right}"
    return left + right


def join_lines(lines: Iterable[str]) -> list[str]:
    """Logical lines: a paragraph or a heading each."""
    lines = list(lines)
    width = wrap_width(lines)
    out: list[str] = []
    buf = ""
    last = ""
    for line in lines:
        if buf and (_closes(buf, last, width) or parse_heading(line)):
            out.append(buf)
            buf = ""
        buf = _glue(buf, line) if buf else line
        last = line
    if buf:
        out.append(buf)
    return out


def _closes(buf: str, last: str, width: int | None) -> bool:
    """Whether the paragraph in `buf` is complete before the next line."""
    full_line = width is not None and display_width(last) >= width
    if full_line:
        return False
    heading = parse_heading(buf)
    if heading and not heading.run_in:
        return True
    return ends_sentence(buf)
