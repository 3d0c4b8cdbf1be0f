"""The whole state of a results page lives in its URL: read it, change one thing, write it back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from search.engine import SearchRequest
from search.errors import BadRequest

from .forms import search_form

DEFAULTS = {"view": "paragraphs", "sort": "relevance", "page": 1}
LIST_LIMIT = 50  # values per filter parameter


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    regions: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    view: str = "paragraphs"
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> SearchState:
        return cls(
            q=search_form(args).q.data or "",
            regions=_values(args, "region"),
            years=_values(args, "year"),
            sections=_values(args, "section"),
            view=args.get("view") or DEFAULTS["view"],
            sort=args.get("sort") or DEFAULTS["sort"],
            page=_page(args.get("page")),
        )

    def request(self, **extra) -> SearchRequest:
        return SearchRequest(
            q=self.q, regions=self.regions, years=self.years, sections=self.sections,
            view=self.view, sort=self.sort, page=self.page, **extra,
        )  # fmt: skip

    def params(self) -> list[tuple[str, str]]:
        """Query-string pairs, defaults left out so URLs stay short."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [("region", v) for v in self.regions]
        pairs += [("year", v) for v in self.years]
        pairs += [("section", v) for v in self.sections]
        for name in ("view", "sort", "page"):
            value = getattr(self, name)
            if value != DEFAULTS[name]:
                pairs.append((name, str(value)))
        return pairs

    def url(self, endpoint: str = "search.results", **changes) -> str:
        state = replace(self, **changes) if changes else self
        query = urlencode(state.params())
        return url_for(endpoint) + (f"?{query}" if query else "")

    def with_filters(self, regions=None, years=None, sections=None) -> SearchState:
        """A new selection always starts again at page 1."""
        return replace(
            self,
            regions=self.regions if regions is None else tuple(regions),
            years=self.years if years is None else tuple(years),
            sections=self.sections if sections is None else tuple(sections),
            page=1,
        )

    def toggle_region(self, value: str) -> SearchState:
        """Drill-down: choosing a region drops its selected ancestors and descendants."""
        if value in self.regions:
            return self.with_filters(regions=[v for v in self.regions if v != value])
        kept = [v for v in self.regions if not _related(v, value)]
        return self.with_filters(regions=[*kept, value])


def _related(a: str, b: str) -> bool:
    pa, pb = a.split("/"), b.split("/")
    shorter = min(len(pa), len(pb))
    return pa[:shorter] == pb[:shorter]


def toggled(values: tuple[str, ...], value: str) -> list[str]:
    return [v for v in values if v != value] if value in values else [*values, value]


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
