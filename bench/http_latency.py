"""Search latency through HTTP against the production server (gunicorn, two workers).

`.venv/bin/python bench/http_latency.py [--index DIR] [--clients 8] [--requests 400]`

Builds the index of corpus/ unless `--index` names one, starts gunicorn on a free loopback port
and sends, from `--clients` concurrent clients, a stream of distinct requests (`distinct_urls`:
words, phrases, word pairs, filters, pages, views, the API; no URL is sent twice, so no answer
comes from a cache). It prints the median, p95 and p99 per request kind, requests per second and
the error count, then the same for the fixed mix `MIX` sent over and over: that second table
measures the result cache and is labelled so.
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


WORDS = ["法治", "调解", "普法", "执法", "复议", "诉讼", "信访", "网格", "宪法", "培训", "监督", "公开",
         "决策", "规范", "审查", "纠纷", "矛盾", "律师", "公证", "援助", "社区", "农村", "企业", "学校",
         "干部", "党委", "政府", "改革", "服务", "安全", "生态", "环境", "食品", "交通", "消防", "应急",
         "疫情", "扫黑", "禁毒", "反诈", "民法典", "合同", "备案", "清理", "考核", "督察", "问责",
         "人大", "政协", "巡察", "审计", "统计", "财政", "税务", "市场", "营商", "许可", "处罚", "强制",
         "征收", "拆迁", "土地", "住房", "医疗", "教育", "就业", "养老", "退役", "妇女", "儿童"]  # fmt: skip
YEARS = ["2019", "2020", "2021", "2022", "2023", "2024", "2025"]
KINDS = ("word", "phrase", "two words", "word + year", "word + part", "page 5", "reports view",
         "api")  # fmt: skip


def distinct_urls(words: list[str] = WORDS) -> list[tuple[str, str]]:
    """(kind, URL) pairs, every URL different, kinds interleaved."""
    urls = []
    for i, word in enumerate(words):
        other = words[(i * 7 + 3) % len(words)]
        q = quote(word)
        urls += [
            ("word", f"/search?q={q}"),
            ("phrase", "/search?q=" + quote(f'"{word}{other}"')),
            ("two words", "/search?q=" + quote(f"{word} {other}")),
            ("word + year", f"/search?q={q}&year={YEARS[i % len(YEARS)]}"),
            ("word + part", f"/search?q={q}&section=" + quote("下一年度")),
            ("page 5", f"/search?q={q}&page=5"),
            ("reports view", f"/search?q={q}&view=reports"),
            ("api", f"/api/search?q={q}&sort=year"),
        ]
    assert len({url for _, url in urls}) == len(urls)
    return urls


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


def run(
    base: str, clients: int, requests: int, mix: list[tuple[str, str]] | None = None
) -> tuple[dict[str, list[float]], int, float]:
    """Clients walk the mix: with `mix` each URL once (shared queue), else `MIX` over and over."""
    repeated = mix is None
    mix = MIX if repeated else list(mix[:requests])
    samples: dict[str, list[float]] = {name: [] for name, _ in mix}
    errors = 0
    lock = threading.Lock()
    queue = iter(mix)

    def client(offset: int) -> None:
        nonlocal errors
        for i in range(requests // clients if repeated else len(mix)):
            if repeated:
                name, path = mix[(i + offset) % len(mix)]
            else:
                with lock:
                    name, path = next(queue, (None, None))
                if name is None:
                    return
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
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
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
        fetch(base + "/help")  # the workers are up; no search is warmed
        fresh = run(base, args.clients, args.requests, distinct_urls())
        for _, path in MIX:  # fill the result cache of every worker
            for _ in range(args.workers * 2):
                fetch(base + path)
        cached = run(base, args.clients, args.requests)
        memory = worker_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report("distinct queries, none sent twice", fresh, args)
    report("CACHE: the fixed mix sent over and over (measures the result cache)", cached, args)
    for line in memory:
        print(line)


def report(title: str, outcome: tuple, args) -> None:
    samples, errors, seconds = outcome
    total = sum(len(v) for v in samples.values())
    every = [v for values in samples.values() for v in values]
    print(f"\n{title}: {args.clients} client(s), {args.workers} gunicorn workers, {total} requests, "
          f"{total / seconds:.0f} req/s, errors: {errors}; all: median {statistics.median(every):.1f} "
          f"ms, p95 {percentile(every, 0.95):.1f} ms")  # fmt: skip
    print(f"{'request':<28} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in samples.items():
        print(f"{name:<28} {len(values):>4} {statistics.median(values):>10.1f} "
              f"{percentile(values, 0.95):>8.1f} {percentile(values, 0.99):>8.1f}")  # fmt: skip


def worker_memory(master: int) -> list[str]:
    """Each worker's memory from /proc/PID/smaps_rollup: private (own) and shared file pages."""
    lines = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            rollup = (stat.parent / "smaps_rollup").read_text()
        except OSError:
            continue
        kb = {
            k: int(v.split()[0]) for k, v in (row.split(":", 1) for row in rollup.splitlines()[1:])
        }
        private = (kb["Private_Dirty"] + kb["Private_Clean"]) / 1024
        lines.append(f"worker {stat.parent.name}: RSS {kb['Rss'] / 1024:.0f} MB, private "
                     f"{private:.0f} MB (anonymous {kb['Anonymous'] / 1024:.0f} MB), shared "
                     f"{(kb['Shared_Clean'] + kb['Shared_Dirty']) / 1024:.0f} MB")  # fmt: skip
    return lines


if __name__ == "__main__":
    main()
