"""The part facet: which of the outline's five parts (and 前言, 其他) a body unit is in."""

from __future__ import annotations

import numpy as np

from indexer.model import SECTIONS

from ..filters import resolve_section
from ..snapshot import Snapshot
from .base import Facet, FacetValue, allowed


class SectionFacet(Facet):
    name, title, chip = "section", "报告部分", "部分"
    keys = ("section", "部分")
    by_report = False
    in_catalog = False
    description = f"报告部分：{'、'.join(SECTIONS)}，或能唯一确定其一的简称（如 不足）；可重复"
    max_values = len(SECTIONS)

    def schema(self) -> dict:
        return {"type": "string", "enum": section_names()}

    def parse(self, value: str) -> tuple:
        return (resolve_section(value),)

    def label(self, value) -> str:
        return value or "未分部分"

    def table(self, snap: Snapshot, chosen: tuple, excluded: tuple) -> np.ndarray:
        return allowed(snap.sections, chosen, excluded)

    def values(self, snap: Snapshot, per_key: np.ndarray, chosen: tuple) -> list[FacetValue]:
        return [
            FacetValue(name, self.label(name), int(per_key[i]), name in chosen)
            for i, name in enumerate(snap.sections)
            if per_key[i] or name in chosen
        ]


def section_names() -> list[str]:
    """Every value the section filter accepts: a part's name or a piece of it naming one part."""
    pieces = {
        name[i:j]
        for name in SECTIONS
        for i in range(len(name))
        for j in range(i + 1, len(name) + 1)
    }
    return sorted(p for p in pieces if sum(p in name for name in SECTIONS) == 1)
