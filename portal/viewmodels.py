"""Search results dressed for templates: every facet value, chip, page and hit carries its URL."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import url_for
from markupsafe import Markup

from search.facets import Facets, FacetValue
from search.filters import Selection
from search.results import Hit, ReportHit, SearchResult

from .state import SearchState, toggled

VIEW_LABELS = {"paragraphs": "按段落", "reports": "按报告"}
SORT_LABELS = {"relevance": "相关度", "year": "年份（新→旧）", "region": "地区"}
PAGE_WINDOW = 3


@dataclass
class Link:
    label: str
    url: str
    count: int | None = None
    selected: bool = False
    children: list[Link] = field(default_factory=list)


@dataclass
class Chip:
    kind: str  # 地区 / 年份 / 部分
    label: str
    remove_url: str


@dataclass
class Pager:
    previous: str | None
    next: str | None
    pages: list[tuple[int, str | None]]  # (number, url); url None for the current page, 0 = gap


@dataclass
class ShownHit:
    hit: Hit
    url: str  # the paragraph inside its report, query terms highlighted there
    place: str  # region › year › section path
    snippet: Markup


@dataclass
class ShownReport:
    report: ReportHit
    url: str
    place: str
    paragraphs: list[ShownHit]


def paragraph_url(report_id: str, paragraph_id: str, q: str = "") -> str:
    return url_for("reports.show", report_id=report_id, q=q or None, _anchor=paragraph_id)


def place(region_path: tuple[str, ...], year: int | None, section_path: list[str] = ()) -> str:
    parts = [" › ".join(region_path) or "地区不详", f"{year}年" if year else "年份不详"]
    return " · ".join(parts + ([" › ".join(section_path)] if section_path else []))


def shown_hit(hit: Hit, q: str) -> ShownHit:
    return ShownHit(
        hit,
        paragraph_url(hit.report_id, hit.paragraph_id, q),
        place(hit.region_path, hit.year, hit.section_path),
        Markup(hit.snippet),  # escaped by search.snippets, only <mark> allowed (nh3)
    )


def shown_hits(result: SearchResult, q: str) -> list[ShownHit] | list[ShownReport]:
    if result.view == "reports":
        return [
            ShownReport(
                r,
                url_for("reports.show", report_id=r.report_id, q=q or None),
                place(r.region_path, r.year),
                [shown_hit(h, q) for h in r.paragraphs],
            )
            for r in result.hits
        ]
    return [shown_hit(h, q) for h in result.hits]


def resolved(state: SearchState, selection: Selection) -> SearchState:
    """The state with regions as full paths, years spelt out and sections named in full."""
    years = tuple(str(y) for y in selection.years)
    return replace(state, regions=selection.regions, years=years, sections=selection.sections)


def facet_links(facets: Facets, state: SearchState, endpoint: str = "search.results") -> dict:
    """Facet values with the URL that toggles each (state already `resolved`)."""
    return {
        "region": [_region_link(v, state, endpoint) for v in facets.region],
        "year": [
            _link(v, state.with_filters(years=toggled(state.years, v.value)), endpoint)
            for v in facets.year
        ],
        "section": [
            _link(v, state.with_filters(sections=toggled(state.sections, v.value)), endpoint)
            for v in facets.section
        ],
    }


def _link(value: FacetValue, target: SearchState, endpoint: str) -> Link:
    return Link(value.label, target.url(endpoint), value.count, value.selected)


def _region_link(value: FacetValue, state: SearchState, endpoint: str) -> Link:
    link = _link(value, state.toggle_region(value.value), endpoint)
    link.children = [_region_link(child, state, endpoint) for child in value.children]
    return link


def chips(state: SearchState, endpoint: str = "search.results") -> list[Chip]:
    """Each active filter, with the URL that removes it (state already `resolved`)."""

    def without(**values) -> str:
        return state.with_filters(**values).url(endpoint)

    return (
        [Chip("地区", v.replace("/", " › "), without(regions=toggled(state.regions, v)))
         for v in state.regions]
        + [Chip("年份", f"{y}年", without(years=toggled(state.years, y))) for y in state.years]
        + [Chip("部分", v, without(sections=toggled(state.sections, v))) for v in state.sections]
    )  # fmt: skip


def view_links(state: SearchState) -> list[Link]:
    return [
        Link(label, state.url(view=view, page=1), selected=state.view == view)
        for view, label in VIEW_LABELS.items()
    ]


def sort_links(state: SearchState) -> list[Link]:
    return [
        Link(label, state.url(sort=sort, page=1), selected=state.sort == sort)
        for sort, label in SORT_LABELS.items()
    ]


def pager(state: SearchState, pages: int) -> Pager | None:
    if pages <= 1 and state.page == 1:
        return None
    current = state.page
    numbers = sorted(
        {1, pages}
        | set(range(max(1, current - PAGE_WINDOW), min(pages, current + PAGE_WINDOW) + 1))
    )
    shown: list[tuple[int, str | None]] = []
    for n in numbers:
        if shown and n - shown[-1][0] > 1:
            shown.append((0, None))
        shown.append((n, None if n == current else state.url(page=n)))
    return Pager(
        state.url(page=current - 1) if current > 1 else None,
        state.url(page=current + 1) if current < pages else None,
        shown,
    )
