"""The comparison view: matching paragraphs per town and year, a bar chart, CSV."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from ..comparison import comparison_table
from ..csvout import comparison_rows, csv_response
from ..forms import search_form
from ..state import from_args, url
from ..viewmodels import chips, resolved
from . import engine
from .search import typed_filters_moved

bp = Blueprint("compare", __name__)


@bp.get("/compare")
def table():
    state = from_args(request.args)
    if moved := typed_filters_moved(state):
        return moved
    comparison = engine().compare(state, with_figures=True)
    base = resolved(state, comparison.selection)
    return render_template(
        "compare.html",
        form=search_form(request.args),
        state=base,
        comparison=comparison,
        table=comparison_table(comparison, base, comparison.figures),
        chips=chips(base, "compare.table"),
        csv_url=url(base, "compare.export"),
        json_url=url(base, "api.compare", named=()),
        search_url=url(base, "search.results"),
        figures_url=url(base, "figures.table"),
    )


@bp.get("/compare.csv")
def export():
    state = from_args(request.args)
    comparison = engine().compare(state)
    rows = comparison_rows(comparison, current_app.config["BASE_URL"])
    return csv_response(rows, "compare", comparison.query.text)
