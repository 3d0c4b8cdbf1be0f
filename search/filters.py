"""Filter values (region, year, section part): parsing what users type, and masking matches by them."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from indexer.model import SECTIONS
from indexer.variants import simplified

from .errors import BadRequest
from .snapshot import DEPTHS, Snapshot, short_name

MIN_YEAR, MAX_YEAR = 1949, 2100


class FilterError(BadRequest):
    """A filter value that cannot be understood; the message is Chinese and names the value."""


@dataclass(frozen=True)
class Selection:
    """What the user narrowed to, per facet (search/facets): OR within a facet, AND across
    facets; excluded values are left out whatever else is chosen. Pairs of (facet name,
    values), so that a selection is hashable and keys the engine's cache."""

    chosen: tuple[tuple[str, tuple], ...] = ()
    excluded: tuple[tuple[str, tuple], ...] = ()

    @classmethod
    def of(cls, **values: tuple) -> Selection:
        """`Selection.of(region=(…), not_year=(…))`: URL parameter names as keywords."""
        chosen = tuple((k, tuple(v)) for k, v in values.items() if v and not k.startswith("not_"))
        excluded = tuple((k[4:], tuple(v)) for k, v in values.items() if v and k.startswith("not_"))
        return cls(chosen, excluded)

    def values(self, name: str) -> tuple:
        return dict(self.chosen).get(name, ())

    def not_values(self, name: str) -> tuple:
        return dict(self.excluded).get(name, ())

    def names(self) -> list[str]:
        """The facets this selection narrows (chosen or excluded values)."""
        return list(dict.fromkeys(name for name, _ in (*self.chosen, *self.excluded)))

    def with_values(self, name: str, chosen: tuple, excluded: tuple) -> Selection:
        """The same selection with one facet's values replaced."""
        keep = [(k, v) for k, v in self.chosen if k != name] + ([(name, chosen)] if chosen else [])
        drop = [(k, v) for k, v in self.excluded if k != name] + (
            [(name, excluded)] if excluded else []
        )
        return Selection(tuple(keep), tuple(drop))

    def merged(self, other: Selection) -> Selection:
        merged = self
        for name in other.names():
            merged = merged.with_values(
                name,
                _union(merged.values(name), other.values(name)),
                _union(merged.not_values(name), other.not_values(name)),
            )
        return merged

    def excluding(self) -> Selection:
        """The same values as exclusions."""
        return Selection((), self.chosen)

    def __bool__(self) -> bool:
        return bool(self.chosen or self.excluded)

    # The built-in facets by name, for the code that is about them (the region tree, years).
    regions = property(lambda self: self.values("region"))
    years = property(lambda self: self.values("year"))
    sections = property(lambda self: self.values("section"))
    not_regions = property(lambda self: self.not_values("region"))
    not_years = property(lambda self: self.not_values("year"))
    not_sections = property(lambda self: self.not_values("section"))


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a + b))


_RANGE = re.compile(r"^([0-9]{4})\s*(?:-|－|–|—|~|～|至|到)\s*([0-9]{4})$")
_CHINESE_DIGITS = str.maketrans(
    "〇零○一二三四五六七八九０１２３４５６７８９", "0001234567890123456789"
)
_YEAR_SUFFIX = re.compile(r"(?:年度|年)(?=$|[-－–—~～至到])")


def year_digits(part: str) -> str:
    """A year as users write it, in plain digits: 2023年 → 2023, 二〇二三年 → 2023."""
    return _YEAR_SUFFIX.sub("", part.strip().translate(_CHINESE_DIGITS))


def parse_years(value: str) -> tuple[int, ...]:
    """`2023`, `2023年`, `二〇二三年`, `2021-2023` (also 至, ~), or several separated by commas."""
    years: set[int] = set()
    for part in re.split(r"[,，、\s]+", value.strip()):
        part = year_digits(part)
        if not part:
            continue
        if part.isascii() and part.isdigit() and len(part) == 4:
            low = high = int(part)
        elif match := _RANGE.match(part):
            low, high = sorted((int(match[1]), int(match[2])))
        else:
            raise FilterError(f"年份「{value}」无法识别，请写成 2023 或 2021-2023")
        if low < MIN_YEAR or high > MAX_YEAR:
            raise FilterError(f"年份「{value}」超出范围（{MIN_YEAR}–{MAX_YEAR}）")
        years.update(range(low, high + 1))
    if not years:
        raise FilterError("年份为空，请写成 2023 或 2021-2023")
    return tuple(sorted(years, reverse=True))


def resolve_section(value: str) -> str:
    """A part of the outline by its full name or any unambiguous part of it (不足 → 存在的不足和原因)."""
    value = value.strip()
    if value in SECTIONS:
        return value
    found = [name for name in SECTIONS if value and value in name]
    if len(found) == 1:
        return found[0]
    choices = "、".join(SECTIONS)
    raise FilterError(f"报告部分「{value}」无法识别，可选：{choices}")


