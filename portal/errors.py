"""Friendly error pages (JSON under /api/): 400 names the problem, 404, 500 without a trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import BadRequest, IndexMissing

log = logging.getLogger("portal")

TITLES = {
    400: "请求有误",
    404: "页面不存在",
    405: "不支持的请求方式",
    500: "服务器出错",
    503: "索引尚未建立",
}


def error_response(status: int, message: str):
    if request.path.startswith("/api/") or request.path.endswith(".csv"):
        return jsonify({"error": message, "status": status}), status
    title = TITLES.get(status, "出错了")
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(BadRequest)
    def bad_request(exc: BadRequest):
        return error_response(400, str(exc))

    @app.errorhandler(IndexMissing)
    def index_missing(exc: IndexMissing):
        return error_response(
            503, "索引尚未建立，请管理员先运行 make run 或 python -m indexer build"
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {404: "没有找到这个页面或这份报告。", 405: "此地址不支持这种请求方式。"}
        message = messages.get(exc.code, exc.description or "")
        if exc.code == 400:
            message = "请求有误：" + (exc.description or "参数无法识别")
        return error_response(exc.code or 500, message)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        return error_response(500, "服务器内部出错，请稍后再试；问题已记录。")
