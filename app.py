"""The portal's WSGI application: `create_app(config)` builds it; gunicorn serves `app:create_app()`."""

from __future__ import annotations

from flask import Flask
from flask_wtf import CSRFProtect

from portal import admin, errors, security
from portal.config import load_config
from portal.views import api, compare, figures, pages, reports, search
from search.engine import Engine

ROOT_TEMPLATES, ROOT_STATIC = "templates", "static"


def create_app(config: dict | None = None) -> Flask:
    """Configuration comes from FAZHI_* environment variables, overridden by `config`."""
    app = Flask(__name__, template_folder=ROOT_TEMPLATES, static_folder=ROOT_STATIC)
    app.config.update(load_config(config))
    app.json.ensure_ascii = False  # Chinese stays readable in the API
    app.json.sort_keys = False  # fields keep the contract's order
    app.extensions["engine"] = Engine(
        app.config["INDEX"],
        budget=app.config["BUDGET"],
        export_limit=app.config["EXPORT_LIMIT"],
        cache_bytes=int(app.config["CACHE_MB"] * (1 << 20)),
    )
    CSRFProtect(app)
    for blueprint in (pages.bp, search.bp, reports.bp, compare.bp, figures.bp, api.bp):
        app.register_blueprint(blueprint)
    admin.init_app(app)
    errors.register(app)
    security.register(app)
    if app.config["WARM"]:  # before gunicorn forks: the index, and the compiled templates
        app.extensions["engine"].warm()
        for name in app.jinja_env.list_templates(extensions=("html", "xml")):
            app.jinja_env.get_template(name)
    return app
