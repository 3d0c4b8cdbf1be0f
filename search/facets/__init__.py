"""The facets and their counts over all matches: each facet counted with the other facets'
selections applied. A facet is one module of this package and one line of `FACETS`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..filters import Selection
from ..snapshot import Snapshot
from .base import Facet, FacetValue
from .issuer import IssuerLevelFacet
from .region import SEPARATOR as REGION_SEPARATOR
from .region import RegionFacet
from .section import SectionFacet
from .year import YearFacet

FACETS: tuple[Facet, ...] = (RegionFacet(), YearFacet(), SectionFacet(), IssuerLevelFacet())
BY_NAME = {facet.name: facet for facet in FACETS}
BY_KEY = {key: facet for facet in FACETS for key in facet.keys}  # the box's 地区:, 年份:, …
NAMES = tuple(BY_NAME)

__all__ = ["BY_KEY", "BY_NAME", "FACETS", "NAMES", "REGION_SEPARATOR", "Facet", "FacetValue",
           "Facets", "Masks", "count", "prepare", "resolve"]  # fmt: skip


@dataclass
class Facets:
    """Each facet's values with their counts (a facet's list by its name: `facets.region`)."""

    values: dict[str, list[FacetValue]] = field(default_factory=dict)
    reports: int = 0  # reports among the paragraphs every selection admits

    def __getattr__(self, name: str) -> list[FacetValue]:
        if name in BY_NAME:
            return self.values.get(name, [])
        raise AttributeError(name)

    def to_json(self) -> dict:
        return {name: [v.to_json() for v in self.values.get(name, [])] for name in NAMES}


def resolve(snap: Snapshot, selection: Selection) -> tuple[Selection, list[str]]:
    """The selection with every value spelt as the index spells it (regions as full paths),
    and a Chinese message for each value the index holds nothing for."""
    messages: list[str] = []
    for name in selection.names():
        facet = BY_NAME[name]
        chosen, found = facet.resolve(snap, selection.values(name))
        excluded, missing = facet.resolve(snap, selection.not_values(name))
        selection = selection.with_values(name, chosen, excluded)
        messages += found + missing
    return selection, messages


@dataclass
class Masks:
    """Which matches pass each narrowed facet's selection (a facet without one is absent)."""

    masks: dict[str, np.ndarray]

    @classmethod
    def of(cls, snap: Snapshot, docs: np.ndarray, selection: Selection) -> Masks:
        narrowed = [BY_NAME[name] for name in selection.names()]
        by_report = any(facet.by_report for facet in narrowed)
        owners = snap.report[docs] if by_report else None  # one gather for every report facet
        return cls({
            facet.name: facet.table(snap, selection.values(facet.name),
                                    selection.not_values(facet.name))[
                facet.keys_of(snap, docs, owners)]
            for facet in narrowed
        })  # fmt: skip

    def keep(self, docs: np.ndarray, *names: str) -> np.ndarray:
        """The documents passing the named facets' masks (all of them when none narrows)."""
        mask = None
        for name in names:
            m = self.masks.get(name)
            if m is not None:
                mask = m if mask is None else mask & m
        return docs if mask is None else docs[mask]

    def chosen(self, docs: np.ndarray) -> np.ndarray:
        """The documents passing every facet's selection."""
        return self.keep(docs, *self.masks)

    def others(self, docs: np.ndarray, name: str) -> np.ndarray:
        """The documents passing every facet's selection but this one's (what it counts)."""
        return self.keep(docs, *(n for n in self.masks if n != name))


def count(snap: Snapshot, docs: np.ndarray, masks: Masks, selection: Selection,
          names: tuple[str, ...] = NAMES) -> Facets:  # fmt: skip
    """Counts per value of each facet; report facets through per-report counts (reports are
    few), shared between facets that count the same paragraphs."""
    per_report: dict[tuple[str, ...], np.ndarray] = {}

    def reports_of(others: tuple[str, ...]) -> np.ndarray:
        if others not in per_report:
            kept = masks.keep(docs, *others)
            per_report[others] = np.bincount(snap.report[kept], minlength=len(snap.reports))
        return per_report[others]

    values = {}
    for name in names:
        facet = BY_NAME[name]
        others = tuple(n for n in masks.masks if n != name)
        if facet.by_report:
            per_key = reports_of(others)
        else:
            kept = masks.keep(docs, *others)
            per_key = np.bincount(facet.keys_of(snap, kept, None), minlength=facet.key_count(snap))
        values[name] = facet.values(snap, per_key, selection.values(name))
    chosen = reports_of(tuple(masks.masks))
    return Facets(values, int(np.count_nonzero(chosen)))


def prepare(snap: Snapshot) -> None:
    """Compute every facet's per-generation data now (what a first request would)."""
    for facet in FACETS:
        facet.prepare(snap)


def admitted_reports(snap: Snapshot, selection: Selection) -> np.ndarray:
    """By report code: whether the report passes every report facet's selection."""
    inside = np.ones(len(snap.reports), dtype=bool)
    for name in selection.names():
        facet = BY_NAME[name]
        if facet.by_report:
            inside &= facet.table(snap, selection.values(name), selection.not_values(name))
    return inside
