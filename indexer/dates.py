"""Years and dates in report text: the covered year, the issue date."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

CN_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
CN_SMALL = re.compile(
    r"(?<=年)[一二三四五六七八九十]{1,3}(?=月)|(?<=月)[一二三四五六七八九十]{1,3}(?=日)"
)
DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
DOC_NUMBER_YEAR = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]")
YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-—–~～至到]+\s*(?:19|20)\d{2}\s*年度?")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
MIN_YEAR, MAX_YEAR = 1990, 2100


def _cn_small(token: str) -> str:
    digits = "一二三四五六七八九"
    if token == "十":
        return "10"
    if token.startswith("十"):
        return str(10 + digits.index(token[1]) + 1)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return str((digits.index(tens) + 1) * 10 + (digits.index(ones) + 1 if ones else 0))
    return str(digits.index(token) + 1)


def normalize_numbers(text: str) -> str:
    """Full-width digits to ASCII and Chinese-numeral dates (二〇二四年一月十日) to digits."""
    text = unicodedata.normalize("NFKC", text)
    text = CN_YEAR.sub(lambda m: m.group(0).translate(CN_YEAR_DIGITS), text)
    return CN_SMALL.sub(lambda m: _cn_small(m.group(0)), text)


def _strip_non_covered(text: str) -> str:
    """Remove dates, document-number years and year ranges: none of them is the covered year."""
    for pattern in (DATE, DOC_NUMBER_YEAR, YEAR_RANGE):
        text = pattern.sub(" ", text)
    return text


def years_in(text: str) -> list[int]:
    """Years that may be the covered year, in order of appearance."""
    text = _strip_non_covered(normalize_numbers(text))
    return [int(y) for y in YEAR.findall(text) if MIN_YEAR <= int(y) <= MAX_YEAR]


def title_year(title: str) -> int | None:
    years = years_in(title)
    return years[0] if years else None


def body_year(paragraphs: Iterable[str]) -> int | None:
    """The year the body speaks of most; callers pass only the parts about the covered year."""
    counts = Counter(y for text in paragraphs for y in years_in(text))
    if not counts:
        return None
    top = max(counts.values())
    return min(y for y, n in counts.items() if n == top)


def find_date(text: str) -> str | None:
    """The first complete date in the text as ISO `YYYY-MM-DD`."""
    for m in DATE.finditer(normalize_numbers(text)):
        year, month, day = (int(g) if g else 0 for g in m.groups())
        if day and 1 <= month <= 12 and 1 <= day <= 31 and MIN_YEAR <= year <= MAX_YEAR:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


META_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def find_meta_date(text: str) -> str | None:
    """A date as metadata blocks print it (`2025-01-20`, `2025/1/20`, `2025年01月20日`) as ISO."""
    m = META_DATE.search(normalize_numbers(text or ""))
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if 1 <= month <= 12 and 1 <= day <= 31 and MIN_YEAR <= year <= MAX_YEAR:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None
