"""Search latency through HTTP against the production server (gunicorn, two workers).

`.venv/bin/python bench/http_latency.py [--index DIR] [--clients 1] [--requests 200]`

Builds the index of corpus/ unless `--index` names one, starts gunicorn on a free loopback port,
sends a fixed mix of page and API requests from `--clients` concurrent clients, and prints the
median, p95 and p99 per request kind, requests per second and the error count.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.build import build  # noqa: E402

MIX = [
    ("results: rare phrase", "/search?q=" + quote('"一庭两所"')),
    ("results: common word", "/search?q=" + quote("法治")),
    (
        "results: 3 words + facets",
        "/search?q=" + quote("法治 调解 普法") + "&region=" + quote("大足区") + "&year=2023",
    ),
    ("results: one character", "/search?q=" + quote("镇")),
    ("results: page 50", "/search?q=" + quote("法治") + "&page=50"),
    ("results: reports view", "/search?q=" + quote("调解") + "&view=reports"),
    ("api: common word", "/api/search?q=" + quote("法治")),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "FAZHI_INDEX": str(index), "FAZHI_PORT": str(port), "FAZHI_HOST": "127.0.0.1",
           "FAZHI_WORKERS": str(workers)}  # fmt: skip
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "python:portal.gunicorn_conf", "--access-logfile",
         "/dev/null", "app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("服务器没有在 120 秒内启动")


def fetch(url: str) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            ok = response.status == 200
    except (urllib.error.URLError, OSError):
        ok = False
    return (time.perf_counter() - started) * 1000, ok


def run(base: str, clients: int, requests: int) -> tuple[dict[str, list[float]], int, float]:
    """Each client walks the mix in turn; returns samples per kind, errors, seconds."""
    samples: dict[str, list[float]] = {name: [] for name, _ in MIX}
    errors = 0
    lock = threading.Lock()

    def client(offset: int) -> None:
        nonlocal errors
        for i in range(requests // clients):
            name, path = MIX[(i + offset) % len(MIX)]
            ms, ok = fetch(base + path)
            with lock:
                samples[name].append(ms)
                errors += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples, errors, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--requests", type=int, default=350)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    index = args.index
    if index is None:
        index = Path(tempfile.mkdtemp(prefix="fazhi-http-")) / "index"
        build(ROOT / "corpus", index)
    port = free_port()
    server = start_server(index, port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        for _, path in MIX:  # warm every worker's searcher and caches
            for _ in range(args.workers * 2):
                fetch(base + path)
        samples, errors, seconds = run(base, args.clients, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in samples.values())
    print(f"{args.clients} client(s), {args.workers} gunicorn workers, {total} requests, "
          f"{total / seconds:.0f} req/s, errors: {errors}")  # fmt: skip
    print(f"{'request':<28} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in samples.items():
        print(f"{name:<28} {len(values):>4} {statistics.median(values):>10.1f} "
              f"{percentile(values, 0.95):>8.1f} {percentile(values, 0.99):>8.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
