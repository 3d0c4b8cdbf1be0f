"""Blueprints, one per area of the site; each view reads the URL, asks `search`, renders."""

from flask import current_app

from search.engine import Engine


def engine() -> Engine:
    return current_app.extensions["engine"]
