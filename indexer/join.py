"""Rejoin physical lines broken inside a sentence into the report's logical lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .headings import CN_NUM, match_marker, parse_heading

PARAGRAPH_END = tuple("。！？；：!?;:…")
CLOSING_QUOTES = "”’」』）)"
MIN_WRAP = 40  # display columns: hard-wrapped report text is at least 20 Chinese characters wide
RUN_ON = 300  # characters: a logical line this long may be a whole body stored as one line
OUTER_STYLES = ("cn", "cn_paren")  # a run-on body is split only if it has such headings inside
# An outline marker inside a line: after a sentence end, a colon or a paragraph indent (two
# spaces), any style; （一） also straight after a heading's last character, but not after 第.
INLINE_MARKER = re.compile(
    rf"(?:(?<=[。；！？!?;：:])\s*|(?<=\S)[ \u3000]{{2,}})"
    rf"(?={CN_NUM}\s*、|[（(]\s*{CN_NUM}\s*[）)]|\d{{1,2}}\s*[.．、](?!\d)|[（(]\s*\d{{1,2}}\s*[）)])"
    rf"|(?<=[^\s第。；！？!?;：:])(?=[（(]{CN_NUM}[）)])"
)
INDENT = re.compile(r"(?<=\S)[ \u3000]{2,}(?=\S)")  # a paragraph's first-line indent


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width layout: wide and full-width characters take two."""
    return len(text) + len(text.translate(_WIDE))


class _Wide(dict):
    """ord(ch) → ch when it is wide or full-width (so `translate` keeps only those), else None."""

    def __missing__(self, code: int) -> str | None:
        self[code] = chr(code) if unicodedata.east_asian_width(chr(code)) in "WF" else None
        return self[code]


_WIDE = _Wide()


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
    return [piece for line in out for piece in split_run_on(line)]


def split_run_on(line: str) -> list[str]:
    """A body stored as one long line, cut before its inner outline markers.

    A marker counts only after a sentence end or colon, and only where it continues its numbering
    style (number 1, or the previous number of that style in the line plus one); the line is cut
    only when it is long and at least one such marker is a 一、 or （一） heading.
    """
    if len(line) < RUN_ON:
        return [line]
    last: dict[str, int] = {}
    first = match_marker(line)
    if first:
        last[first[0]] = first[2]
    cuts: list[int] = []
    outer = False
    for m in INLINE_MARKER.finditer(line):
        style, _, number, _ = match_marker(line[m.end() :]) or (None, 0, 0, 0)
        if style is None or (number != 1 and last.get(style) != number - 1):
            continue
        last[style] = number
        cuts.append(m.end())
        outer = outer or style in OUTER_STYLES
    if not outer:
        return [line]
    cuts = sorted({*cuts, *(m.end() for m in INDENT.finditer(line))})
    bounds = [0, *cuts, len(line)]
    pieces = (line[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False))
    return [piece for piece in pieces if piece]


def _closes(buf: str, last: str, width: int | None) -> bool:
    """Whether the paragraph in `buf` is complete before the next line."""
    full_line = width is not None and display_width(last) >= width
    if full_line:
        return False
    heading = parse_heading(buf)
    if heading and not heading.run_in:
        return True
    return ends_sentence(buf)
