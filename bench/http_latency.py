"""Search latency through HTTP against the production server (gunicorn, two workers).

`.venv/bin/python bench/http_latency.py [--index DIR] [--clients 8] [--requests 400]`

Builds the index of corpus/ unless `--index` names one, starts gunicorn on a free loopback port
and sends, from `--clients` concurrent clients, a stream of distinct requests (`distinct_urls`:
words, phrases, word pairs, OR, exclusions, filters, pages, views, the API; no URL is sent twice
and no word looked up twice, so no answer comes from a cache). It prints the median, p95 and p99
per request kind, requests per second and the error count, then the same for the fixed mix `MIX`
sent over and over: that second table measures the result cache and is labelled so.

Also here: the time from launching gunicorn to its first search answer (`launch`), the time a
replacement worker takes to answer after one is killed (`replacement`), and each worker's memory
(`worker_memory`).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
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
KINDS = ("word", "phrase", "two words", "A OR B", "A -B", "word + year", "word + region",
         "word + part", "page 5", "reports view", "api", "town phrase")  # fmt: skip
_CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def corpus_words(limit: int = 1000) -> list[str]:
    """WORDS, then the real corpus's jieba words of 2–4 Chinese characters, most frequent first."""
    import jieba
    from synth import pools

    counts = Counter(word for texts in pools().values() for text in texts
                     for word in jieba.cut(text) if _CHINESE_WORD.fullmatch(word))  # fmt: skip
    ranked = sorted(counts, key=lambda word: (-counts[word], word))
    return list(dict.fromkeys(WORDS + ranked))[:limit]


def distinct_urls(
    words: list[str] = WORDS, towns: list[str] = (), regions: list[str] = ("重庆市",)
) -> list[tuple[str, str]]:
    """(kind, URL) pairs, kinds interleaved. No URL is sent twice, and every URL looks up words
    no earlier one looked up, so neither a result cache nor a phrase cache can answer it."""
    fresh, towns = iter(words), iter(towns)
    urls = []
    for i in itertools.count():
        w = list(itertools.islice(fresh, 14))
        if len(w) < 14:
            break
        q = [quote(word) for word in w]
        urls += [
            ("word", f"/search?q={q[0]}"),
            ("phrase", "/search?q=" + quote(f'"{w[1]}"')),
            ("two words", "/search?q=" + quote(f"{w[2]} {w[3]}")),
            ("A OR B", "/search?q=" + quote(f"{w[4]} OR {w[5]}")),
            ("A -B", "/search?q=" + quote(f"{w[6]} -{w[7]}")),
            ("word + year", f"/search?q={q[8]}&year={YEARS[i % len(YEARS)]}"),
            ("word + region", f"/search?q={q[9]}&region=" + quote(regions[i % len(regions)])),
            ("word + part", f"/search?q={q[10]}&section=" + quote("下一年度")),
            ("page 5", f"/search?q={q[11]}&page=5"),
            ("reports view", f"/search?q={q[12]}&view=reports"),
            ("api", f"/api/search?q={q[13]}&sort=year"),
        ]
        town = next(towns, None)
        if town:
            urls.append(("town phrase", "/search?q=" + quote(f'"{town}"')))
    assert len({url for _, url in urls}) == len(urls)
    return urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PROBE = "/search?q=" + quote("法治")


