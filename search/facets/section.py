"""The part facet: which of the outline's five parts (and 前言, 其他) a body unit is in."""

from __future__ import annotations

import numpy as np

from ..filters import resolve_section
from ..snapshot import Snapshot
from .base import Facet, FacetValue


class SectionFacet(Facet):
    name, title, chip = "section", "报告部分", "部分"
    keys = ("section", "部分")
    by_report = False
    in_catalog = False

    def parse(self, value: str) -> tuple:
        return (resolve_section(value),)

    def label(self, value) -> str:
        return value or "未分部分"

    def table(self, snap: Snapshot, chosen: tuple, excluded: tuple) -> np.ndarray:
        allowed = np.full(len(snap.sections), not chosen)
        for value in chosen:
            if value in snap.sections:
                allowed[snap.sections.index(value)] = True
        for value in excluded:
            if value in snap.sections:
                allowed[snap.sections.index(value)] = False
        return allowed

    def values(self, snap: Snapshot, per_key: np.ndarray, chosen: tuple) -> list[FacetValue]:
        return [
            FacetValue(name, self.label(name), int(per_key[i]), name in chosen)
            for i, name in enumerate(snap.sections)
            if per_key[i] or name in chosen
        ]
