"""Facet counts over all matches: each facet counted with the other facets' selections applied."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .filters import Selection, not_region_mask, region_mask, section_mask, year_mask
from .snapshot import DEPTHS, NONE, Snapshot

REGION_SEPARATOR = "/"


@dataclass
class FacetValue:
    value: str  # what to pass back to select it
    label: str
    count: int
    selected: bool
    children: list[FacetValue] = field(default_factory=list)  # the region tree's next level

    def to_json(self) -> dict:
        out = {"value": self.value, "label": self.label, "count": self.count}
        out["selected"] = self.selected
        if self.children:
            out["children"] = [child.to_json() for child in self.children]
        return out


@dataclass
class Facets:
    region: list[FacetValue]
    year: list[FacetValue]
    section: list[FacetValue]

    def to_json(self) -> dict:
        return {name: [v.to_json() for v in getattr(self, name)] for name in self.NAMES}

    NAMES = ("region", "year", "section")


@dataclass
class Masks:
    """Which matches pass each facet's selection (all True for a facet with none)."""

    region: np.ndarray
    year: np.ndarray
    section: np.ndarray

    @classmethod
    def of(cls, snap: Snapshot, docs: np.ndarray, selection: Selection, codes: list[int]) -> Masks:
        every = np.ones(len(docs), dtype=bool)
        region = region_mask(snap, docs, codes) if selection.regions else every
        year = year_mask(snap, docs, selection.years) if selection.years else every
        section = section_mask(snap, docs, selection.sections) if selection.sections else every
        if selection.not_regions:  # an exclusion narrows its own facet like a choice does
            region = region & not_region_mask(snap, docs, selection.not_regions)
        if selection.not_years:
            year = year & ~year_mask(snap, docs, selection.not_years)
        if selection.not_sections:
            section = section & ~section_mask(snap, docs, selection.not_sections)
        return cls(region, year, section)

    @property
    def all(self) -> np.ndarray:
        return self.region & self.year & self.section


def count(
    snap: Snapshot, docs: np.ndarray, masks: Masks, selection: Selection, codes: list[int]
) -> Facets:
    return Facets(
        region=_region_tree(snap, docs[masks.year & masks.section], set(codes)),
        year=_years(snap, docs[masks.region & masks.section], selection.years),
        section=_sections(snap, docs[masks.region & masks.year], selection.sections),
    )


def _region_tree(snap: Snapshot, docs: np.ndarray, selected: set[int]) -> list[FacetValue]:
    counts = np.zeros(len(snap.nodes), dtype=np.int64)
    for depth in range(DEPTHS):
        codes = snap.node_at[depth, docs]
        counts += np.bincount(codes[codes >= 0], minlength=len(snap.nodes))
    keep = set(selected)
    for code in selected:  # a selection stays visible (and removable) even with no matches
        parent = snap.nodes[code].parent
        while parent != NONE:
            keep.add(parent)
            parent = snap.nodes[parent].parent
    children: dict[int, list[int]] = {}
    for node in snap.nodes:
        if counts[node.code] or node.code in keep:
            children.setdefault(node.parent, []).append(node.code)
    return _level(snap, children, NONE, counts, selected, keep)


def _level(snap, children, parent, counts, selected, keep) -> list[FacetValue]:
    values = []
    for code in sorted(children.get(parent, []), key=lambda c: (-counts[c], snap.nodes[c].path)):
        node = snap.nodes[code]
        value = FacetValue(
            REGION_SEPARATOR.join(node.path), node.name, int(counts[code]), code in selected
        )
        if code in keep:  # selected, or on the way to a selection: show the next level down
            value.children = _level(snap, children, code, counts, selected, keep)
        values.append(value)
    return values


def _years(snap: Snapshot, docs: np.ndarray, selected: tuple[int, ...]) -> list[FacetValue]:
    years, counts = np.unique(snap.year[docs], return_counts=True)
    found = {int(y): int(c) for y, c in zip(years, counts, strict=True) if y}
    for year in selected:
        found.setdefault(year, 0)
    return [
        FacetValue(str(year), f"{year}年", found[year], year in selected)
        for year in sorted(found, reverse=True)
    ]


def _sections(snap: Snapshot, docs: np.ndarray, selected: tuple[str, ...]) -> list[FacetValue]:
    counts = np.bincount(snap.section[docs], minlength=len(snap.sections))
    return [
        FacetValue(name, name or "未分部分", int(counts[i]), name in selected)
        for i, name in enumerate(snap.sections)
        if counts[i] or name in selected
    ]
