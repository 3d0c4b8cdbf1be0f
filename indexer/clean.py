"""Drop what is not report text: conversion artefacts, page numbers, running headers, blank lines."""

from __future__ import annotations

import re
from collections import Counter

from .model import Dropped

PAGE_NUMBER_REASON, RUNNING_REASON = "页码", "页眉页脚"

ARTEFACT = re.compile(r"\[(?:bookmark|image|anchor):[^\]]*\]|[\u200b\u200c\u200d\u2060\ufeff\x00]")
EDGE_SPACE = " \t\r\u3000\u00a0\u2002\u2003\u2009\u200a\x0b"
PAGE_NUMBER = re.compile(
    r"""^(?:
        [—\-－–‐~～_]+\s*\d{1,4}\s*[—\-－–‐~～_]+      # — 3 —, - 3 -
      | 第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?   # 第3页 共10页
      | \d{1,4}\s*/\s*\d{1,4}                         # 3/10
      | [Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?
    )$""",
    re.VERBOSE,
)
BARE_NUMBER = re.compile(r"^\d{1,3}$")
SENTENCE_END = tuple("。！？；!?;…")


def strip_line(line: str) -> str:
    """Remove artefacts and edge whitespace; keep the wording inside untouched."""
    return ARTEFACT.sub("", line).strip(EDGE_SPACE)


def physical_lines(text: str) -> list[str]:
    """Split on line ends and page breaks, cleaned, blank lines dropped."""
    lines = (
        strip_line(raw) for raw in re.split(r"\r\n|[\r\n\f\v\x1c\x1d\x1e\x85\u2028\u2029]", text)
    )
    return [line for line in lines if line]


def is_page_number(line: str) -> bool:
    return bool(PAGE_NUMBER.match(line))


def _bare_page_numbers(lines: list[str]) -> set[int]:
    """Indexes of bare-number lines that count up like page numbers (at least two of them)."""
    hits = [(i, int(line)) for i, line in enumerate(lines) if BARE_NUMBER.match(line)]
    rising = [hits[k] for k in range(len(hits)) if k and hits[k][1] > hits[k - 1][1]]
    if len(hits) >= 2 and len(rising) >= len(hits) - 1:
        return {i for i, _ in hits}
    return set()


def _running_headers(lines: list[str], keep_before: int) -> set[int]:
    """Indexes of short lines repeated on many pages; the first copy is kept when it opens the report."""
    counts = Counter(lines)
    repeated = {
        line
        for line, n in counts.items()
        if n >= 3 and 4 <= len(line) <= 40 and not line.endswith(SENTENCE_END)
    }
    drop: set[int] = set()
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line in repeated:
            if line not in seen and i < keep_before:
                seen.add(line)
                continue
            drop.add(i)
    return drop


def clean_lines(text: str) -> list[str]:
    """The report's lines with page furniture removed."""
    return clean_report(text)[0]


def clean_report(text: str) -> tuple[list[str], list[Dropped]]:
    """The report's lines with page furniture removed, and the removed lines with their reason."""
    dropped: list[Dropped] = []
    lines: list[str] = []
    for line in physical_lines(text):
        if is_page_number(line):
            dropped.append(Dropped(line, PAGE_NUMBER_REASON))
        else:
            lines.append(line)
    numbers = _bare_page_numbers(lines)
    running = _running_headers(lines, keep_before=12)
    for i in sorted(numbers | running):
        dropped.append(Dropped(lines[i], PAGE_NUMBER_REASON if i in numbers else RUNNING_REASON))
    return [line for i, line in enumerate(lines) if i not in numbers | running], dropped
