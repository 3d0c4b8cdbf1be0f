"""The results page and its CSV export."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, redirect, render_template, request

from search.query import conjoined
from search.request import SearchRequest

from ..csvout import csv_response, result_rows
from ..forms import search_form
from ..state import from_args, url
from ..viewmodels import (
    ambiguous,
    chips,
    facet_links,
    offer_related,
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


def typed_filters_moved(state: SearchRequest):
    """Filters typed into the box (年份:2023, -部分:前言) and plain words naming a region, year
    or part of the index (大足区) become URL parameters, so chips and facets can remove them;
    the understood words are kept in `named` for the link that searches them as text."""
    query = engine().understand(state.q)
    found = query.selection
    if not found and not query.scope:
        return None

    added = {}
    for name in found.names():
        added[name] = state.values(name) + tuple(str(v) for v in found.values(name))
        added[f"not_{name}"] = state.values(f"not_{name}") + tuple(
            str(v) for v in found.not_values(name)
        )
    moved = state.with_filters(**added)
    named = tuple(dict.fromkeys(state.named + tuple(n.text for n in query.named)))
    scope = query.scope or state.scope
    return redirect(url(replace(moved, q=query.text, named=named, scope=scope), request.endpoint))


def within_results(state: SearchRequest):
    """「在结果中检索」: the new words must hold in the previous results too — one query, ANDed
    with the previous one (parenthesised when it has alternatives), written back to the URL."""
    previous = (request.args.get("prev") or "").strip()
    if request.args.get("within") != "1" or not previous:
        return None
    more = "" if previous == state.q.strip() else state.q
    combined = conjoined(previous, more)
    return redirect(url(replace(state, q=combined, page=1), request.endpoint))


def named_words(state: SearchRequest) -> list:
    """What each word recorded in `named` was understood as."""
    return [n for word in state.named for n in engine().understand(word).named]


@bp.get("/search")
def results():
    state = from_args(request.args)
    if moved := within_results(state) or typed_filters_moved(state):
        return moved
    result = engine().search(state.changed(per_page=current_app.config["PER_PAGE"]))
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
            related_url=offer_related(result, state),
            views=view_links(state),
            sorts=sort_links(state),
            scopes=scope_links(state),
            pager=pager(state, result.pages),
            csv_url=url(state, "search.export", page=1),
            json_url=url(state, "api.search", named=()),
            compare_url=url(
                replace(state, page=1, view="paragraphs", sort="relevance"), "compare.table"
            ),
        ),
        result,
    )


@bp.get("/search.csv")
def export():
    state = from_args(request.args)
    result = engine().search(state.changed(all=True))
    rows = result_rows(result, current_app.config["BASE_URL"])
    return stamped(csv_response(rows, "search", result.query.text), result)
