"""What a facet is: one way to narrow the results, defined once.

A facet says how its values are read (from the URL, or typed in the box after one of its
`keys`), how they narrow the matches (a table of the admitted keys: report codes for a
property of the report, part codes for the part), how the matches are counted per value, and
how its values are labelled. Search, the comparison, the catalog, CSV, the API and the pages
all go through the registry (search/facets/__init__.py), so adding a facet is one module and
one line there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..snapshot import Snapshot


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


class Facet:
    """The base: a facet over a property of the report with a short list of values."""

    name = ""  # URL parameter and JSON key; `not_<name>` excludes
    title = ""  # the facet's heading on the page
    chip = ""  # a chip's label: 年份 2023年, 不含年份 2023年
    keys: tuple[str, ...] = ()  # what precedes the colon in the box: 年份:2023
    by_report = True  # a property of the report (else of the body unit)
    in_catalog = True  # the list of reports offers it
    description = ""  # the URL parameter's, for the API description (Chinese)
    max_values = 10  # values the API description promises to take in one request

    def schema(self) -> dict:
        """JSON schema of one value of the URL parameter (portal/openapi.py)."""
        return {"type": "string", "maxLength": 64}

    def parse(self, value: str) -> tuple:
        """One typed or URL value as the facet's values; raises FilterError (Chinese)."""
        return (value.strip(),)

    def prepare(self, snap: Snapshot) -> None:
        """Compute what the facet derives from a generation (nothing, unless it codes reports)."""

    def resolve(self, snap: Snapshot, values: tuple) -> tuple[tuple, list[str]]:
        """Values as this index spells them, and the messages for those it does not hold."""
        return values, []

    def label(self, value) -> str:
        return str(value)

    def toggle(self, chosen: tuple, value: str) -> list:
        """The chosen values after a click on `value`: added, or removed when chosen."""
        return [v for v in chosen if v != value] if value in chosen else [*chosen, value]

    def exclude(self, chosen: tuple, excluded: tuple, value: str) -> tuple[list, list]:
        """Chosen and excluded values after the exclude link of `value`: it leaves the chosen
        and is excluded, or (already excluded) is admitted again."""
        return [v for v in chosen if not self.related(v, value)], self.toggle(excluded, value)

    def related(self, a: str, b: str) -> bool:
        """Whether choosing one of the two makes the other moot (the same value, or in a tree
        one above the other)."""
        return a == b

    def table(self, snap: Snapshot, chosen: tuple, excluded: tuple) -> np.ndarray:
        """Which keys (report codes, or part codes) pass: any chosen value and no excluded one."""
        raise NotImplementedError

    def keys_of(self, snap: Snapshot, docs: np.ndarray, owners: np.ndarray | None) -> np.ndarray:
        """Each matching row's key: its report code (given as `owners`), or its part."""
        return owners if self.by_report else snap.section[docs]

    def key_count(self, snap: Snapshot) -> int:
        return len(snap.reports) if self.by_report else len(snap.sections)

    def values(self, snap: Snapshot, per_key: np.ndarray, chosen: tuple) -> list[FacetValue]:
        """The facet's values with their counts, from matches counted per key."""
        raise NotImplementedError


def allowed(names: list, chosen: tuple, excluded: tuple, unknown: bool = False) -> np.ndarray:
    """By index into `names`: whether a value passes (any chosen, when some are, and none
    excluded); with `unknown`, one entry more for what has no value (passes unless some are
    chosen)."""
    table = np.full(len(names) + unknown, not chosen)
    for value, passes in [*((v, True) for v in chosen), *((v, False) for v in excluded)]:
        if value in names:
            table[names.index(value)] = passes
    return table


class CodedFacet(Facet):
    """A report property with one value per report, coded once per generation."""

    def value_of(self, info) -> object | None:
        """A report's value (`info`: search.snapshot.ReportInfo), None when it has none."""
        raise NotImplementedError

    def prepare(self, snap: Snapshot) -> None:
        self.codes(snap)

    def codes(self, snap: Snapshot) -> tuple[np.ndarray, list]:
        """Per report, the index of its value in the list of values (-1: none); kept with the
        generation's derived data, computed on first use."""
        return snap.derived(("facet", self.name), lambda: self._coded(snap))

    def _coded(self, snap: Snapshot) -> tuple[np.ndarray, list]:
        found = [self.value_of(info) for info in snap.reports]
        names = sorted({v for v in found if v is not None}, key=str)
        index = {v: i for i, v in enumerate(names)}
        coded = np.array([index.get(v, -1) for v in found], dtype=np.int64)
        return coded, names

    def order(self, values: list) -> list:
        return sorted(values)

    def table(self, snap: Snapshot, chosen: tuple, excluded: tuple) -> np.ndarray:
        coded, names = self.codes(snap)
        return allowed(names, chosen, excluded, unknown=True)[coded]  # -1: the last entry

    def values(self, snap: Snapshot, per_key: np.ndarray, chosen: tuple) -> list[FacetValue]:
        coded, names = self.codes(snap)
        known = coded >= 0
        counts = np.bincount(coded[known], weights=per_key[known], minlength=len(names))
        found = {names[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}
        for value in chosen:
            found.setdefault(value, 0)
        return [
            FacetValue(str(value), self.label(value), found[value], value in chosen)
            for value in self.order(list(found))
        ]
