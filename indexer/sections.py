"""Map headings and paragraph labels to the six parts of the official report outline."""

from __future__ import annotations

import re

from .headings import match_marker
from .model import SECTIONS
from .variants import simplified

PREFACE, MEASURES, RESPONSIBLE, SHORTCOMINGS, NEXT_YEAR, OTHER = SECTIONS

PART_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (RESPONSIBLE, re.compile(r"第一责任人|主要负责(?:人|同志)履[行职]|履行推进法治建设")),
    (OTHER, re.compile(r"其[他它]需要?报告|其[他它]有关情况|^其[他它](?:情况|事项)?$")),
    (
        SHORTCOMINGS,
        re.compile(
            r"存在的?(?:主要)?(?:问题|不足|困难|短板|差距)|(?:问题|不足)(?:和|及|与|、)(?:不足|原因|问题)"
            r"|^(?:主要|当前|目前|存在)?(?:问题|不足|短板)(?:$|[和及与、]|方面)|不足之处|薄弱环节"
        ),
    ),
    (
        NEXT_YEAR,
        re.compile(
            r"下一(?:步|年度?)|工作(?:思路|计划|安排|打算|设想)|今后|努力方向|明年|主要安排|打算$"
            r"|\d{4}年度?(?:的)?(?:主要)?(?:工作)?(?:思路|计划|安排|打算|设想|重点|目标)"
            r"|\d{4}年度?(?:推进)?(?:法治政府建设|法治建设|依法行政)(?:工作)?的?(?:主要|重点)?(?:工作)?"
            r"(?:思路|计划|安排|打算|设想)"
        ),
    ),
    (
        MEASURES,
        re.compile(
            r"主要(?:举措|措施|工作|做法|成效)|举措|成效|(?:工作|基本|总体|进展|推进)情况"
            r"|工作总结|取得的?成[绩效]|建设情况"
        ),
    ),
)
LABEL = re.compile(r"^([^，。；：:,]{2,24})[：:]")


def parts_named(text: str) -> list[str]:
    """The outline parts a heading names, in the order it names them."""
    marker = match_marker(text)
    text = simplified(text[marker[3] :] if marker else text)  # 舉措 reads as 举措
    found = []
    for part, pattern in PART_PATTERNS:
        m = pattern.search(text)
        if m:
            found.append((m.start(), part))
    return [part for _, part in sorted(found)]


def part_of(text: str) -> str | None:
    """The outline part a heading names, the earliest-named when it names two; None if none."""
    parts = parts_named(text)
    return parts[0] if parts else None


def label_part(paragraph: str) -> str | None:
    """The part named by a label opening a paragraph, e.g. `存在的问题：…`."""
    m = LABEL.match(paragraph)
    return part_of(m.group(1)) if m else None


def part_of_path(path: list[str]) -> str | None:
    """The part of what sits under these headings, deciding from the outermost heading down.

    A sub-heading that names a part decides its own part when the heading above names none,
    names 主要举措和成效 (the general part: a sub-heading on 第一责任人, 存在的问题 or 下一步
    files under that part), or names two parts (a combined heading such as 存在的问题及2023年
    工作思路). Under any other part, a sub-heading's wording (成效, 举措, …) does not move it.
    """
    part: str | None = None
    combined = False
    for heading in path:
        named = parts_named(heading)
        if named and (part is None or part == MEASURES or combined):
            part, combined = named[0], len(set(named)) > 1
    return part
