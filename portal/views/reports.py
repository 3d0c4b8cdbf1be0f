"""One report (paragraph anchors, matches marked), its original file, and the catalogue."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory

from ..forms import search_form
from ..reading import reading_view
from ..state import carried, from_args
from ..viewmodels import back_url, facet_links, resolved
from . import engine

bp = Blueprint("reports", __name__)


@bp.get("/reports")
def catalog():
    state = from_args(request.args)
    found = engine().catalog(state)
    base = resolved(state, found.selection)
    return render_template(
        "reports.html",
        form=search_form(request.args),
        catalog=found,
        facets=facet_links(found.facets, base, "reports.catalog"),
        state=base,
    )


@bp.get("/reports/<report_id>")
def show(report_id: str):
    form = search_form(request.args)
    q = form.q.data or ""
    view = engine().report(report_id, q)
    if view is None:
        abort(404)
    return render_template(
        "report.html", form=form, page=reading_view(view, q), q=q,
        back_url=back_url(carried(request.args)),
    )  # fmt: skip


@bp.get("/reports/<report_id>/source")
def source(report_id: str):
    view = engine().report(report_id)
    if view is None or not view.info.source:
        abort(404)
    corpus = Path(current_app.config["CORPUS"])
    return send_from_directory(corpus, view.info.source, as_attachment=True)
