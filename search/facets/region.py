"""The region facet: province › city › county › town, a tree; choosing a region chooses
everything under it, and its counts are summed up the tree."""

from __future__ import annotations

import numpy as np

from ..filters import region_codes, reports_in
from ..snapshot import DEPTHS, EMPTY, NONE, Snapshot
from .base import Facet, FacetValue

SEPARATOR = "/"  # between the levels of a region value: 重庆市/大足区


class RegionFacet(Facet):
    name, title, chip = "region", "地区", "地区"
    keys = ("region", "地区", "地域")
    description = "地区，任一级或路径，如 重庆市/大足区；可重复"

    def schema(self) -> dict:
        return {"type": "string", "maxLength": 32}

    def resolve(self, snap: Snapshot, values: tuple) -> tuple[tuple, list[str]]:
        """Each value as the full path of every region it names (大足 → 重庆市/大足区)."""
        codes, unknown = region_codes(snap, values)
        paths = (SEPARATOR.join(snap.nodes[code].path) for code in codes)
        messages = [f"索引中没有地区「{value}」的报告" for value in unknown]
        return tuple(dict.fromkeys(paths)) + tuple(unknown), messages

    def label(self, value) -> str:
        return str(value).replace(SEPARATOR, " › ")

    def toggle(self, chosen: tuple, value: str) -> list:
        """Drill-down: choosing a region drops its chosen ancestors and descendants."""
        if value in chosen:
            return [v for v in chosen if v != value]
        return [*(v for v in chosen if not self.related(v, value)), value]

    def related(self, a: str, b: str) -> bool:
        pa, pb = a.split(SEPARATOR), b.split(SEPARATOR)
        shorter = min(len(pa), len(pb))
        return pa[:shorter] == pb[:shorter]

    def table(self, snap: Snapshot, chosen: tuple, excluded: tuple) -> np.ndarray:
        inside = reports_in(snap, region_codes(snap, chosen)[0]) if chosen else None
        if inside is None:
            inside = np.ones(len(snap.reports), dtype=bool)
        if excluded:
            inside &= ~reports_in(snap, region_codes(snap, excluded)[0])
        return inside

    def values(self, snap: Snapshot, per_key: np.ndarray, chosen: tuple) -> list[FacetValue]:
        selected = set(region_codes(snap, chosen)[0])
        counts = np.zeros(len(snap.nodes), dtype=np.int64)
        for depth in range(DEPTHS):
            nodes = snap.report_nodes[depth]
            known = nodes >= 0
            counts += np.bincount(nodes[known], weights=per_key[known],
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
            SEPARATOR.join(node.path), node.name, int(counts[code]), code in selected
        )
        if code in keep:  # selected, or on the way to a selection: show the next level down
            value.children = _level(snap, code, counts, selected, keep)
        values.append(value)
    return values