def launch(
    index: Path, port: int, workers: int, access_log: Path | None = None
) -> tuple[subprocess.Popen, float]:
    """Start gunicorn; returns it and the seconds from the launch to its first search answer."""
    env = {**os.environ, "FAZHI_INDEX": str(index), "FAZHI_PORT": str(port), "FAZHI_HOST": "127.0.0.1",
           "FAZHI_WORKERS": str(workers)}  # fmt: skip
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "python:portal.gunicorn_conf", "--access-logfile",
         str(access_log or "/dev/null"), "app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    while time.perf_counter() - started < 600 and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{PROBE}", timeout=60) as answer:
                answer.read()
                return server, time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    stop(server)
    raise SystemExit("服务器没有在 600 秒内答出第一个检索")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def children(master: int) -> list[int]:
    """The master's child processes (its workers), oldest first."""
    try:
        pids = [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        pids = [int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat")
                if _stat(stat.parent.name, 1) == master]  # fmt: skip
    return sorted(pids, key=lambda pid: _stat(pid, 19))


def _stat(pid: int | str, field: int) -> int:
    """A numeric field of /proc/PID/stat counted after the command (1: ppid, 19: start time)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[field])
    except (OSError, IndexError, ValueError):
        return -1


def replacement(base: str, master: int, access_log: Path, burst: int = 4) -> dict:
    """SIGKILL the oldest worker; watch the master's children until it forks the replacement;
    then send bursts of `burst` concurrent requests, each URL unique (`probe=N`), until the access
    log (which names each answering worker's pid) shows one answered by the new worker. Times:
    kill → fork, and fork → that request's answer received."""
    before = set(children(master))
    victim = children(master)[0]
    killed = time.perf_counter()
    os.kill(victim, signal.SIGKILL)
    while not (new := set(children(master)) - before - {victim}):
        if time.perf_counter() - killed > 60:
            raise SystemExit("gunicorn 没有在 60 秒内补上被杀掉的 worker")
        time.sleep(0.002)
    forked, pid = time.perf_counter(), new.pop()
    answered: dict[int, float] = {}  # probe number → when its answer was received
    sent = itertools.count()

    def probe() -> None:
        n = next(sent)
        if fetch(f"{base}{PROBE}&probe={n}")[1]:
            answered[n] = time.perf_counter()

    while time.perf_counter() - forked < 60:
        threads = [threading.Thread(target=probe) for _ in range(burst)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        mine = [answered[n] for n in _probes_of(access_log, pid) if n in answered]
        if mine:
            return {"victim": victim, "new": pid, "kill_to_fork_s": forked - killed,
                    "fork_to_answer_s": min(mine) - forked, "probes": next(sent)}  # fmt: skip
    raise SystemExit("新 worker 60 秒内没有答出检索")


def _probes_of(access_log: Path, pid: int) -> list[int]:
    text = access_log.read_text(encoding="utf-8", errors="replace")
    return [int(n) for n in re.findall(rf'<{pid}> "GET [^"]*[?&]probe=(\d+)', text)]


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
    server, first = launch(index, port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        fresh = run(base, args.clients, args.requests, distinct_urls(corpus_words()))
        for _, path in MIX:  # fill the result cache of every worker
            for _ in range(args.workers * 2):
                fetch(base + path)
        cached = run(base, args.clients, args.requests)
        memory = worker_memory(server.pid)
    finally:
        stop(server)
    print(f"first search answer {first:.2f} s after the launch")
    report("distinct queries, none sent twice", fresh, args)
    report("CACHE: the fixed mix sent over and over (measures the result cache)", cached, args)
    for m in memory:
        print(f"worker {m['pid']}: RSS {m['rss']:.0f} MB, private {m['private']:.0f} MB (anonymous "
              f"{m['anonymous']:.0f} MB), shared file-backed {m['shared_file']:.0f} MB, shared "
              f"anonymous {m['shared_anon']:.0f} MB")  # fmt: skip


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


def worker_memory(master: int) -> list[dict]:
    """Each worker's memory in MB, oldest worker first (see `memory`)."""
    return [memory(pid) for pid in children(master)]


def memory(pid: int) -> dict:
    """From /proc/PID/smaps_rollup: RSS, private (Private_Clean + Private_Dirty) and anonymous
    pages; from /proc/PID/smaps: shared pages of file mappings (the index files, libraries) and
    of anonymous ones (copy-on-write pages still shared with the master since the fork)."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    kb = {k: int(v.split()[0]) for k, v in (row.split(":", 1) for row in rollup.splitlines()[1:])}
    shared_file, file_backed = 0, False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if not head[0].endswith(":"):  # a mapping: address perms offset device inode [path]
            file_backed = len(head) >= 5 and head[4] != "0"
        elif file_backed and head[0] in ("Shared_Clean:", "Shared_Dirty:"):
            shared_file += int(head[1])
    shared = kb["Shared_Clean"] + kb["Shared_Dirty"]
    mb = {"rss": kb["Rss"], "private": kb["Private_Clean"] + kb["Private_Dirty"],
          "anonymous": kb["Anonymous"], "shared_file": shared_file,
          "shared_anon": shared - shared_file}  # fmt: skip
    return {"pid": pid, **{k: v / 1024 for k, v in mb.items()}}


if __name__ == "__main__":
    main()
