"""Parse time per report and for the whole corpus: `.venv/bin/python bench/parse_speed.py [--repeat N]`."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.corpus import corpus_files  # noqa: E402
from indexer.parse import parse_file  # noqa: E402
from indexer.regions import resolve_region  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    resolve_region(["宝丰县赵庄镇人民政府"])  # loads the division table once
    print(
        f"division table load: {(time.perf_counter() - started) * 1000:.1f} ms (once per process)"
    )
    header = [
        "中共重庆市大足区万古镇委 重庆市大足区万古镇人民政府 关于2023年法治政府建设情况的报告"
    ]
    t0 = time.perf_counter()
    for _ in range(1000):
        resolve_region(header)
    print(f"region resolution: {time.perf_counter() - t0:.3f} ms per header (1000 runs)")
    files = list(corpus_files(args.corpus))
    print(f"{'report':<32} {'KB':>6} {'paragraphs':>10} {'median ms':>10} {'max ms':>8}")
    totals = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for path in files:
            parse_file(path)
        totals.append(time.perf_counter() - t0)
    for path in files:
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = parse_file(path)
            runs.append((time.perf_counter() - t0) * 1000)
        kb = path.stat().st_size / 1024
        print(
            f"{path.stem:<32} {kb:>6.1f} {len(report.paragraphs):>10} {statistics.median(runs):>10.2f} {max(runs):>8.2f}"
        )
    print(
        f"whole corpus ({len(files)} reports): median {statistics.median(totals) * 1000:.1f} ms, "
        f"{statistics.median(totals) * 1000 / max(len(files), 1):.2f} ms per report"
    )


if __name__ == "__main__":
    main()
