"""The whole state of a results page lives in its URL: read it into the one request type
(`search.request.SearchRequest`), change one thing, write it back (`url`)."""

from __future__ import annotations

from urllib.parse import quote_plus

from flask import g, url_for
from werkzeug.datastructures import MultiDict

from search.errors import BadRequest
from search.filters import SCOPE_NAMES
from search.ranking import SORTS
from search.request import DEFAULTS, PARAMETERS, SearchRequest
from search.results import VIEWS

from .forms import search_form

LIST_LIMIT = 50  # values per filter parameter


def from_args(args: MultiDict) -> SearchRequest:
    """A request as its URL says; raises BadRequest (Chinese) for a value it cannot use."""
    return SearchRequest.of(
        search_form(args).q.data or "",
        **{parameter: _values(args, parameter) for parameter in PARAMETERS},
        named=_values(args, "named"),
        view=args.get("view") or DEFAULTS["view"],
        sort=args.get("sort") or DEFAULTS["sort"],
        scope=args.get("scope") or DEFAULTS["scope"],
        page=_page(args.get("page")),
        related=args.get("related") in ("1", "true"),
        indicator=(args.get("indicator") or "").strip(),
        kind=(args.get("kind") or "").strip(),
    )


def carried(args: MultiDict) -> SearchRequest:
    """The results page a report link came from, read leniently: a report opens whatever the
    rest of its URL says, and a value that is not valid is left out of the way back."""

    def lenient(read, default):
        try:
            return read()
        except BadRequest:
            return default

    view, sort = args.get("view"), args.get("sort")
    return SearchRequest.of(
        search_form(args).q.data or "",
        **{key: lenient(lambda key=key: _values(args, key), ()) for key in (*PARAMETERS, "named")},
        view=view if view in VIEWS else DEFAULTS["view"],
        sort=sort if sort in SORTS else DEFAULTS["sort"],
        scope=SCOPE_NAMES.get((args.get("scope") or "").strip().lower(), DEFAULTS["scope"]),
        page=lenient(lambda: _page(args.get("page")), 1),
    )


def query_string(state: SearchRequest, **changes) -> str:
    state = state.changed(**changes) if changes else state
    return "&".join(f"{k}={_quoted(v)}" for k, v in state.params())


def url(state: SearchRequest, endpoint: str = "search.results", **changes) -> str:
    query = query_string(state, **changes)
    return _path(endpoint) + (f"?{query}" if query else "")


class Links:
    """URLs of one state with some facet parameters replaced (and page 1), as
    `url(state.with_filters(...), endpoint)` writes them: the parameters that stay are quoted
    once, for a results page writes a few hundred such links for its facets and chips."""

    def __init__(self, state: SearchRequest, endpoint: str = "search.results") -> None:
        self.state, self.path = state, _path(endpoint)
        self.quoted = _quoted_values()  # the request's one memo, fetched once
        rest = state.changed(q="", filters=(), page=1)
        self.head = [f"q={self._quote(state.q)}"] if state.q else []
        self.tail = [f"{k}={self._quote(v)}" for k, v in rest.params()]

    def url(self, **values) -> str:
        """The URL with these facet parameters (`region=[…]`, `not_year=[…]`) replaced."""
        parts = list(self.head)
        for parameter in PARAMETERS:
            chosen = values[parameter] if parameter in values else self.state.values(parameter)
            parts += [f"{parameter}={self._quote(v)}" for v in dict.fromkeys(chosen)]
        parts += self.tail
        return self.path + ("?" + "&".join(parts) if parts else "")

    def _quote(self, value: str) -> str:
        quoted = self.quoted.get(value)
        if quoted is None:
            quoted = self.quoted[value] = quote_plus(value)
        return quoted


def _quoted(value: str) -> str:
    """A query-string value as `urlencode` writes it, once per request: a page quotes the same
    few values for its hundred facet links (the parameter names need no quoting)."""
    quoted = _quoted_values()
    if value not in quoted:
        quoted[value] = quote_plus(value)
    return quoted[value]


def _quoted_values() -> dict[str, str]:
    return g.setdefault("quoted_values", {})


def _path(endpoint: str) -> str:
    """`url_for(endpoint)`, once per request: a results page builds a hundred facet URLs."""
    paths = g.setdefault("endpoint_paths", {})
    if endpoint not in paths:
        paths[endpoint] = url_for(endpoint)
    return paths[endpoint]


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
