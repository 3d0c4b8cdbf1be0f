"""What a search returns: plain dataclasses, and the JSON of the search contract."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.model import TEXT, Region

from .facets import NAMES, Facets
from .filters import Selection
from .query import Query

VIEWS = ("paragraphs", "reports")


def report_fields(item) -> dict:
    """The report's identity as every JSON answer gives it."""
    return {
        "report_id": item.report_id,
        "title": item.title,
        "region": item.region.as_dict(),
        "year": item.year,
    }


@dataclass
class Hit:
    report_id: str
    paragraph_id: str
    title: str
    region: Region
    region_path: tuple[str, ...]
    year: int | None
    section: str
    section_path: list[str]
    snippet: str  # escaped HTML; only <mark> tags
    text: str  # the whole paragraph, plain
    exact: bool  # contains every unquoted run contiguously
    score: float
    position: int
    kind: str = TEXT  # text or heading: a heading is a unit of its own, its path ends with it

    def to_json(self) -> dict:
        return {
            **report_fields(self),
            "paragraph_id": self.paragraph_id,
            "kind": self.kind,
            "section": self.section,
            "section_path": self.section_path,
            "snippet": self.snippet,
            "exact": self.exact,
        }


@dataclass
class ReportHit:
    """One report in the reports view: its best paragraphs and how many paragraphs match."""

    report_id: str
    title: str
    region: Region
    region_path: tuple[str, ...]
    year: int | None
    matches: int
    exact: bool
    paragraphs: list[Hit]

    def to_json(self) -> dict:
        return {
            **report_fields(self),
            "matches": self.matches,
            "exact": self.exact,
            "paragraphs": [hit.to_json() for hit in self.paragraphs],
        }


@dataclass
class SearchResult:
    query: Query
    selection: Selection  # parameters and the query's own filters together
    view: str
    sort: str
    page: int
    per_page: int  # 0 when every hit was asked for
    total: int = 0  # matching paragraphs
    reports: int = 0  # reports with a matching paragraph
    hits: list[Hit] | list[ReportHit] = field(default_factory=list)
    facets: Facets = field(default_factory=Facets)
    messages: list[str] = field(default_factory=list)  # Chinese: repairs, caps, problems
    limit: int = 0  # an `all` answer cut at this many hits (0: not cut)
    generation: str = ""  # the index generation that answered
    problem: str | None = None  # why nothing was searched (Chinese), e.g. nothing to look for
    browsing: bool = False  # filters without a term: their paragraphs in reading order
    suggestions: list = field(default_factory=list)  # search.suggest.Suggestion, closest first
    scope: str = "paragraph"  # where the terms had to meet (search/scopes.py)
    related: list = field(default_factory=list)  # search.related.Related, when asked for

    @property
    def items(self) -> int:
        """What the hits count: paragraphs, or reports in the reports view."""
        return self.reports if self.view == "reports" else self.total

    @property
    def truncated(self) -> bool:
        return bool(self.limit)

    @property
    def cap_message(self) -> str:
        return (
            f"结果共 {self.items} 条，超过导出上限 {self.limit} 条，只给出前 {self.limit} 条；"
            "请加地区、年份或部分条件，或换更具体的检索词，缩小范围后再导出"
        )

    @property
    def pages(self) -> int:
        return 1 if not self.per_page else max(1, -(-self.items // self.per_page))

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "reports": self.reports,
            "query_terms": [
                {
                    "text": use.term.text,
                    "exact": use.term.exact,
                    "words": list(use.term.words),
                    "excluded": use.excluded,
                }
                for use in self.query.uses
            ],
            "filters": {
                **{name: list(self.selection.values(name)) for name in NAMES},
                **{f"not_{name}": list(self.selection.not_values(name)) for name in NAMES},
            },
            "understood": [
                {"text": n.text, "kind": n.kind, "label": n.label} for n in self.query.named
            ],
            "ambiguous": [
                {"text": n.text, "kind": n.kind, "choices": list(n.choices)}
                for n in self.query.ambiguous
            ],
            "browsing": self.browsing,
            "scope": self.scope,
            "suggestions": [s.to_json() for s in self.suggestions],
            "related": [r.to_json() for r in self.related],
            "view": self.view,
            "sort": self.sort,
            "page": self.page,
            "pages": self.pages,
            "per_page": self.per_page,
            "messages": self.messages,
            "truncated": self.truncated,
            "generation": self.generation,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": self.facets.to_json(),
        }
