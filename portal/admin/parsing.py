"""Parsing an uploaded or corpus file for a page, in a subprocess: a large PDF takes the parser
many seconds of CPU, which must not stall the gevent worker's other requests (nor trip its
timeout). `python -m portal.admin.parsing PATH` prints the parse as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from indexer.errors import ParseError
from indexer.location import ROOT
from indexer.model import Report

PARSE_SECONDS = 300  # then the file is refused as too slow to read


def parse_isolated(path: Path) -> Report:
    """The file's Report, parsed in a subprocess; raises ParseError with the Chinese reason."""
    command = [sys.executable, "-m", "portal.admin.parsing", str(path)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=PARSE_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise ParseError(path, f"解析超过 {PARSE_SECONDS} 秒仍未完成，文件可能过于复杂") from exc
    try:
        answer = json.loads(done.stdout)
    except ValueError as exc:
        raise ParseError(path, f"解析程序异常退出（{done.returncode}）") from exc
    if "error" in answer:
        raise ParseError(path, answer["error"])
    return Report.from_json(answer["report"], answer["notes"])


def main(argv: list[str] | None = None) -> int:
    from indexer.parse import parse_file

    path = Path((argv or sys.argv[1:])[0])
    try:
        report = parse_file(path)
        answer = {"report": report.to_json(), "notes": report.notes}
    except ParseError as exc:
        answer = {"error": exc.reason}
    except Exception as exc:  # a parser bug is said, never a traceback on the page
        answer = {"error": f"解析时出现内部错误：{type(exc).__name__}"}
    json.dump(answer, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
