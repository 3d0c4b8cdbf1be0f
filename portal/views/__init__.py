"""Blueprints, one per area of the site; each view reads the URL, asks `search`, renders."""

from flask import Response, current_app, make_response

from search.engine import Engine
from search.results import SearchResult

GENERATION_HEADER = "X-Index-Generation"


def engine() -> Engine:
    return current_app.extensions["engine"]


def stamped(response, result: SearchResult) -> Response:
    """Name the index generation that answered (operators and consistency checks read it)."""
    response = make_response(response)
    response.headers[GENERATION_HEADER] = result.generation
    return response
