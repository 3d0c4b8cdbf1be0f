"""Curators add, correct and remove reports through the site (`/admin`).

One module per job: users (accounts), auth (sessions, login limit), uploads (checks and
staging), preview (what a parse shows), divisions (choosing a region), naming (file names),
changes (atomic corpus writes and their journal), jobs and runner (index builds), library (the
corpus as the index sees it), audit (the log), views (the pages), cli (`python -m portal admin`).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Request, current_app, render_template
from flask_wtf.csrf import CSRFError

from .auth import init_auth
from .changes import recover
from .jobs import Places
from .views import MAX_FILES, bp

UPLOAD_PATH = "/admin/upload"
FORM_BYTES = 1 << 20  # the form fields around the files


class AdminRequest(Request):
    """An upload may be as large as its files; every other request keeps MAX_CONTENT_LENGTH."""

    @property
    def max_content_length(self) -> int | None:
        if self.path == UPLOAD_PATH and current_app:
            return int(current_app.config["UPLOAD_MB"] * (1 << 20)) * MAX_FILES + FORM_BYTES
        return super().max_content_length


def init_app(app: Flask) -> None:
    app.request_class = AdminRequest
    init_auth(app)
    app.register_blueprint(bp)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = "表单缺少安全令牌或令牌已过期（CSRF），没有做任何改动；请返回上一页刷新后重试。"
        return render_template("error.html", status=400, title="表单已失效", message=message), 400

    places = Places(
        Path(app.config["CORPUS"]), Path(app.config["INDEX"]), Path(app.config["ADMIN_DIR"])
    )
    if (places.admin / "changes").is_dir():
        recover(places)  # a change killed before its build finished: finish it before serving