def _named(snapshot: Snapshot, value: str) -> list[int]:
    """Nodes a value names in full (any level, or a path ending with it), else by short names;
    a name typed in traditional characters is read in simplified ones, as the index has them."""
    value = simplified(value)
    found = snapshot.nodes_named(value)
    if found:
        return found
    parts = tuple(p.strip() for p in re.split(r"[›>/／]", value) if p.strip())
    if not parts:
        return []
    last = parts[-1]
    candidates = sorted({*snapshot.named.get(last, []), *snapshot.short_named.get(last, [])})
    return [
        code
        for code in candidates
        if len(path := snapshot.nodes[code].path) >= len(parts)
        and all(want in (have, short_name(have))
                for want, have in zip(parts, path[-len(parts) :], strict=True))
    ]  # fmt: skip


def region_codes(snapshot: Snapshot, values: tuple[str, ...]) -> tuple[list[int], list[str]]:
    """Region nodes named by the selection (full or short names), and the values that name none."""
    codes: list[int] = []
    unknown: list[str] = []
    for value in values:
        found = _named(snapshot, value)
        codes.extend(found)
        if not found:
            unknown.append(value)
    return codes, unknown


# Parts of the outline a plain word in the box stands for (a part's full name always does).
SECTION_WORDS = {
    "举措": "主要举措和成效", "主要举措": "主要举措和成效", "第一责任人": "第一责任人职责",
    "不足": "存在的不足和原因", "存在的不足": "存在的不足和原因", "下一年度": "下一年度工作安排",
}  # fmt: skip


# Where a query's terms must meet (search/scopes.py): name → label.
SCOPES = {"paragraph": "同段", "sentence": "同句", "heading": "仅标题"}
DEFAULT_SCOPE = "paragraph"
SCOPE_NAMES = {**{name: name for name in SCOPES}, **{label: name for name, label in SCOPES.items()},
               "段": "paragraph", "句": "sentence", "同一段": "paragraph", "同一句": "sentence",
               "标题": "heading", "只看标题": "heading", "headings": "heading"}  # fmt: skip


def scope_named(value: str) -> str:
    """The scope a typed or URL value names; raises FilterError with a Chinese message."""
    name = SCOPE_NAMES.get(value.strip().lower())
    if name is None:
        choices = "、".join(f"{label}（{name}）" for name, label in SCOPES.items())
        raise FilterError(f"检索范围「{value.strip()}」无效，可选 {choices}")
    return name


def reports_in(snapshot: Snapshot, codes: list[int]) -> np.ndarray:
    """By report code: whether the report lies within any of the region nodes."""
    inside = np.zeros(len(snapshot.reports), dtype=bool)
    for depth in range(DEPTHS):
        wanted = [c for c in codes if snapshot.nodes[c].depth == depth]
        if wanted:
            inside |= np.isin(snapshot.report_nodes[depth], wanted)
    return inside


@dataclass(frozen=True)
class Named:
    """A plain word of the query that names a region, year or part present in the index."""

    text: str  # as typed
    kind: str  # region, year or section
    selection: Selection  # the filter it stands for (empty when ambiguous)
    label: str  # Chinese, for "how the query was understood"
    choices: tuple[str, ...] = ()  # full region paths when the word names several regions


_YEAR_WORD = re.compile(
    r"^[0-9〇零○一二三四五六七八九０-９]{4}(?:年度|年)?"
    r"(?:[-－–—~～至到][0-9〇零○一二三四五六七八九０-９]{4}(?:年度|年)?)?$"
)


def names_in(snapshot: Snapshot):
    """A resolver for `search.query.parse`: the filter a plain word names in this index."""
    years, sections = snapshot.years_present, snapshot.sections_present

    def name(word: str) -> Named | None:
        word = word.strip()
        if _YEAR_WORD.match(word):
            try:
                found = parse_years(word)
            except FilterError:
                return None
            if not years & set(found):
                return None
            low, high = min(found), max(found)
            label = f"{low}年" if low == high else f"{low}–{high}年"
            return Named(word, "year", Selection.of(year=found), label)
        plain = simplified(word)
        section = plain if plain in SECTIONS else SECTION_WORDS.get(plain)
        if section:
            if section not in sections:
                return None
            return Named(word, "section", Selection.of(section=(section,)), section)
        codes = _named(snapshot, word)
        if not codes:
            return None
        paths = tuple(dict.fromkeys("/".join(snapshot.nodes[c].path) for c in codes))
        if len({snapshot.nodes[c].name for c in codes}) > 1:
            return Named(word, "region", Selection(), word, paths)
        label = "、".join(path.replace("/", " › ") for path in paths)
        return Named(word, "region", Selection.of(region=paths), label)

    return name
