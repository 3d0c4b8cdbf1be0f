"""`python -m portal.admin.runner`: one index build for the admin pages, its state in a file.

The web process never builds in its own memory: a build is this subprocess, holding the index's
build lock (indexer/lock.py), so a confirm waits for a running build and a killed build leaves
only what indexer/build.py already cleans up (an unsealed generation; `current` unchanged).
While it runs, the state file says how far it got; at the end it holds the build's summary.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from indexer.build import Summary, build
from indexer.lock import BuildBusy

from .files import write_atomic

STEP = 0.5  # seconds between two progress writes


def write_state(path: Path | None, state: dict) -> None:
    if path is not None:
        write_atomic(path, json.dumps(state, ensure_ascii=False).encode())


def summary_state(summary: Summary) -> dict:
    return {
        "reports": summary.reports, "added": summary.added, "updated": summary.updated,
        "removed": summary.removed, "unchanged": summary.unchanged, "seconds": summary.seconds,
        "failed": summary.failed, "duplicates": summary.duplicates, "repaired": summary.repaired,
    }  # fmt: skip


def progress_writer(path: Path | None, base: dict):
    """A build progress factory that keeps `done/total` in the state file."""

    def factory(total: int):
        def counted(items: Iterator) -> Iterator:
            last = 0.0
            write_state(path, base | {"total": total, "done": 0})
            for done, item in enumerate(items, start=1):
                if time.monotonic() - last > STEP or done == total:
                    write_state(path, base | {"total": total, "done": done})
                    last = time.monotonic()
                yield item

        return counted

    return factory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.admin.runner")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--state", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--wait", type=float, default=600.0)
    args = parser.parse_args(argv)
    base = {"status": "running", "pid": os.getpid(), "rebuild": args.rebuild,
            "started": time.time()}  # fmt: skip
    write_state(args.state, base | {"done": 0, "total": None})
    try:
        summary = build(args.corpus, args.index, rebuild=args.rebuild, wait=args.wait,
                        progress=progress_writer(args.state, base))  # fmt: skip
    except BuildBusy as exc:
        final = base | {"status": "failed", "message": str(exc)}
    except Exception as exc:  # reported on the admin page, never a silent stop
        final = base | {"status": "failed", "message": f"{type(exc).__name__}: {exc}"}
    else:
        final = base | {"status": "done", "summary": summary_state(summary)}
    final["finished"] = time.time()
    write_state(args.state, final)
    json.dump(final, sys.stdout, ensure_ascii=False)
    return 0 if final["status"] == "done" else 1


if __name__ == "__main__":
    sys.exit(main())
