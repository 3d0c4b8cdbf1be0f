"""The production server, as `make run` starts it, on a free loopback port: for page and load tests."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60
ACCESS = re.compile(r"^\S+ <(\d+)> \"(\w+) (\S+) [^\"]*\" (\d{3}) ")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn() -> str:
    here = Path(sys.executable).parent / "gunicorn"  # the venv running pytest
    return str(here if here.exists() else ROOT / ".venv" / "bin" / "gunicorn")


class Server:
    """`gunicorn -c python:portal.gunicorn_conf 'app:create_app()'` with FAZHI_* settings."""

    def __init__(self, index_root: Path, log_path: Path, workers: int = 2, **settings: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            "FAZHI_HOST": "127.0.0.1",
            "FAZHI_PORT": str(self.port),
            "FAZHI_INDEX": str(index_root),
            "FAZHI_WORKERS": str(workers),
            "FAZHI_SECRET_KEY": "tests",  # keeps config from writing var/secret_key
            "GUNICORN_CMD_ARGS": "--no-control-socket",
            **settings,
        }
        self.env.pop("FAZHI_ENV", None)
        self.proc: subprocess.Popen | None = None

    def start(self, wait_path: str = "/help") -> Server:
        command = [gunicorn(), "-c", "python:portal.gunicorn_conf", "app:create_app()"]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base + wait_path, timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer in {STARTUP_SECONDS}s:\n{self.log()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def access(self) -> list[tuple[int, str, str, int]]:
        """(worker pid, method, path, status) of every request in the access log."""
        found = []
        for line in self.log().splitlines():
            if match := ACCESS.match(line):
                found.append((int(match[1]), match[2], match[3], int(match[4])))
        return found

    def workers(self) -> set[int]:
        """Pids of the live worker processes (children of the master)."""
        children = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                children.add(int(stat.parent.name))
        return children

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
