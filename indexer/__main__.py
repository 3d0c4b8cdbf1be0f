"""Command line: `python -m indexer inspect PATH [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import ParseError
from .model import Report
from .parse import parse_file

SKIP_SUFFIXES = (".meta.toml", ".md")


def corpus_files(folder: Path) -> Iterator[Path]:
    """Report files below a folder, in a stable order; sidecars and hidden files excluded."""
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden and not path.name.endswith(SKIP_SUFFIXES):
            yield path


def _dump(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _summary_line(report: Report) -> str:
    region = " › ".join(v for v in report.region.as_dict().values() if v) or "地区未知"
    flags = f"  ⚠ {len(report.warnings)} 条提示" if report.warnings else ""
    return f"{report.report_id}  {region}  {report.year or '年份未知'}  {len(report.paragraphs)} 段{flags}"


def inspect_file(path: Path, as_json: bool) -> int:
    try:
        report = parse_file(path)
    except ParseError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if as_json:
        _dump(report.to_json())
    else:
        print(_summary_line(report))
        for warning in report.warnings:
            print(f"  ⚠ {warning}")
    return 0


def inspect_folder(folder: Path, as_json: bool) -> int:
    """Parse every file; a bad file is reported and never stops the others."""
    reports, failures = [], []
    started = time.perf_counter()
    for path in corpus_files(folder):
        try:
            reports.append(parse_file(path))
        except ParseError as exc:
            failures.append(exc)
    elapsed = time.perf_counter() - started
    if as_json:
        _dump(
            {
                "reports": [r.to_json() for r in reports],
                "failed": [{"file": str(e.path), "reason": e.reason} for e in failures],
            }
        )
    else:
        for report in reports:
            print(_summary_line(report))
        for exc in failures:
            print(f"✗ {exc}", file=sys.stderr)
        paragraphs = sum(len(r.paragraphs) for r in reports)
        print(
            f"共 {len(reports)} 份报告、{paragraphs} 段，{len(failures)} 个文件失败，"
            f"用时 {elapsed * 1000:.0f} 毫秒"
        )
    return 1 if failures and not reports else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m indexer", description="法治报告检索：解析与索引"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="解析一个报告文件（或文件夹）并显示结果")
    inspect.add_argument("path", type=Path)
    inspect.add_argument("--json", action="store_true", help="输出 JSON")
    args = parser.parse_args(argv)
    if args.path.is_dir():
        return inspect_folder(args.path, args.json)
    if not args.path.exists():
        print(f"错误：{args.path}：文件不存在", file=sys.stderr)
        return 2
    return inspect_file(args.path, args.json)


if __name__ == "__main__":
    sys.exit(main())
