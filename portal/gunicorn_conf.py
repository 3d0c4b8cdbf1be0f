"""gunicorn settings for `make run`: `gunicorn -c python:portal.gunicorn_conf 'app:create_app()'`."""

from portal.config import server_settings

_server = server_settings()
bind = f"{_server['host']}:{_server['port']}"
workers = _server["workers"]
preload_app = True  # load the index snapshot once, before the workers fork
accesslog = "-"
timeout = 60
control_socket_disable = True  # several servers (tests, benchmarks) must not share ~/.gunicorn
