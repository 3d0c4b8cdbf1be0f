"""Command line: `python -m indexer inspect PATH [--json]`, `python -m indexer build [--corpus] [--index] [--rebuild] [--wait S]`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from .build import build, terminal_progress
from .corpus import corpus_files
from .errors import ParseError
from .location import ENV_VAR
from .lock import BuildBusy
from .model import Report
from .parse import parse_file


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


BUSY = 3  # exit status when another build holds the lock


def run_build(corpus: Path, index: Path | None, rebuild: bool, wait: float = 0.0) -> int:
    if not corpus.is_dir():
        print(f"错误：报告文件夹 {corpus} 不存在", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        summary = build(corpus, index, rebuild=rebuild, progress=terminal_progress, wait=wait)
    except BuildBusy as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return BUSY
    if summary.repaired:
        print(f"⚠ 原有索引不可用（{summary.repaired}），已完整重建", file=sys.stderr)
    for source, reason in summary.failed:
        print(f"✗ {source}：{reason}", file=sys.stderr)
    for source, original in summary.duplicates:
        print(f"✗ {source}：与 {original} 正文相同，只索引一次", file=sys.stderr)
    print(
        f"索引 {summary.index_dir}：{summary.reports} 份报告、{summary.paragraphs} 段；"
        f"本次新增 {summary.added}、更新 {summary.updated}、删除 {summary.removed}、未变 {summary.unchanged}、"
        f"失败 {len(summary.failed)}；用时 {summary.seconds:.1f} 秒，索引 {summary.index_bytes / 1e6:.1f} MB"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m indexer", description="法治报告检索：解析与索引"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="解析一个报告文件（或文件夹）并显示结果")
    inspect.add_argument("path", type=Path)
    inspect.add_argument("--json", action="store_true", help="输出 JSON")
    build = commands.add_parser("build", help="建立或更新索引（默认增量）")
    build.add_argument(
        "--corpus", type=Path, default=Path("corpus"), help="报告文件夹（默认 corpus/）"
    )
    build.add_argument(
        "--index", type=Path, default=None, help=f"索引位置（默认 ${ENV_VAR} 或 var/index）"
    )
    build.add_argument("--rebuild", action="store_true", help="在旁边完整重建，完成后原子切换")
    build.add_argument(
        "--wait", type=float, default=0.0, metavar="秒",
        help="另一个构建正在进行时最多等待的秒数（默认不等，立即退出，状态码 3）",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.command == "build":
        return run_build(args.corpus, args.index, args.rebuild, args.wait)
    if args.path.is_dir():
        return inspect_folder(args.path, args.json)
    if not args.path.exists():
        print(f"错误：{args.path}：文件不存在", file=sys.stderr)
        return 2
    return inspect_file(args.path, args.json)


if __name__ == "__main__":
    sys.exit(main())
