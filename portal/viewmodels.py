"""Search results dressed for templates: every facet value, chip, page and hit carries its URL."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import url_for
from markupsafe import Markup

from indexer.model import SECTIONS
from search.facets import BY_NAME, FACETS, NAMES, Facets, FacetValue
from search.filters import SCOPES, Named, Selection
from search.related import SAMPLE
from search.request import SearchRequest
from search.results import Hit, ReportHit, SearchResult

from .state import Links, query_string, toggled, url

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
    key: str = ""  # the facet value as passed back (names its links' ids, kept across pages)


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
    """The report, with the results page's whole state (`SearchRequest.query_string`) carried
    along: `q` highlights the terms, the rest leads back to the same results page."""
    return (
        url_for("reports.show", report_id=report_id)
        + (f"?{carried}" if carried else "")
        + (f"#{anchor}" if anchor else "")
    )


def back_url(state: SearchRequest) -> str | None:
    """「返回检索结果」: the results page a report was opened from (None when opened elsewhere)."""
    return url(state, "search.results") if state.params() else None


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


def shown_hits(result: SearchResult, state: SearchRequest) -> list[ShownHit] | list[ShownReport]:
    """Hits whose links open the report and lead back to this very page (`state`)."""
    carried = query_string(state)
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


def resolved(state: SearchRequest, selection: Selection) -> SearchRequest:
    """The state with each facet's values as the index spells them (regions as full paths,
    years spelt out, parts named in full)."""
    values = {}
    for facet in FACETS:
        values[facet.name] = [str(v) for v in selection.values(facet.name)]
        values[f"not_{facet.name}"] = [str(v) for v in selection.not_values(facet.name)]
    return state.changed(filters=state.with_filters(**values).filters)


@dataclass
class FacetBox:
    """One facet on the page: its heading, its parameter and its values as links."""

    name: str
    title: str
    links: list[Link]


def facet_links(
    facets: Facets, state: SearchRequest, endpoint: str = "search.results"
) -> list[FacetBox]:
    """Each counted facet's values with the URLs that toggle and exclude each (state
    `resolved`), in the registry's order."""
    links = Links(state, endpoint)
    return [
        FacetBox(name, BY_NAME[name].title,
                 [_value_link(v, state, BY_NAME[name], links) for v in values])
        for name, values in facets.values.items()
    ]  # fmt: skip


def _value_link(value: FacetValue, state: SearchRequest, facet, links: Links) -> Link:
    chosen, excluded = state.values(facet.name), state.values(f"not_{facet.name}")
    toggle = links.url(**{facet.name: facet.toggle(chosen, value.value)})
    link = Link(value.label, toggle, value.count, value.selected, key=value.value)
    kept, dropped = facet.exclude(chosen, excluded, value.value)
    link.exclude_url = links.url(**{facet.name: kept, f"not_{facet.name}": dropped})
    link.excluded = value.value in excluded
    link.children = [_value_link(child, state, facet, links) for child in value.children]
    return link


def suggestion_links(suggestions: list, state: SearchRequest) -> list[Link]:
    """Each suggested query with its total, linked with the page's filters (state `resolved`)."""
    return [Link(s.q, url(state, q=s.q, named=(), page=1), s.total) for s in suggestions]


def related_terms(result: SearchResult, state: SearchRequest) -> RelatedTerms | None:
    """The related words with their counts and links, the page's filters kept (state `resolved`)."""
    if not result.related:
        return None
    links = [
        Link(r.word, url(state, q=r.q, page=1, related=False), r.total) for r in result.related
    ]
    sample = min(SAMPLE, result.total)
    return RelatedTerms(links, sample, sample == result.total)


def offer_related(result: SearchResult, state: SearchRequest) -> str | None:
    """The link that asks for the related words (they cost a scan of the best matches, so a
    page computes them only when asked), where they can be offered."""
    if state.related or result.browsing or result.problem or not result.total:
        return None
    return None if result.scope == "sentence" else url(state, related=True)


def chips(state: SearchRequest, endpoint: str = "search.results") -> list[Chip]:
    """Each active filter and exclusion, with the URL that removes it (state `resolved`)."""
    found, links = [], Links(state, endpoint)
    for prefix, key in (("", "{}"), ("不含", "not_{}")):
        for facet in FACETS:
            parameter = key.format(facet.name)
            values = state.values(parameter)
            found += [
                Chip(prefix + facet.chip, facet.label(v),
                     links.url(**{parameter: toggled(values, v)}))
                for v in values
            ]  # fmt: skip
    return found


def understood(named: list[Named], state: SearchRequest, endpoint: str = "search.results"):
    """Words of the box that became filters (and are still applied), each with the URL that
    searches the word as quoted text instead (state already `resolved`)."""
    shown = []
    for name in named:
        words = {facet: [str(v) for v in name.selection.values(facet)] for facet in NAMES}
        if any(not set(v) <= set(state.values(facet)) for facet, v in words.items()):
            continue  # its chip was removed since
        plain = state.with_filters(**{
            facet: [v for v in state.values(facet) if v not in taken]
            for facet, taken in words.items() if taken
        })  # fmt: skip
        q = f'"{name.text}" {state.q}'.strip()
        target = replace(plain, q=q, named=tuple(w for w in state.named if w != name.text))
        shown.append(
            Understood(name.text, BY_NAME[name.kind].chip, name.label, url(target, endpoint))
        )
    return shown


def ambiguous(names: list[Named], state: SearchRequest, endpoint: str = "search.results"):
    """Words naming several regions: a link per region (the word leaves the box)."""
    shown = []
    for name in names:
        rest = " ".join(w for w in state.q.split() if w != name.text)
        links = [
            Link(path.replace("/", " › "),
                 url(replace(state.with_filters(region=[*state.values("region"), path]), q=rest),
                     endpoint))
            for path in name.choices
        ]  # fmt: skip
        shown.append(Ambiguous(name.text, links))
    return shown


def view_links(state: SearchRequest) -> list[Link]:
    return [
        Link(label, url(state, view=view, page=1), selected=state.view == view)
        for view, label in VIEW_LABELS.items()
    ]


def sort_links(state: SearchRequest) -> list[Link]:
    return [
        Link(label, url(state, sort=sort, page=1), selected=state.sort == sort)
        for sort, label in SORT_LABELS.items()
    ]


def scope_links(state: SearchRequest) -> list[Link]:
    return [
        Link(label, url(state, scope=scope, page=1), selected=state.scope == scope)
        for scope, label in SCOPES.items()
    ]


def pager(state: SearchRequest, pages: int) -> Pager | None:
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
        shown.append((n, None if n == current else url(state, page=n)))
    return Pager(
        url(state, page=current - 1) if current > 1 else None,
        url(state, page=current + 1) if current < pages else None,
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
