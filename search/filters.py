"""Filter values (region, year, section part): parsing what users type, and masking matches by them."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from indexer.model import SECTIONS

from .errors import BadRequest
from .snapshot import DEPTHS, Snapshot

MIN_YEAR, MAX_YEAR = 1949, 2100


class FilterError(BadRequest):
    """A filter value that cannot be understood; the message is Chinese and names the value."""


@dataclass(frozen=True)
class Selection:
    """What the user narrowed to: OR within a facet, AND across facets."""

    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    sections: tuple[str, ...] = ()

    def merged(self, other: Selection) -> Selection:
        return Selection(
            _union(self.regions, other.regions),
            tuple(sorted(set(self.years) | set(other.years), reverse=True)),
            _union(self.sections, other.sections),
        )

    def __bool__(self) -> bool:
        return bool(self.regions or self.years or self.sections)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a + b))


_RANGE = re.compile(r"^([0-9]{4})\s*(?:-|－|–|—|~|～|至|到)\s*([0-9]{4})$")


def parse_years(value: str) -> tuple[int, ...]:
    """`2023`, `2021-2023` (also 至, ~), or several separated by commas."""
    years: set[int] = set()
    for part in re.split(r"[,，、\s]+", value.strip()):
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


def resolve_regions(
    snapshot: Snapshot, selection: Selection
) -> tuple[Selection, list[int], list[str]]:
    """The selection with each region value spelt as the full path of every region it names."""
    codes, unknown = region_codes(snapshot, selection.regions)
    paths = ("/".join(snapshot.nodes[code].path) for code in codes)
    regions = tuple(dict.fromkeys(paths)) + tuple(unknown)
    return replace(selection, regions=regions), codes, unknown


def region_codes(snapshot: Snapshot, values: tuple[str, ...]) -> tuple[list[int], list[str]]:
    """Region nodes named by the selection, and the values that name none."""
    codes: list[int] = []
    unknown: list[str] = []
    for value in values:
        found = snapshot.nodes_named(value)
        codes.extend(found)
        if not found:
            unknown.append(value)
    return codes, unknown


def region_mask(snapshot: Snapshot, docs: np.ndarray, codes: list[int]) -> np.ndarray:
    mask = np.zeros(len(docs), dtype=bool)
    for depth in range(DEPTHS):
        wanted = [c for c in codes if snapshot.nodes[c].depth == depth]
        if wanted:
            mask |= np.isin(snapshot.node_at[depth, docs], wanted)
    return mask


def year_mask(snapshot: Snapshot, docs: np.ndarray, years: tuple[int, ...]) -> np.ndarray:
    return np.isin(snapshot.year[docs], list(years))


def section_mask(snapshot: Snapshot, docs: np.ndarray, sections: tuple[str, ...]) -> np.ndarray:
    wanted = [snapshot.sections.index(s) for s in sections if s in snapshot.sections]
    return np.isin(snapshot.section[docs], wanted)
