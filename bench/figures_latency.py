"""Figures latency through the library over a synthetic corpus (bench/synth.py), and what
reading the standard indicators costs a build.

`.venv/bin/python bench/figures_latency.py [--reports 2000] [--repeat 20] [--work DIR]`

The engine's cache is cleared before every timed run, so each figure is for a query the process
has not seen before (a term's figures are read from its matching paragraphs at query time; an
indicator's were read at build time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import synth  # noqa: E402
from bench.search_latency import percentile  # noqa: E402
from indexer import indicators  # noqa: E402
from indexer.build import build  # noqa: E402
from search.engine import Engine, SearchRequest  # noqa: E402

MIX = [
    ("term 法律明白人", SearchRequest.of(q="法律明白人")),
    ("term 调解 (common)", SearchRequest.of(q="调解", kind="all")),
    ("term + region", SearchRequest.of(q="行政复议案件", region=("大足区",))),
    ("indicator 法律明白人", SearchRequest.of(indicator="法律明白人")),
    ("indicator 矛盾纠纷调解", SearchRequest.of(indicator="矛盾纠纷调解", kind="all")),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "fazhi-bench")
    args = parser.parse_args()
    corpus = args.work / f"synthetic-{args.reports}"
    if not corpus.is_dir():
        synth.generate(args.reports, corpus)
    root = args.work / f"index-{args.reports}"
    started = time.perf_counter()
    summary = build(corpus, root)
    seconds = time.perf_counter() - started
    print(f"{summary.reports} reports, {summary.paragraphs} paragraphs: build {seconds:.1f} s")
    engine = Engine(root)
    engine.figures(SearchRequest.of(q="法治"))  # the snapshot and the indicator table
    with engine.session() as session:
        snap = session.snapshot
        rows = snap.paragraphs[~snap.is_heading[snap.paragraphs]][:20_000]
        texts = [snap.shown(row).text for row in rows.tolist()]
    started = time.perf_counter()
    for text in texts:
        indicators.in_unit(text)
    per_k = (time.perf_counter() - started) * 1000 / len(texts) * 1000
    print(f"reading the indicators (in the parsing processes): {per_k:.1f} ms per 1,000 text units")
    print(
        f"\n{'request':<26} {'figures':>8} {'median ms':>10} {'p95 ms':>8}   ({args.repeat} runs)"
    )
    for name, request in MIX:
        samples = []
        for _ in range(args.repeat):
            engine.forget()
            started = time.perf_counter()
            found = engine.figures(request)
            samples.append((time.perf_counter() - started) * 1000)
        print(f"{name:<26} {len(found.figures):>8} {statistics.median(samples):>10.1f} "
              f"{percentile(samples, 0.95):>8.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
