"""Term comparison: how many paragraphs of each report (town × year) match a query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from indexer.model import Region

from .facets import admitted_reports
from .filters import Selection
from .query import Query
from .results import report_fields
from .snapshot import Snapshot

if TYPE_CHECKING:
    from .figures import Figures


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
    figures: Figures | None = None  # the term's figures (Engine.compare, with a query)

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


def count_reports(snap: Snapshot, docs: np.ndarray, selection: Selection) -> list[ReportCount]:
    """A row per report every report facet admits (zeros included), with its matches."""
    counts = np.bincount(snap.report[docs], minlength=len(snap.reports))
    admitted = admitted_reports(snap, selection)
    rows = []
    for info in sorted(snap.reports, key=lambda r: snap.region_rank[r.code]):
        if not admitted[info.code]:
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
