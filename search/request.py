"""The one request type: what a search, a comparison, an export or a results page asks for.

The same object is read from the URL (portal/state.py), written back into every link, and
answered by the engine. Facet values travel as URL parameters by facet name (`region`,
`year`, `section`, `issuer_level`, …, and `not_<name>` to exclude), so a new facet needs no
field here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .facets import NAMES
from .filters import DEFAULT_SCOPE

PER_PAGE = 20
DEFAULTS = {"view": "paragraphs", "sort": "relevance", "scope": DEFAULT_SCOPE, "page": 1,
            "indicator": "", "kind": ""}  # fmt: skip

Filters = tuple[tuple[str, tuple[str, ...]], ...]  # (URL parameter, its values), in order


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: Filters = ()  # facet values by parameter: region, not_year, issuer_level, …
    named: tuple[str, ...] = ()  # words of the box that were understood as filters
    view: str = "paragraphs"
    sort: str = "relevance"
    scope: str = DEFAULT_SCOPE  # where the terms meet: paragraph, sentence or heading
    page: int = 1
    per_page: int = PER_PAGE
    all: bool = False  # every hit on one page
    related: bool = False  # also the words most often sharing a paragraph (search/related.py):
    # asked for (about 20 ms more at 20,000 reports), not computed for every page
    indicator: str = ""  # figures of a standard indicator (indexer/indicators.py) instead of q's
    kind: str = ""  # figures of which kind: achieved (the default), planned, problem, other, all

    @classmethod
    def of(cls, q: str = "", **values) -> SearchRequest:
        """Fields by name, facet values by URL parameter: `SearchRequest.of("调解",
        region=("大足区",), not_year=("2022",), view="reports")`."""
        fields = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        filters = {k: tuple(v) for k, v in values.items() if k not in fields}
        unknown = set(filters) - set(PARAMETERS)
        if unknown:
            raise TypeError(f"not a field or facet parameter: {', '.join(sorted(unknown))}")
        return cls(q=q, filters=_ordered(filters), **fields)

    def values(self, parameter: str) -> tuple[str, ...]:
        return dict(self.filters).get(parameter, ())

    def changed(self, **changes) -> SearchRequest:
        """The same request with fields replaced (without `dataclasses.replace`'s per-call field
        introspection: a results page makes a few hundred for its facet links)."""
        new = object.__new__(SearchRequest)
        vars(new).update(vars(self), **changes)
        return new

    def with_filters(self, **values) -> SearchRequest:
        """Facet values replaced by parameter (`region=[…]`, `not_year=[…]`); a new selection
        always starts again at page 1."""
        kept = dict(self.filters)
        for parameter, found in values.items():
            kept[parameter] = tuple(found)
        return self.changed(filters=_ordered(kept), page=1)

    def params(self) -> list[tuple[str, str]]:
        """Query-string pairs, defaults left out so URLs stay short."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [(parameter, v) for parameter, values in self.filters for v in values]
        pairs += [("named", v) for v in self.named]
        for name in ("view", "sort", "scope", "page", "indicator", "kind"):
            value = getattr(self, name)
            if value != DEFAULTS[name]:
                pairs.append((name, str(value)))
        if self.related:
            pairs.append(("related", "1"))
        return pairs


PARAMETERS = (*NAMES, *(f"not_{name}" for name in NAMES))  # every facet's, in the URL's order


def _ordered(values: dict[str, tuple]) -> Filters:
    """Facet parameters in one order (facets as registered, then their exclusions), so that
    one selection has one URL; empty ones are left out."""
    return tuple((p, tuple(dict.fromkeys(values[p]))) for p in PARAMETERS if values.get(p))
