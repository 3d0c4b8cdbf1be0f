"""JSON API: the search contract with a URL per hit, and parsed reports."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from ..openapi import spec
from ..state import from_args
from ..viewmodels import paragraph_url
from . import engine, stamped

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    state = from_args(request.args)
    every = request.args.get("all") in ("1", "true")
    result = engine().search(state.changed(per_page=current_app.config["PER_PAGE"], all=every))
    data = result.to_json()
    for hit, out in zip(result.hits, data["hits"], strict=True):
        if result.view == "reports":
            for paragraph, shown in zip(hit.paragraphs, out["paragraphs"], strict=True):
                shown["url"] = paragraph_url(paragraph.report_id, paragraph.paragraph_id)
        else:
            out["url"] = paragraph_url(hit.report_id, hit.paragraph_id)
    return stamped(jsonify(data), result)


@bp.get("/reports/<report_id>")
def report(report_id: str):
    view = engine().report(report_id)
    if view is None:
        abort(404)
    return jsonify(view.to_json())


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.get("/figures")
def figures():
    state = from_args(request.args)
    found = engine().figures(state)
    data = found.to_json()
    for figure, out in zip(found.figures, data["figures"], strict=True):
        out["url"] = paragraph_url(figure.report_id, figure.paragraph_id)
    return stamped(jsonify(data), found)


@bp.get("/compare")
def compare():
    state = from_args(request.args)
    return jsonify(engine().compare(state).to_json())
