"""Facet counts over all matches: each facet counted with the other facets' selections applied."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .filters import Selection, not_region_mask, region_mask, section_mask, year_mask
from .snapshot import DEPTHS, EMPTY, NONE, Snapshot

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
    reports: int = 0  # reports among the paragraphs every selection admits

    def to_json(self) -> dict:
        return {name: [v.to_json() for v in getattr(self, name)] for name in self.NAMES}

    NAMES = ("region", "year", "section")


@dataclass
class Masks:
    """Which matches pass each facet's selection; None for a facet without one (all pass)."""

    region: np.ndarray | None
    year: np.ndarray | None
    section: np.ndarray | None

    @classmethod
    def of(cls, snap: Snapshot, docs: np.ndarray, selection: Selection, codes: list[int]) -> Masks:
        by_report = (
            selection.regions or selection.years or selection.not_regions or selection.not_years
        )
        owners = snap.report[docs] if by_report else None  # one gather for every report filter
        region = region_mask(snap, owners, codes) if selection.regions else None
        year = year_mask(snap, owners, selection.years) if selection.years else None
        section = section_mask(snap, docs, selection.sections) if selection.sections else None
        if selection.not_regions:  # an exclusion narrows its own facet like a choice does
            region = _both(region, not_region_mask(snap, owners, selection.not_regions))
        if selection.not_years:
            year = _both(year, ~year_mask(snap, owners, selection.not_years))
        if selection.not_sections:
            section = _both(section, ~section_mask(snap, docs, selection.not_sections))
        return cls(region, year, section)

    @property
    def all(self) -> np.ndarray | None:
        return _both(_both(self.region, self.year), self.section)

    def keep(self, docs: np.ndarray, *masks: np.ndarray | None) -> np.ndarray:
        """The documents passing the masks (all of them when every mask is None)."""
        mask = None
        for m in masks:
            mask = _both(mask, m)
        return docs if mask is None else docs[mask]

    def chosen(self, docs: np.ndarray) -> np.ndarray:
        """The documents passing every facet's selection."""
        return self.keep(docs, self.all)


def _both(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    return b if a is None else a if b is None else a & b


def count(
    snap: Snapshot, docs: np.ndarray, masks: Masks, selection: Selection, codes: list[int]
) -> Facets:
    """Counts per value; regions and years through per-report counts (reports are few)."""
    by_region = _per_report(snap, masks.keep(docs, masks.year, masks.section))
    same = masks.region is None and masks.year is None  # then both count the same paragraphs
    by_year = by_region if same else _per_report(
        snap, masks.keep(docs, masks.region, masks.section))  # fmt: skip
    chosen = by_region if masks.region is None else _per_report(snap, masks.chosen(docs))
    return Facets(
        region=_region_tree(snap, by_region, set(codes)),
        year=_years(snap, by_year, selection.years),
        section=_sections(snap, masks.keep(docs, masks.region, masks.year), selection.sections),
        reports=int(np.count_nonzero(chosen)),
    )


def _per_report(snap: Snapshot, docs: np.ndarray) -> np.ndarray:
    return np.bincount(snap.report[docs], minlength=len(snap.reports))


def _region_tree(snap: Snapshot, per_report: np.ndarray, selected: set[int]) -> list[FacetValue]:
    counts = np.zeros(len(snap.nodes), dtype=np.int64)
    for depth in range(DEPTHS):
        nodes = snap.report_nodes[depth]
        known = nodes >= 0
        counts += np.bincount(nodes[known], weights=per_report[known],
                              minlength=len(snap.nodes)).astype(np.int64)  # fmt: skip
    keep = set(selected)
    for code in selected:  # a selection stays visible (and removable) even with no matches
        parent = snap.nodes[code].parent
        while parent != NONE:
            keep.add(parent)
            parent = snap.nodes[parent].parent
    return _level(snap, NONE, counts, selected, keep)


def _level(snap: Snapshot, parent: int, counts, selected: set[int], keep: set[int]) -> list:
    """The children of `parent` with matches (or kept), most matches first."""
    kids = snap.children.get(parent, EMPTY)
    shown = kids[counts[kids] > 0].tolist()
    shown += [c for c in kids.tolist() if c in keep and not counts[c]]
    values = []
    for code in sorted(shown, key=lambda c: (-counts[c], snap.nodes[c].path)):
        node = snap.nodes[code]
        value = FacetValue(
            REGION_SEPARATOR.join(node.path), node.name, int(counts[code]), code in selected
        )
        if code in keep:  # selected, or on the way to a selection: show the next level down
            value.children = _level(snap, code, counts, selected, keep)
        values.append(value)
    return values


def _years(snap: Snapshot, per_report: np.ndarray, selected: tuple[int, ...]) -> list[FacetValue]:
    by_year = np.bincount(snap.report_year, weights=per_report, minlength=1)
    found = {year: int(by_year[year]) for year in np.flatnonzero(by_year).tolist() if year}
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
