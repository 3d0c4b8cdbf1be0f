"""Curator sessions: Flask-Login over the user store, failed logins limited per address.

A session names the curator and a stamp of their password hash; the user is loaded from the
store on every request, so a removed user (or one whose password changed) is logged out at the
next request. The limiter's counters are in memory, per worker process (Flask-Limiter's
`memory://`): with N workers an address gets at most N times the limit, and a restart resets it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user

from .audit import Audit
from .forms import ActionForm, LoginForm
from .users import Users

FAILED = 401


def users() -> Users:
    return Users(current_app.config["ADMIN_DIR"])


def init_auth(app: Flask) -> None:
    manager = LoginManager(app)
    manager.login_view = "admin.login"
    manager.login_message = "请先登录管理页面"
    manager.user_loader(lambda session_id: users().load(session_id))
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
    limited = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"],
        deduct_when=lambda response: response.status_code == FAILED,
        error_message="登录失败次数过多，请稍后再试",
    )(login)  # fmt: skip
    app.add_url_rule("/admin/login", "admin.login", limited, methods=["GET", "POST"])
    app.add_url_rule("/admin/logout", "admin.logout", logout, methods=["POST"])


def login():
    form = LoginForm()
    if not form.is_submitted():
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        curator = users().verify(form.name.data, form.password.data)
        if curator is not None:
            session.clear()  # a new session: nothing of the anonymous one is kept
            login_user(curator)
            Audit(current_app.config["ADMIN_DIR"]).record(
                curator.name, "login", request.remote_addr or ""
            )
            return redirect(_local(form.next.data) or url_for("admin.home"))
        return _page(form, {"password": "管理员名称或密码不对"}), FAILED
    return _page(form), 400 if form.is_submitted() else 200


def _page(form: LoginForm, errors: dict | None = None):
    errors = errors or {name: f.errors[0] for name, f in form._fields.items() if f.errors}
    return render_template("admin/login.html", form=form, errors=errors)


def logout():
    form = ActionForm()
    if current_user.is_authenticated and form.validate_on_submit():
        Audit(current_app.config["ADMIN_DIR"]).record(current_user.name, "logout", "")
    logout_user()
    session.clear()
    flash("已退出登录")
    return redirect(url_for("admin.login"))


def _local(target: str | None) -> str | None:
    """Only a path of this site's admin pages is followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin"):
        return None
    return target
