"""Friendly error pages (JSON under /api/ and for CSV): 400 names the problem, 404, 405 with
Allow, 503 when the index is missing or damaged or a request ran out of time, 500 without a trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import BadRequest, IndexDamaged, IndexMissing, OverBudget

log = logging.getLogger("portal")

TITLES = {
    400: "请求有误",
    404: "页面不存在",
    405: "不支持的请求方式",
    429: "请求过于频繁",
    500: "服务器出错",
    503: "暂时无法检索",
}
RETRY_AFTER = "30"


def error_response(status: int, message: str, title: str | None = None, headers=None):
    headers = dict(headers or {})
    if status == 503:
        headers.setdefault("Retry-After", RETRY_AFTER)
    if request.path.startswith("/api/") or request.path.endswith(".csv"):
        return jsonify({"error": message, "status": status}), status, headers
    title = title or TITLES.get(status, "出错了")
    page = render_template("error.html", status=status, title=title, message=message)
    return page, status, headers


def register(app: Flask) -> None:
    @app.errorhandler(BadRequest)
    def bad_request(exc: BadRequest):
        return error_response(400, str(exc))

    @app.errorhandler(IndexMissing)
    def index_missing(exc: IndexMissing):
        return error_response(503, f"索引尚未建立：{exc}", "索引尚未建立")

    @app.errorhandler(IndexDamaged)
    def index_damaged(exc: IndexDamaged):
        return error_response(503, f"索引已损坏，暂时无法检索：{exc}", "索引已损坏")

    @app.errorhandler(OverBudget)
    def over_budget(exc: OverBudget):
        return error_response(503, str(exc), "检索超时")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {404: "没有找到这个页面或这份报告。", 405: "此地址不支持这种请求方式。"}
        message = messages.get(exc.code, exc.description or "")
        if exc.code == 400:
            message = "请求有误：" + (exc.description or "参数无法识别")
        if exc.code == 413:
            message = "请求内容过大"
        allow = {k: v for k, v in exc.get_headers() if k == "Allow"}
        return error_response(exc.code or 500, message, headers=allow)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        return error_response(500, "服务器内部出错，请稍后再试；问题已记录。")
