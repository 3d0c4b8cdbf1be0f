"""gunicorn settings for `make run`: `gunicorn -c python:portal.gunicorn_conf 'app:create_app()'`."""

from portal.config import server_settings

_server = server_settings()
bind = f"{_server['host']}:{_server['port']}"
workers = _server["workers"]
worker_class = "portal.server.Worker"  # gevent: slow clients wait in greenlets (portal/server.py)
worker_connections = 1000  # open connections per worker, idle or slow ones included
preload_app = True  # load the index snapshot once, before the workers fork
accesslog = "-"
access_log_format = '%(h)s %(p)s "%(r)s" %(s)s %(b)s %(M)sms'  # %(p)s: the worker's pid
timeout = _server["timeout"]  # a worker silent this long is restarted (requests have a budget)
graceful_timeout = 10
keepalive = 5
# Request size limits, said explicitly: the request line, the number and size of header fields.
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190
control_socket_disable = True  # several servers (tests, benchmarks) must not share ~/.gunicorn


def pre_fork(server, worker) -> None:
    """Objects loaded before the fork (the snapshot, jieba's dictionary) leave the collector's
    generations, so no collection in a worker writes to their pages: they stay shared."""
    import gc

    gc.freeze()
