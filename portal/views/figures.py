"""The figures view: the values the reports give for a term or a standard indicator, per town and
year, with a trend chart per town, subtotals where values add up, and CSV."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from ..csvout import csv_response, figure_rows
from ..figuretable import figures_table, indicator_links, kind_links
from ..forms import search_form
from ..state import from_args, url
from ..viewmodels import chips, facet_links, resolved
from . import engine, stamped
from .search import typed_filters_moved

bp = Blueprint("figures", __name__)


def marked_term(found) -> str:
    """What the linked reports mark: the query, or the indicator's first wording."""
    return found.indicator.terms[-1] if found.indicator else found.query.text


@bp.get("/figures")
def table():
    state = from_args(request.args)
    if moved := typed_filters_moved(state):
        return moved
    found = engine().figures(state)
    base = resolved(state, found.selection)
    return stamped(
        render_template(
            "figures.html",
            form=search_form(request.args),
            state=base,
            found=found,
            table=figures_table(found, base, marked_term(found)),
            kinds=kind_links(found, base),
            indicators=indicator_links(found, base),
            facets=facet_links(found.facets, base, "figures.table"),
            chips=chips(base, "figures.table"),
            csv_url=url(base, "figures.export"),
            json_url=url(base, "api.figures", named=()),
            compare_url=url(base, "compare.table", kind="", indicator=""),
        ),
        found,
    )


@bp.get("/figures.csv")
def export():
    state = from_args(request.args)
    found = engine().figures(state)
    rows = figure_rows(found, current_app.config["BASE_URL"], marked_term(found))
    return stamped(csv_response(rows, "figures", found.term), found)
