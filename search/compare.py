"""Term comparison: how many paragraphs of each report (town × year) match a query."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexer.model import Region

from .filters import Selection, region_codes
from .query import Query
from .results import report_fields
from .snapshot import DEPTHS, Snapshot


@dataclass
class ReportCount:
    report_id: str
    title: str
    region: Region
    region_path: tuple[str, ...]
    year: int | None
    count: int  # matching paragraphs; 0 for a report that does not mention the term

    def to_json(self) -> dict:
        return {**report_fields(self), "count": self.count}


@dataclass
class Comparison:
    query: Query
    selection: Selection
    rows: list[ReportCount] = field(default_factory=list)  # region order, newest year first
    messages: list[str] = field(default_factory=list)

    @property
    def mentioned(self) -> list[ReportCount]:
        return [row for row in self.rows if row.count]

    @property
    def silent(self) -> list[ReportCount]:
        """Reports in the filter that never mention the term."""
        return [row for row in self.rows if not row.count]

    def to_json(self) -> dict:
        return {
            "total": sum(row.count for row in self.rows),
            "reports": len(self.mentioned),
            "messages": self.messages,
            "rows": [row.to_json() for row in self.rows],
        }


def count_reports(
    snap: Snapshot, docs: np.ndarray, selection: Selection, codes: list[int]
) -> list[ReportCount]:
    """A row per report admitted by the region and year filters, with its matching paragraphs."""
    counts = np.bincount(snap.report[docs], minlength=len(snap.reports))
    excluded, _ = region_codes(snap, selection.not_regions)
    rows = []
    for info in sorted(snap.reports, key=lambda r: snap.region_rank[r.code]):
        if selection.regions and not _within(snap, info.node, codes):
            continue
        if excluded and _within(snap, info.node, excluded):
            continue
        if selection.years and info.year not in selection.years:
            continue
        if info.year in selection.not_years:
            continue
        rows.append(
            ReportCount(
                info.report_id,
                info.title,
                info.region,
                info.region_path,
                info.year,
                int(counts[info.code]),
            )  # fmt: skip
        )
    return rows


def _within(snap: Snapshot, node: int, codes: list[int]) -> bool:
    wanted = set(codes)
    for _ in range(DEPTHS):
        if node in wanted:
            return True
        if node < 0:
            return False
        node = snap.nodes[node].parent
    return False
