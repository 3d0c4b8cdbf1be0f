"""Province-scale benchmark: this project against three alternatives, at several corpus sizes.

`make bench`, or `.venv/bin/python bench/run.py [--sizes 500,5000,20000] [--repeat 30]`

For each size it generates the synthetic corpus (bench/synth.py), then, for each system in its own
process (so memory figures are its own): a full build, an incremental update after changing 1% of
the reports (and, for ours, one report), the search mix with facet counts, and the matching sets
for recall and precision against the scan. Ours is also measured through HTTP against gunicorn with
8 concurrent clients. Tables are printed and written to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import http_latency  # noqa: E402
import synth  # noqa: E402
from systems import SYSTEMS, Item, folder_bytes  # noqa: E402

ORDER = ["ours", "whoosh-jieba", "fts5-trigram", "scan"]


def mix(size: int) -> list[Item]:
    rare = synth.rare_phrase(size)
    return [
        Item("rare phrase", (rare,), phrase=True),
        Item("common word 法治", ("法治",)),
        Item("three words", ("法治", "调解", "普法")),
        Item("one character 镇", ("镇",)),
        Item("page 50 of 法治", ("法治",), page=50),
        Item("reports view 调解", ("调解",), view="reports"),
    ]


# --- one system, one size, in its own process ---------------------------------------------------


def peak_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_kb, children_kb) / 1024


def touch(paths: list[Path]) -> dict[Path, bytes]:
    """Change some reports the way a re-published report changes; returns the originals."""
    originals = {p: p.read_bytes() for p in paths}
    for p in paths:
        p.write_text(
            p.read_text(encoding="utf-8").replace("法治", "法治（修订）", 1), encoding="utf-8"
        )
    return originals


def worker(args) -> None:
    system = SYSTEMS[args.system]()
    corpus, folder = Path(args.corpus), Path(args.folder)
    shutil.rmtree(folder, ignore_errors=True)
    out: dict = {"system": args.system}
    started = time.perf_counter()
    system.build(corpus, folder)
    out["build_s"] = time.perf_counter() - started
    out["build_peak_mb"] = peak_mb()
    out["index_mb"] = folder_bytes(folder) / 1e6 if folder.exists() else 0.0
    files = sorted(p for p in corpus.glob("*.txt"))
    changed = files[:: max(1, len(files) // max(1, len(files) // 100))][: max(1, len(files) // 100)]
    originals = touch(changed)
    started = time.perf_counter()
    system.update(corpus, folder, changed)
    out["update_1pct_s"] = time.perf_counter() - started
    for path, data in originals.items():
        path.write_bytes(data)
    system.update(corpus, folder, changed)  # back to the generated corpus
    one = touch(files[-1:])
    started = time.perf_counter()
    system.update(corpus, folder, files[-1:])
    out["update_one_s"] = time.perf_counter() - started
    for path, data in one.items():
        path.write_bytes(data)
    system.update(corpus, folder, files[-1:])
    started = time.perf_counter()
    system.open(folder)
    out["open_s"] = time.perf_counter() - started
    out["queries"] = {}
    for item in mix(args.size):
        system.run(item)  # warm-up: file caches, lazy loading
        samples = []
        for _ in range(args.repeat):
            system.clear_cache()
            t0 = time.perf_counter()
            answer = system.run(item)
            samples.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        system.run(item)
        repeated = (time.perf_counter() - t0) * 1000
        out["queries"][item.name] = {"ms": samples, "repeated_ms": repeated, "total": answer.total}
        if item.page == 1 and item.view == "paragraphs":
            out["queries"][item.name]["matches"] = sorted(system.matches(item))
    out["search_peak_mb"] = peak_mb()
    Path(args.result).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


# --- the orchestrator ---------------------------------------------------------------------------


def pct(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_system(name: str, size: int, corpus: Path, work: Path, repeat: int, timeout: int) -> dict:
    result = work / f"result-{name}-{size}.json"
    result.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--worker", "--system", name, "--corpus", str(corpus),
               "--folder", str(work / f"index-{name}-{size}"), "--size", str(size),
               "--repeat", str(repeat), "--result", str(result)]  # fmt: skip
    print(f"  {name} …", flush=True)
    try:
        subprocess.run(command, check=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"system": name, "timeout": timeout}
    return json.loads(result.read_text(encoding="utf-8"))


def http_run(size: int, work: Path, clients: int, requests: int) -> dict:
    """Ours through gunicorn (two workers): distinct queries first, then the cached mix."""
    index = work / f"index-ours-{size}"
    http_latency.MIX = [(item.name, _url(item)) for item in mix(size)]
    port = http_latency.free_port()
    server = http_latency.start_server(index, port, 2)
    try:
        base = f"http://127.0.0.1:{port}"
        samples, errors, seconds = http_latency.run(
            base, clients, requests, http_latency.distinct_urls()
        )
        for _, path in http_latency.MIX:
            for _ in range(4):
                http_latency.fetch(base + path)
        cache = http_latency.run(base, clients, requests)
        memory = http_latency.worker_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {"samples": samples, "errors": errors, "seconds": seconds, "cache": cache,
            "worker_memory": memory}  # fmt: skip


def _url(item: Item) -> str:
    url = "/search?q=" + quote(item.query)
    if item.page != 1:
        url += f"&page={item.page}"
    if item.view != "paragraphs":
        url += f"&view={item.view}"
    return url


def accuracy(results: dict[str, dict], item: str) -> dict[str, tuple[float, float]]:
    truth = set(results["scan"]["queries"][item].get("matches", []))
    out = {}
    for name, data in results.items():
        if "queries" not in data or "matches" not in data["queries"][item]:
            continue
        found = set(data["queries"][item]["matches"])
        recall = len(found & truth) / len(truth) if truth else 1.0
        precision = len(found & truth) / len(found) if found else (1.0 if not truth else 0.0)
        out[name] = (recall, precision)
    return out


# --- the report ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal")) / 1024 / 1024  # fmt: skip
    import os

    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM; Linux {platform.release()}; "
            f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}")  # fmt: skip


def tables(
    size: int, results: dict[str, dict], http: dict | None, paragraphs: int, mb: float
) -> list[str]:
    lines = [f"## {size:,} reports ({paragraphs:,} paragraphs, {mb:.0f} MB of text)", ""]
    lines += ["### Build", "",
              "| system | full build s | MB/s | index MB | peak RSS MB | update 1% s | update 1 report s |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for name in ORDER:
        r = results.get(name)
        if r is None:
            continue
        if "timeout" in r:
            lines.append(f"| {name} | > {r['timeout']} (stopped) | | | | | |")
            continue
        lines.append(
            f"| {name} | {r['build_s']:.1f} | {mb / r['build_s']:.2f} | {r['index_mb']:.0f} | "
            f"{r['build_peak_mb']:.0f} | {r['update_1pct_s']:.2f} | {r['update_one_s']:.2f} |"
        )
    names = [n for n in ORDER if n in results and "queries" in results[n]]
    items = [i.name for i in mix(size)]
    lines += ["", "### Search with facet counts, in the library (ms: median / p95 / p99; × = p95 relative to ours)", "",
              "| query | hits | " + " | ".join(names) + " |", "| --- | ---: |" + " ---: |" * len(names)]  # fmt: skip
    for item in items:
        ours = pct(results["ours"]["queries"][item]["ms"], 0.95) if "ours" in names else None
        cells = []
        for name in names:
            ms = results[name]["queries"][item]["ms"]
            ratio = f" ({pct(ms, 0.95) / ours:.1f}×)" if ours and name != "ours" else ""
            cells.append(
                f"{statistics.median(ms):.1f} / {pct(ms, 0.95):.1f} / {pct(ms, 0.99):.1f}{ratio}"
            )
        total = results[names[-1]]["queries"][item]["total"] if names else 0
        lines.append(f"| {item} | {total:,} | " + " | ".join(cells) + " |")
    lines += ["", "A repeated identical query (ours, result cache warm): " + ", ".join(
        f"{item} {results['ours']['queries'][item]['repeated_ms']:.1f} ms" for item in items) + "."]  # fmt: skip
    lines += ["", "### Recall / precision against the scan's exact answer", "",
              "| query | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]  # fmt: skip
    for item in items:
        acc = accuracy(results, item) if "scan" in results and "queries" in results["scan"] else {}
        if not acc:
            continue
        lines.append(f"| {item} | " + " | ".join(
            "{:.3f} / {:.3f}".format(*acc[n]) if n in acc else "—" for n in names) + " |")  # fmt: skip
    if http:
        lines += http_table(http)
    return lines + [""]


def http_table(http: dict) -> list[str]:
    lines = _http_lines("distinct queries, no URL sent twice", http["samples"], http["errors"],
                        http["seconds"])  # fmt: skip
    lines += _http_lines("CACHE: six URLs sent over and over (the result cache)", *http["cache"])
    return lines + ["", "Worker memory after the run (/proc/PID/smaps_rollup): "
                    + "; ".join(http["worker_memory"])]  # fmt: skip


def _http_lines(title: str, samples: dict, errors: int, seconds: float) -> list[str]:
    total = sum(len(v) for v in samples.values())
    lines = ["", f"### HTTP, {title}: gunicorn, 2 workers, 8 concurrent clients on loopback "
             f"({total} requests, {total / seconds:.0f} req/s, {errors} errors)", "",
             "| request | median ms | p95 ms | p99 ms |", "| --- | ---: | ---: | ---: |"]  # fmt: skip
    for name, values in samples.items():
        lines.append(
            f"| {name} | {statistics.median(values):.1f} | {pct(values, 0.95):.1f} | {pct(values, 0.99):.1f} |"
        )
    return lines


def growth(all_results: dict[int, dict[str, dict]]) -> list[str]:
    sizes = sorted(all_results)
    lines = ["## Growth (p95 ms of each query; build seconds)", "",
             "| system | measure | " + " | ".join(f"{s:,}" for s in sizes) + " |",
             "| --- | --- |" + " ---: |" * len(sizes)]  # fmt: skip
    for name in ORDER:
        row = ["full build s"]
        for s in sizes:
            r = all_results[s].get(name, {})
            row.append(f"{r['build_s']:.0f}" if "build_s" in r else "—")
        lines.append(f"| {name} | " + " | ".join(row) + " |")
        for item in mix(sizes[0]):
            cells = []
            for s in sizes:
                q = all_results[s].get(name, {}).get("queries", {})
                key = next((k for k in q if k.split()[0:2] == item.name.split()[0:2]), None)
                cells.append(f"{pct(q[key]['ms'], 0.95):.1f}" if key else "—")
            lines.append(
                f"| {name} | {item.name.split(' 法治')[0].split(' 调解')[0].split(' 镇')[0]} | "
                + " | ".join(cells)
                + " |"
            )
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--system")
    parser.add_argument("--corpus")
    parser.add_argument("--folder")
    parser.add_argument("--result")
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--systems", default=",".join(ORDER))
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--http-requests", type=int, default=480)
    parser.add_argument(
        "--timeout", type=int, default=3600, help="seconds one system may take per size"
    )
    parser.add_argument(
        "--http-only", action="store_true", help="only the HTTP run, on built indexes"
    )
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.http_only:
        for size in [int(s) for s in args.sizes.split(",")]:
            http = http_run(size, args.work, args.clients, args.http_requests)
            print("\n".join(http_table(http)))
        return
    started = datetime.datetime.now()
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    all_results: dict[int, dict[str, dict]] = {}
    report = ["# Benchmarks", "",
              f"Run on {started:%Y-%m-%d %H:%M}, on {machine()}.", "",
              f"Command: `{command.strip()}` (what `make bench` runs). Corpora are synthetic (bench/synth.py): "
              "the real corpus's paragraphs recombined under invented towns of real counties, 2019–2025, "
              "never part of corpus/. Every system starts from the same files and the same parser; "
              "each runs in its own process. Search figures are for a query not seen before "
              "(ours clears its phrase cache before every run) and include facet counts for region, "
              "year and section and a page of 20 hits.", ""]  # fmt: skip
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"size {size}", flush=True)
        corpus = args.work / f"synthetic-{size}"
        if not (corpus / "README.md").exists():
            synth.generate(size, corpus)
        text_mb = sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6
        results = {name: run_system(name, size, corpus, args.work, args.repeat, args.timeout)
                   for name in args.systems.split(",")}  # fmt: skip
        http = (
            http_run(size, args.work, args.clients, args.http_requests)
            if "ours" in results
            else None
        )
        count = _paragraph_count(args.work, size)
        all_results[size] = results
        block = tables(size, results, http, count, text_mb)
        print("\n".join(block), flush=True)
        report += block
        _write(args.out, report + growth(all_results), started)  # a long run keeps what it has
    print(f"written to {args.out}")


def _write(out: Path, report: list[str], started: datetime.datetime) -> None:
    minutes = (datetime.datetime.now() - started).total_seconds() / 60
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "\n".join(report + [f"Total run time: {minutes:.0f} min."]) + "\n", encoding="utf-8"
    )


def _paragraph_count(work: Path, size: int) -> int:
    from indexer.location import open_current

    with open_current(work / f"index-ours-{size}").searcher() as searcher:
        return sum(doc["position"] for doc in searcher.documents(kind="report"))


if __name__ == "__main__":
    main()
