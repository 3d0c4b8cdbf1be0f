"""Search results dressed for templates: every facet value, chip, page and hit carries its URL."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import url_for
from markupsafe import Markup

from indexer.model import SECTIONS
from search.facets import Facets, FacetValue
from search.filters import SCOPES, Named, Selection
from search.related import SAMPLE
from search.results import Hit, ReportHit, SearchResult

from .state import SearchState, related, toggled

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
    exclude_url: str | None = None  # the same results without this value
    excluded: bool = False  # the value is excluded now (exclude_url then restores it)


@dataclass
class Understood:
    """A word of the box taken as a filter, with the URL that searches it as plain text."""

    word: str
    kind: str  # 地区 / 年份 / 部分
    label: str
    text_url: str


@dataclass
class Ambiguous:
    """A word naming several regions: each choice is a link that filters by it."""

    word: str
    choices: list[Link]


KIND_LABELS = {"region": "地区", "year": "年份", "section": "部分"}


@dataclass
class RelatedTerms:
    """Words often sharing a paragraph with the query, each linked as the query AND the word."""

    links: list[Link]  # label: the word; count: the results holding it too
    sample: int  # the best-ranked results the words were chosen from
    every: bool  # the sample is every result


@dataclass
class Chip:
    kind: str  # 地区 / 年份 / 部分, or 不含地区 … for an exclusion
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


def paragraph_url(report_id: str, paragraph_id: str | None = None, q: str = "") -> str:
    """The report, at the paragraph when one is given; `q` marks its terms there."""
    return url_for("reports.show", report_id=report_id, q=q or None, _anchor=paragraph_id)


def report_url(report_id: str, carried: str, anchor: str | None = None) -> str:
    """The report, with the results page's whole state (`SearchState.query_string`) carried
    along: `q` highlights the terms, the rest leads back to the same results page."""
    return (
        url_for("reports.show", report_id=report_id)
        + (f"?{carried}" if carried else "")
        + (f"#{anchor}" if anchor else "")
    )


def back_url(state: SearchState) -> str | None:
    """「返回检索结果」: the results page a report was opened from (None when opened elsewhere)."""
    return state.url("search.results") if state.params() else None


def place(region_path: tuple[str, ...], year: int | None, section_path: list[str] = ()) -> str:
    parts = [" › ".join(region_path) or "地区不详", f"{year}年" if year else "年份不详"]
    return " · ".join(parts + ([" › ".join(section_path)] if section_path else []))


def shown_hit(hit: Hit, carried: str) -> ShownHit:
    return ShownHit(
        hit,
        report_url(hit.report_id, carried, hit.paragraph_id),
        place(hit.region_path, hit.year, hit.section_path),
        Markup(hit.snippet),  # escaped by search.snippets, only <mark> allowed (nh3)
    )


def shown_hits(result: SearchResult, state: SearchState) -> list[ShownHit] | list[ShownReport]:
    """Hits whose links open the report and lead back to this very page (`state`)."""
    carried = state.query_string()
    if result.view == "reports":
        return [
            ShownReport(
                r,
                report_url(r.report_id, carried),
                place(r.region_path, r.year),
                [shown_hit(h, carried) for h in r.paragraphs],
            )
            for r in result.hits
        ]
    return [shown_hit(h, carried) for h in result.hits]


def resolved(state: SearchState, selection: Selection) -> SearchState:
    """The state with regions as full paths, years spelt out and sections named in full."""

    def years(values: tuple[int, ...]) -> tuple[str, ...]:
        return tuple(str(y) for y in values)

    return replace(
        state, regions=selection.regions, years=years(selection.years),
        sections=selection.sections, not_regions=selection.not_regions,
        not_years=years(selection.not_years), not_sections=selection.not_sections,
    )  # fmt: skip


def facet_links(facets: Facets, state: SearchState, endpoint: str = "search.results") -> dict:
    """Facet values with the URLs that toggle and exclude each (state already `resolved`)."""
    return {
        "region": [_region_link(v, state, endpoint) for v in facets.region],
        "year": [_value_link(v, state, "years", endpoint) for v in facets.year],
        "section": [_value_link(v, state, "sections", endpoint) for v in facets.section],
    }


def _value_link(value: FacetValue, state: SearchState, name: str, endpoint: str) -> Link:
    chosen, excluded = getattr(state, name), getattr(state, "not_" + name)
    link = _link(value, state.with_filters(**{name: toggled(chosen, value.value)}), endpoint)
    exclude = state.with_filters(
        **{name: [v for v in chosen if v != value.value],
           "not_" + name: toggled(excluded, value.value)}
    )  # fmt: skip
    link.exclude_url, link.excluded = exclude.url(endpoint), value.value in excluded
    return link


def _link(value: FacetValue, target: SearchState, endpoint: str) -> Link:
    return Link(value.label, target.url(endpoint), value.count, value.selected)


def _region_link(value: FacetValue, state: SearchState, endpoint: str) -> Link:
    link = _link(value, state.toggle_region(value.value), endpoint)
    exclude = state.with_filters(
        regions=[v for v in state.regions if not related(v, value.value)],
        not_regions=toggled(state.not_regions, value.value),
    )
    link.exclude_url = exclude.url(endpoint)
    link.excluded = value.value in state.not_regions
    link.children = [_region_link(child, state, endpoint) for child in value.children]
    return link


def suggestion_links(suggestions: list, state: SearchState) -> list[Link]:
    """Each suggested query with its total, linked with the page's filters (state `resolved`)."""
    return [Link(s.q, state.url(q=s.q, named=(), page=1), s.total) for s in suggestions]


