"""Whole reports out of the index: one report with the query's matches marked, and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexer.model import TEXT

from .facets import FACETS, Facets, Masks, count
from .filters import Selection
from .snapshot import ReportInfo, Snapshot
from .snippets import highlight


@dataclass
class ShownParagraph:
    id: str
    text: str
    html: str  # escaped text, the query's terms in <mark>
    section: str
    section_path: list[str]
    match: bool  # satisfies the query
    kind: str = TEXT  # text or heading


@dataclass
class ReportView:
    info: ReportInfo
    meta: dict  # parsed metadata: issued, doc_number, issuers, warnings, …
    paragraphs: list[ShownParagraph]
    indicators: list = field(default_factory=list)  # (Indicator, [FigureRow]) (search/figures.py)

    @property
    def matches(self) -> list[str]:
        """Ids of the paragraphs that satisfy the query, in reading order."""
        return [p.id for p in self.paragraphs if p.match]

    def to_json(self) -> dict:
        """The parsed report, as `python -m indexer inspect --json` prints it."""
        return {
            **self.meta,
            "paragraphs": [
                {
                    "id": p.id,
                    "section": p.section,
                    "section_path": p.section_path,
                    "text": p.text,
                    "kind": p.kind,
                }
                for p in self.paragraphs
            ],
        }


def report_view(
    searcher, snap: Snapshot, code: int, matched: np.ndarray, needles: list[str]
) -> ReportView:
    info = snap.reports[code]
    docs = snap.docs_of(code)
    hits = set(np.intersect1d(docs, matched).tolist())
    paragraphs = []
    for row in docs.tolist():
        shown = snap.shown(row)
        paragraphs.append(
            ShownParagraph(
                shown.paragraph_id,
                shown.text,
                highlight(shown.text, needles),
                shown.section,
                shown.section_path,
                row in hits,
                shown.kind,
            )  # fmt: skip
        )
    number = searcher.document_number(pid=info.report_id)
    meta = (searcher.stored_fields(number).get("meta") if number is not None else None) or {}
    return ReportView(info, meta, paragraphs)


@dataclass
class Catalog:
    """Every report the filters admit, with region and year facets counting reports."""

    selection: Selection
    reports: list[ReportInfo] = field(default_factory=list)
    facets: Facets = field(default_factory=Facets)
    messages: list[str] = field(default_factory=list)


def catalog(snap: Snapshot, selection: Selection) -> Catalog:
    """One paragraph stands for each report, so the facet machinery counts reports."""
    docs = np.sort(snap.first_doc[snap.first_doc >= 0])
    masks = Masks.of(snap, docs, selection)
    chosen = snap.report[masks.chosen(docs)]
    reports = sorted(
        (snap.reports[c] for c in chosen.tolist()), key=lambda r: snap.region_rank[r.code]
    )
    offered = tuple(facet.name for facet in FACETS if facet.in_catalog)
    return Catalog(selection, reports, count(snap, docs, masks, selection, offered))
