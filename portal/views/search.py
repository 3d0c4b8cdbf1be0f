"""The results page and its CSV export."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, redirect, render_template, request

from search.query import conjoined

from ..csvout import csv_response, result_rows
from ..forms import search_form
from ..state import SearchState
from ..viewmodels import (
    ambiguous,
    chips,
    facet_links,
    pager,
    related_terms,
    resolved,
    scope_links,
    shown_hits,
    sort_links,
    suggestion_links,
    understood,
    view_links,
)  # fmt: skip
from . import engine, stamped

bp = Blueprint("search", __name__)


def typed_filters_moved(state: SearchState):
    """Filters typed into the box (年份:2023, -部分:前言) and plain words naming a region, year
    or part of the index (大足区) become URL parameters, so chips and facets can remove them;
    the understood words are kept in `named` for the link that searches them as text."""
    query = engine().understand(state.q)
    found = query.selection
    if not found and not query.scope:
        return None

    def years(values):
        return tuple(str(y) for y in values)

    moved = state.with_filters(
        regions=state.regions + found.regions,
        years=state.years + years(found.years),
        sections=state.sections + found.sections,
        not_regions=state.not_regions + found.not_regions,
        not_years=state.not_years + years(found.not_years),
        not_sections=state.not_sections + found.not_sections,
    )
    named = tuple(dict.fromkeys(state.named + tuple(n.text for n in query.named)))
    scope = query.scope or state.scope
    return redirect(replace(moved, q=query.text, named=named, scope=scope).url(request.endpoint))


def within_results(state: SearchState):
    """「在结果中检索」: the new words must hold in the previous results too — one query, ANDed
    with the previous one (parenthesised when it has alternatives), written back to the URL."""
    previous = (request.args.get("prev") or "").strip()
    if request.args.get("within") != "1" or not previous:
        return None
    more = "" if previous == state.q.strip() else state.q
    combined = conjoined(previous, more)
    return redirect(replace(state, q=combined, page=1).url(request.endpoint))


def named_words(state: SearchState) -> list:
    """What each word recorded in `named` was understood as."""
    return [n for word in state.named for n in engine().understand(word).named]


@bp.get("/search")
def results():
    state = SearchState.from_args(request.args)
    if moved := within_results(state) or typed_filters_moved(state):
        return moved
    result = engine().search(state.request(per_page=current_app.config["PER_PAGE"], related=True))
    base = resolved(state, result.selection)
    return stamped(
        render_template(
            "search.html",
            form=search_form(request.args),
            state=state,
            result=result,
            hits=shown_hits(result, state),
            facets=facet_links(result.facets, base),
            chips=chips(base),
            understood=understood(named_words(state), base),
            ambiguous=ambiguous(result.query.ambiguous, base),
            suggestions=suggestion_links(result.suggestions, base),
            related=related_terms(result, base),
            views=view_links(state),
            sorts=sort_links(state),
            scopes=scope_links(state),
            pager=pager(state, result.pages),
            csv_url=state.url("search.export", page=1),
            json_url=state.url("api.search", named=()),
            compare_url=replace(state, page=1, view="paragraphs", sort="relevance").url(
                "compare.table"
            ),
        ),
        result,
    )


@bp.get("/search.csv")
def export():
    state = SearchState.from_args(request.args)
    result = engine().search(state.request(all=True))
    rows = result_rows(result, current_app.config["BASE_URL"])
    return stamped(csv_response(rows, "search", result.query.text), result)
