"""The whole state of a results page lives in its URL: read it, change one thing, write it back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote_plus

from flask import g, url_for
from werkzeug.datastructures import MultiDict

from search.engine import SearchRequest
from search.errors import BadRequest
from search.filters import DEFAULT_SCOPE, SCOPE_NAMES
from search.ranking import SORTS
from search.results import VIEWS

from .forms import search_form

DEFAULTS = {"view": "paragraphs", "sort": "relevance", "scope": DEFAULT_SCOPE, "page": 1}
LIST_LIMIT = 50  # values per filter parameter


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    regions: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    not_regions: tuple[str, ...] = ()  # not_region=…: excluded whatever else is chosen
    not_years: tuple[str, ...] = ()
    not_sections: tuple[str, ...] = ()
    named: tuple[str, ...] = ()  # words of the box that were understood as filters
    view: str = "paragraphs"
    sort: str = "relevance"
    scope: str = DEFAULT_SCOPE  # where the terms meet: paragraph, sentence or heading
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> SearchState:
        return cls(
            q=search_form(args).q.data or "",
            regions=_values(args, "region"),
            years=_values(args, "year"),
            sections=_values(args, "section"),
            not_regions=_values(args, "not_region"),
            not_years=_values(args, "not_year"),
            not_sections=_values(args, "not_section"),
            named=_values(args, "named"),
            view=args.get("view") or DEFAULTS["view"],
            sort=args.get("sort") or DEFAULTS["sort"],
            scope=args.get("scope") or DEFAULTS["scope"],
            page=_page(args.get("page")),
        )

    @classmethod
    def carried(cls, args: MultiDict) -> SearchState:
        """The results page a report link came from, read leniently: a report opens whatever
        the rest of its URL says, and a value that is not valid is left out of the way back."""

        def lenient(read, default):
            try:
                return read()
            except BadRequest:
                return default

        view, sort = args.get("view"), args.get("sort")
        return cls(
            q=search_form(args).q.data or "",
            **{name: lenient(lambda key=key: _values(args, key), ()) for name, key in _LISTS},
            view=view if view in VIEWS else DEFAULTS["view"],
            sort=sort if sort in SORTS else DEFAULTS["sort"],
            scope=SCOPE_NAMES.get((args.get("scope") or "").strip().lower(), DEFAULTS["scope"]),
            page=lenient(lambda: _page(args.get("page")), 1),
        )

    def request(self, **extra) -> SearchRequest:
        return SearchRequest(
            q=self.q, regions=self.regions, years=self.years, sections=self.sections,
            not_regions=self.not_regions, not_years=self.not_years,
            not_sections=self.not_sections,
            view=self.view, sort=self.sort, scope=self.scope, page=self.page, **extra,
        )  # fmt: skip

    def params(self) -> list[tuple[str, str]]:
        """Query-string pairs, defaults left out so URLs stay short."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [("region", v) for v in self.regions]
        pairs += [("year", v) for v in self.years]
        pairs += [("section", v) for v in self.sections]
        pairs += [("not_region", v) for v in self.not_regions]
        pairs += [("not_year", v) for v in self.not_years]
        pairs += [("not_section", v) for v in self.not_sections]
        pairs += [("named", v) for v in self.named]
        for name in ("view", "sort", "scope", "page"):
            value = getattr(self, name)
            if value != DEFAULTS[name]:
                pairs.append((name, str(value)))
        return pairs

    def query_string(self, **changes) -> str:
        state = replace(self, **changes) if changes else self
        return "&".join(f"{k}={_quoted(v)}" for k, v in state.params())

    def url(self, endpoint: str = "search.results", **changes) -> str:
        query = self.query_string(**changes)
        return _path(endpoint) + (f"?{query}" if query else "")

    def with_filters(
        self, regions=None, years=None, sections=None,
        not_regions=None, not_years=None, not_sections=None,
    ) -> SearchState:  # fmt: skip
        """A new selection always starts again at page 1."""

        def pick(old, new):
            return old if new is None else tuple(new)

        return replace(
            self,
            regions=pick(self.regions, regions),
            years=pick(self.years, years),
            sections=pick(self.sections, sections),
            not_regions=pick(self.not_regions, not_regions),
            not_years=pick(self.not_years, not_years),
            not_sections=pick(self.not_sections, not_sections),
            page=1,
        )

    def toggle_region(self, value: str) -> SearchState:
        """Drill-down: choosing a region drops its selected ancestors and descendants."""
        if value in self.regions:
            return self.with_filters(regions=[v for v in self.regions if v != value])
        kept = [v for v in self.regions if not related(v, value)]
        return self.with_filters(regions=[*kept, value])


def _quoted(value: str) -> str:
    """A query-string value as `urlencode` writes it, once per request: a page quotes the same
    few values for its hundred facet links (the parameter names need no quoting)."""
    quoted = g.setdefault("quoted_values", {})
    if value not in quoted:
        quoted[value] = quote_plus(value)
    return quoted[value]


def _path(endpoint: str) -> str:
    """`url_for(endpoint)`, once per request: a results page builds a hundred facet URLs."""
    paths = g.setdefault("endpoint_paths", {})
    if endpoint not in paths:
        paths[endpoint] = url_for(endpoint)
    return paths[endpoint]


def related(a: str, b: str) -> bool:
    pa, pb = a.split("/"), b.split("/")
    shorter = min(len(pa), len(pb))
    return pa[:shorter] == pb[:shorter]


def toggled(values: tuple[str, ...], value: str) -> list[str]:
    return [v for v in values if v != value] if value in values else [*values, value]


_LISTS = [("regions", "region"), ("years", "year"), ("sections", "section"),
          ("not_regions", "not_region"), ("not_years", "not_year"),
          ("not_sections", "not_section"), ("named", "named")]  # fmt: skip


def _values(args: MultiDict, name: str) -> tuple[str, ...]:
    values = [v.strip() for v in args.getlist(name) if v.strip()]
    if len(values) > LIST_LIMIT:
        raise BadRequest(f"参数 {name} 的取值过多（{len(values)} 个），最多 {LIST_LIMIT} 个")
    return tuple(dict.fromkeys(values))


def _page(value: str | None) -> int:
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 100_000:
        raise BadRequest(f"页码「{value}」无效，应为 1 以上的整数")
    return int(value)
