"""The production server's worker: gevent, so slow or stalled clients cost a greenlet, not a worker.

A sync worker is held by every client until it has sent its request and read the answer: two
clients sending headers a byte a second stop a two-worker site. With gevent each connection waits
in its own greenlet; searches themselves are CPU-bound and run one at a time per worker, each
within the engine's time budget.

gunicorn answers malformed or oversized requests (400, 414, 431) itself, before the application
sees them; those answers get the site's security headers and a Chinese message here.
"""

from __future__ import annotations

import html

from gunicorn import util
from gunicorn.workers.ggevent import GeventWorker

from .security import HEADERS

MESSAGES = {
    400: "请求格式有误",
    403: "请求被拒绝",
    414: "网址过长，请缩短检索词或减少筛选条件",
    417: "请求有误",
    431: "请求头过大",
    500: "服务器内部出错，请稍后再试",
    501: "不支持的传输方式",
}


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own error answer, with the security headers and a Chinese page."""
    text = MESSAGES.get(status_int, "请求有误")
    body = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{status_int} {html.escape(text)}</title></head>"
        f"<body><h1>{html.escape(text)}</h1><p>{html.escape(mesg)}</p></body></html>"
    ).encode()
    head = [f"HTTP/1.1 {status_int} {reason}", "Connection: close",
            "Content-Type: text/html; charset=utf-8", f"Content-Length: {len(body)}"]  # fmt: skip
    head += [f"{name}: {value}" for name, value in HEADERS.items()]
    util.write_nonblock(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


class Worker(GeventWorker):
    """gevent worker whose own error answers carry the site's headers."""

    def init_process(self) -> None:
        util.write_error = write_error  # handle_error calls it through the module
        super().init_process()
