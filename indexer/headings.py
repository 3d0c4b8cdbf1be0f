"""Recognise numbered headings (一、 （一） 1. 1、 （1） ① 一是) and give each its nesting level."""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "一二三四五六七八九十"
CN_NUM = f"[{CN_DIGITS}]{{1,3}}"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# style, rank (1 = outermost by convention), marker pattern
STYLES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("cn", 1, re.compile(rf"^({CN_NUM})\s*[、.．，,]\s*")),
    ("cn_paren", 2, re.compile(rf"^[（(]\s*({CN_NUM})\s*[）)]\s*[、.．]?\s*")),
    ("ar_paren", 4, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*")),
    ("ar_dot", 3, re.compile(r"^(\d{1,2})\s*[.．](?!\d)\s*")),
    ("ar_comma", 3, re.compile(r"^(\d{1,2})\s*、\s*")),
    ("circled", 5, re.compile(rf"^([{CIRCLED}])\s*[、.．]?\s*")),
    ("ordinal", 3, re.compile(rf"^({CN_NUM})是\s*")),
)
MAX_HEADING = 60  # characters after the marker for a heading standing on its own line
MAX_RUN_IN = 32  # characters of a heading that runs into its paragraph
MAX_CLAUSE = 12  # each clause of a run-in heading with several commas (parallel phrases) is short
RUN_IN_END = re.compile(r"[。：:！!]")
CLAUSE_MARK = re.compile(r"[，,；;]")
SENTENCE_END = ("。", "！", "!", "？", "?", "；", ";", "…")


@dataclass
class Heading:
    style: str
    rank: int
    number: int
    text: str  # the heading as printed, marker included, trailing 。/： dropped
    run_in: bool  # the line goes on with paragraph text after the heading
    rest: str = ""  # for a run-in heading: the paragraph text after it
    sentence: bool = False  # alone on its line and ends like a sentence (。；！？)
    printed: str = ""  # exactly as in the line, closing 。/： included: the heading unit's text


def cn_number(token: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23; circled and arabic digits too."""
    if token in CIRCLED:
        return CIRCLED.index(token) + 1
    if token.isdigit():
        return int(token)
    values = [CN_DIGITS.index(ch) + 1 for ch in token]
    if len(values) == 1:
        return values[0]
    if values[0] == 10:
        return 10 + (values[1] if len(values) > 1 else 0)
    tens = values[0] * 10
    return tens + (values[2] if len(values) > 2 else 0)


def match_marker(line: str) -> tuple[str, int, int, int] | None:
    """(style, rank, number, end of marker) for a line that opens with a heading marker."""
    for style, rank, pattern in STYLES:
        m = pattern.match(line)
        if m:
            return style, rank, cn_number(m.group(1)), m.end()
    return None


def parse_heading(line: str) -> Heading | None:
    """The heading a line opens with, or None for an ordinary paragraph line."""
    marker = match_marker(line)
    if not marker:
        return None
    style, rank, number, start = marker
    rest = line[start:]
    if not rest:
        return None
    if _stands_alone(rest, style):
        sentence = line.rstrip("”’」』）)").endswith(SENTENCE_END)
        return Heading(
            style, rank, number, line.rstrip("。.：:；;"), False, sentence=sentence, printed=line
        )
    end = RUN_IN_END.search(rest)
    if not end or style == "ordinal":  # 一是…二是… inside a paragraph is not a heading
        return None
    after = rest[end.end() :].strip()
    if after and _run_in_heading(rest[: end.start()]):
        printed = line[: start + end.end()]
        return Heading(
            style, rank, number, line[: start + end.start()], True, rest=after, printed=printed
        )
    return None


def _run_in_heading(head: str) -> bool:
    """A short phrase, or parallel short clauses (`深化依法治区，坚定法治道路，激发法治前进定力`)."""
    if not 0 < len(head) <= MAX_RUN_IN:
        return False
    clauses = CLAUSE_MARK.split(head)
    return len(clauses) <= 2 or all(0 < len(c) <= MAX_CLAUSE for c in clauses)


def _stands_alone(rest: str, style: str) -> bool:
    body = rest.rstrip("。.！!")
    if len(body) > MAX_HEADING or re.search(r"[。；;！!？?]", body):
        return False
    if style == "ordinal":  # 一是… alone on its line, one short sentence
        return len(body) <= 40 and not re.search(r"[：:]", body)
    if body != rest and re.search(r"[：:]", body):  # `label：a sentence。` runs in
        return False
    return not body.endswith(("：", ":"))


def opens_section(heading: Heading, following: str | None) -> bool:
    """Whether a numbered line that ends like a sentence heads what follows it.

    It does when body text or a deeper-numbered item follows; followed by a sibling, an outer
    item or nothing, it is an item of a list of sentences: body text.
    """
    if following is None:
        return False
    marker = match_marker(following)
    if marker is None:
        return True
    return marker[0] != heading.style and marker[1] > heading.rank


class HeadingStack:
    """Tracks the headings above the current line, deciding levels from numbering styles."""

    def __init__(self) -> None:
        self.entries: list[tuple[Heading, int]] = []  # heading and its effective rank

    def push(self, heading: Heading) -> int:
        """Place a heading and return its level (1 = outermost)."""
        self.make_room(heading)
        rank = heading.rank if self.entries else 1
        self.entries.append((heading, rank))
        return len(self.entries)

    def make_room(self, heading: Heading) -> None:
        """Close the headings a new item in this numbering style ends (its siblings and their children)."""
        same = self._find_style(heading.style)
        if same is not None and not self._restarts_below(same, heading):
            del self.entries[same:]
        elif same is None:
            while self.entries and self.entries[-1][1] >= heading.rank:
                self.entries.pop()

    def path(self) -> list[str]:
        return [h.text for h, _ in self.entries]

    def _find_style(self, style: str) -> int | None:
        for i in range(len(self.entries) - 1, -1, -1):
            if self.entries[i][0].style == style:
                return i
        return None

    def _restarts_below(self, index: int, heading: Heading) -> bool:
        """一、 right under 一、 (numbering restarts at 1) is a sub-list, not a sibling."""
        top = self.entries[index][0]
        return index == len(self.entries) - 1 and heading.number == 1 and top.number >= 1
