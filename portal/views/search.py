"""The results page and its CSV export."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, redirect, render_template, request

from search.query import parse

from ..csvout import csv_response, hit_rows
from ..forms import search_form
from ..state import SearchState
from ..viewmodels import (
    chips,
    facet_links,
    pager,
    resolved,
    shown_hits,
    sort_links,
    view_links,
)  # fmt: skip
from . import engine, stamped

bp = Blueprint("search", __name__)


def _typed_filters_moved(state: SearchState):
    """Filters typed into the box (年份:2023) become URL parameters, so chips can remove them."""
    query = parse(state.q)
    if not query.selection:
        return None
    moved = state.with_filters(
        regions=state.regions + query.selection.regions,
        years=state.years + tuple(str(y) for y in query.selection.years),
        sections=state.sections + query.selection.sections,
    )
    return redirect(replace(moved, q=query.text).url(request.endpoint))


@bp.get("/search")
def results():
    state = SearchState.from_args(request.args)
    if moved := _typed_filters_moved(state):
        return moved
    result = engine().search(state.request(per_page=current_app.config["PER_PAGE"]))
    base = resolved(state, result.selection)
    return stamped(
        render_template(
            "search.html",
            form=search_form(request.args),
            state=state,
            result=result,
            hits=shown_hits(result, state.q),
            facets=facet_links(result.facets, base),
            chips=chips(base),
            views=view_links(state),
            sorts=sort_links(state),
            pager=pager(state, result.pages),
            csv_url=state.url("search.export"),
            compare_url=replace(state, page=1, view="paragraphs", sort="relevance").url(
                "compare.table"
            ),
        ),
        result,
    )


@bp.get("/search.csv")
def export():
    state = SearchState.from_args(request.args)
    result = engine().search(replace(state, view="paragraphs").request(all=True))
    rows = hit_rows(result, current_app.config["BASE_URL"])
    return stamped(csv_response(rows, "检索结果.csv"), result)
