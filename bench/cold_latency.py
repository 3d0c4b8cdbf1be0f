"""Cold library latency over an existing index, and a fingerprint of the answers.

`.venv/bin/python bench/cold_latency.py --index DIR [--repeat 15] [--dump answers.json]`

Every cached result of the generation is forgotten before each timed run, so each figure is
the cost of a query the process has not seen before. `--dump` writes every answer (totals,
facets, the pages' hits with their scores) so two versions of the code can be compared for
identical results with `--compare`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.engine import Engine, SearchRequest  # noqa: E402

MIX = [
    ("法治", SearchRequest.of(q="法治")),
    ("镇", SearchRequest.of(q="镇")),
    ("法治 调解 普法", SearchRequest.of(q="法治 调解 普法")),
    ("调解 OR 信访", SearchRequest.of(q="调解 OR 信访")),
    ("调解 -网格", SearchRequest.of(q="调解 -网格")),
    ("2023年", SearchRequest.of(q="2023年")),
    ("法治 region+year", SearchRequest.of(q="法治", region=("大足区",), year=("2023",))),
    ("法治 page 50", SearchRequest.of(q="法治", page=50)),
    ("法治 reports view", SearchRequest.of(q="法治", view="reports")),
    ("rare phrase", SearchRequest.of(q='"一庭两所"')),
]

# Extra answers only fingerprinted (other sorts, pages and views of the same queries).
EXTRA = [
    SearchRequest.of(q=q, sort=sort, page=page, view=view)
    for q in ("法治", "镇", "调解 OR 信访", "2023年", "依法 行政")
    for sort in ("relevance", "year", "region")
    for page in (1, 3, 200)
    for view in ("paragraphs", "reports")
]


def forget(engine: Engine) -> None:
    engine.forget()


def timed(engine: Engine, request: SearchRequest, repeat: int) -> list[float]:
    engine.search(request)
    samples = []
    for _ in range(repeat):
        forget(engine)
        started = time.perf_counter()
        engine.search(request)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def fingerprint(engine: Engine, request: SearchRequest) -> dict:
    forget(engine)
    found = engine.search(request)
    result = found.to_json()
    result.pop("generation", None)
    paragraphs = [p for h in found.hits for p in getattr(h, "paragraphs", [h])]
    result["scores"] = [repr(p.score) for p in paragraphs]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", type=Path, help="a dump to compare this run's answers with")
    args = parser.parse_args()
    engine = Engine(args.index)
    started = time.perf_counter()
    engine.search(SearchRequest.of(q="法治"))
    print(f"first query (loads the snapshot): {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"{'query':<20} {'hits':>7} {'median ms':>10} {'min ms':>8}   ({args.repeat} cold runs)")
    for name, request in MIX:
        samples = timed(engine, request, args.repeat)
        total = engine.search(request).total
        print(f"{name:<20} {total:>7} {statistics.median(samples):>10.1f} {min(samples):>8.1f}")
    if args.dump or args.compare:
        answers = [fingerprint(engine, r) for _, r in MIX] + [fingerprint(engine, r) for r in EXTRA]
        if args.dump:
            args.dump.write_text(json.dumps(answers, ensure_ascii=False, sort_keys=True))
        if args.compare:
            before = json.loads(args.compare.read_text())
            now = json.loads(json.dumps(answers, ensure_ascii=False, sort_keys=True))
            differ = [i for i, (a, b) in enumerate(zip(before, now, strict=True)) if a != b]
            print(f"answers compared: {len(now)}, different: {differ or 'none'}")


if __name__ == "__main__":
    main()
