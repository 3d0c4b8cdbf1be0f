"""Search latency through the library over the corpus copied N times.

`.venv/bin/python bench/search_latency.py [--copies 100] [--repeat 50] [--work DIR]`

Each query is run once to warm the per-generation snapshot and the phrase cache is cleared
before every timed run, so the figures are for a query the process has not seen before (the
cost a user pays for a new query); `--warm` keeps the cache and measures repeats instead.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.build import build  # noqa: E402
from indexer.corpus import corpus_files  # noqa: E402
from search.engine import Engine, SearchRequest  # noqa: E402

MIX = [
    ("rare phrase", SearchRequest.of(q='"一庭两所"')),
    ("common word", SearchRequest.of(q="法治")),
    (
        "three words + facets",
        SearchRequest.of(q="法治 调解 普法", region=("大足区",), year=("2023",)),
    ),
    ("one character", SearchRequest.of(q="镇")),
    ("page 50", SearchRequest.of(q="法治", page=50)),
    ("reports view", SearchRequest.of(q="调解", view="reports")),
]


def copied_corpus(work: Path, copies: int) -> Path:
    folder = work / f"corpus-x{copies}"
    if folder.is_dir():
        return folder
    folder.mkdir(parents=True)
    for path in corpus_files(ROOT / "corpus"):
        for i in range(copies):
            shutil.copyfile(path, folder / f"{path.stem}-c{i:04d}{path.suffix}")
    return folder


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(engine: Engine, request: SearchRequest, repeat: int, warm: bool) -> list[float]:
    engine.search(request)
    samples = []
    for _ in range(repeat):
        if not warm:
            engine.forget()
        started = time.perf_counter()
        engine.search(request)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "fazhi-bench")
    parser.add_argument("--warm", action="store_true", help="keep cached phrase matches")
    args = parser.parse_args()
    corpus = copied_corpus(args.work, args.copies)
    root = args.work / f"index-x{args.copies}"
    summary = build(corpus, root)
    print(f"corpus x{args.copies}: {summary.reports} reports, {summary.paragraphs} paragraphs")
    engine = Engine(root)
    started = time.perf_counter()
    engine.search(SearchRequest.of(q="法治"))
    print(
        f"first query (loads the generation's snapshot): {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    cache = "warm cache" if args.warm else "cold phrase cache"
    print(
        f"\n{'query':<24} {'hits':>7} {'median ms':>10} {'p95 ms':>8}   ({cache}, {args.repeat} runs)"
    )
    for name, request in MIX:
        samples = measure(engine, request, args.repeat, args.warm)
        total = engine.search(request).total
        print(
            f"{name:<24} {total:>7} {statistics.median(samples):>10.1f} "
            f"{percentile(samples, 0.95):>8.1f}"
        )


if __name__ == "__main__":
    main()