def related_terms(result: SearchResult, state: SearchState) -> RelatedTerms | None:
    """The related words with their counts and links, the page's filters kept (state `resolved`)."""
    if not result.related:
        return None
    links = [Link(r.word, state.url(q=r.q, page=1), r.total) for r in result.related]
    sample = min(SAMPLE, result.total)
    return RelatedTerms(links, sample, sample == result.total)


def chips(state: SearchState, endpoint: str = "search.results") -> list[Chip]:
    """Each active filter and exclusion, with the URL that removes it (state `resolved`)."""

    def without(**values) -> str:
        return state.with_filters(**values).url(endpoint)

    return (
        [Chip("地区", v.replace("/", " › "), without(regions=toggled(state.regions, v)))
         for v in state.regions]
        + [Chip("年份", f"{y}年", without(years=toggled(state.years, y))) for y in state.years]
        + [Chip("部分", v, without(sections=toggled(state.sections, v))) for v in state.sections]
        + [Chip("不含地区", v.replace("/", " › "),
                without(not_regions=toggled(state.not_regions, v))) for v in state.not_regions]
        + [Chip("不含年份", f"{y}年", without(not_years=toggled(state.not_years, y)))
           for y in state.not_years]
        + [Chip("不含部分", v, without(not_sections=toggled(state.not_sections, v)))
           for v in state.not_sections]
    )  # fmt: skip


def understood(named: list[Named], state: SearchState, endpoint: str = "search.results"):
    """Words of the box that became filters (and are still applied), each with the URL that
    searches the word as quoted text instead (state already `resolved`)."""
    shown = []
    for name in named:
        regions, sections = name.selection.regions, name.selection.sections
        years = tuple(str(y) for y in name.selection.years)
        if not (set(regions) <= set(state.regions) and set(years) <= set(state.years)
                and set(sections) <= set(state.sections)):  # fmt: skip
            continue  # its chip was removed since
        plain = state.with_filters(
            regions=[v for v in state.regions if v not in regions],
            years=[v for v in state.years if v not in years],
            sections=[v for v in state.sections if v not in sections],
        )
        q = f'"{name.text}" {state.q}'.strip()
        target = replace(plain, q=q, named=tuple(w for w in state.named if w != name.text))
        shown.append(
            Understood(name.text, KIND_LABELS[name.kind], name.label, target.url(endpoint))
        )
    return shown


def ambiguous(names: list[Named], state: SearchState, endpoint: str = "search.results"):
    """Words naming several regions: a link per region (the word leaves the box)."""
    shown = []
    for name in names:
        rest = " ".join(w for w in state.q.split() if w != name.text)
        links = [
            Link(path.replace("/", " › "),
                 replace(state.with_filters(regions=[*state.regions, path]), q=rest).url(endpoint))
            for path in name.choices
        ]  # fmt: skip
        shown.append(Ambiguous(name.text, links))
    return shown


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


def scope_links(state: SearchState) -> list[Link]:
    return [
        Link(label, state.url(scope=scope, page=1), selected=state.scope == scope)
        for scope, label in SCOPES.items()
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


def browse_links(reports) -> dict:
    """Home-page links that list, without a term, the paragraphs of a part or of a region."""
    counts: dict[tuple[str, ...], int] = {}
    for info in sorted(reports, key=lambda r: r.region_path):
        path = info.region_path
        for depth in range(1, len(path) + 1):
            counts[path[:depth]] = counts.get(path[:depth], 0) + 1
    return {
        "section": [Link(name, url_for("search.results", section=name)) for name in SECTIONS],
        "region": [
            Link(" › ".join(path), url_for("search.results", region="/".join(path)), n)
            for path, n in counts.items()
        ],
    }
