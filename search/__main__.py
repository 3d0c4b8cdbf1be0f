"""Command line: `python -m search QUERY [--index DIR] [--region R] [--year Y] [--section S]
[--view paragraphs|reports] [--sort relevance|year|region] [--page N] [--all] [--compare]
[--figures [--indicator NAME] [--kind KIND]] [--json]`."""

from __future__ import annotations

import argparse
import json
import re
import sys

from indexer.location import ENV_VAR
from indexer.model import HEADING

from .engine import Engine
from .errors import BadRequest, IndexMissing
from .request import PER_PAGE, SearchRequest
from .results import SearchResult

TAG = re.compile(r"</?mark>")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m search", description="检索法治政府建设情况报告"
    )
    parser.add_argument(
        "query", nargs="?", default="", help='检索式，如 法律明白人、"八五普法"、调解 -网格'
    )
    parser.add_argument("--index", help=f"索引目录（默认 ${ENV_VAR} 或 var/index）")
    parser.add_argument("--region", action="append", default=[], help="地区，任一级，可重复")
    parser.add_argument("--year", action="append", default=[], help="年份，如 2023 或 2021-2023")
    parser.add_argument(
        "--section", action="append", default=[], help="报告部分，如 存在的不足和原因"
    )
    parser.add_argument("--view", default="paragraphs", help="paragraphs（默认）或 reports")
    parser.add_argument("--sort", default="relevance", help="relevance（默认）、year 或 region")
    parser.add_argument(
        "--scope",
        default="paragraph",
        help="paragraph（同段，默认）、sentence（同句）或 heading（仅标题）",
    )
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--per-page", type=int, default=PER_PAGE)
    parser.add_argument("--all", action="store_true", help="返回全部结果，不分页")
    parser.add_argument("--compare", action="store_true", help="每份报告的命中段数（含零）")
    parser.add_argument("--related", action="store_true", help="同时给出相关词")
    parser.add_argument("--figures", action="store_true", help="报告为检索词给出的数字")
    parser.add_argument("--indicator", default="", help="标准指标，如 法律明白人（配合 --figures）")
    parser.add_argument(
        "--kind", default="", help="achieved（成效，默认）、planned、problem、other 或 all"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    request = SearchRequest.of(
        args.query, region=tuple(args.region), year=tuple(args.year),
        section=tuple(args.section), view=args.view, sort=args.sort, scope=args.scope,
        page=args.page,
        per_page=args.per_page, all=args.all, related=args.related,
        indicator=args.indicator, kind=args.kind,
    )  # fmt: skip
    engine = Engine(args.index)
    try:
        if args.figures or args.indicator:
            outcome = engine.figures(request)
        else:
            outcome = engine.compare(request) if args.compare else engine.search(request)
    except (BadRequest, IndexMissing) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2 if isinstance(exc, BadRequest) else 1
    if args.json:
        json.dump(outcome.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.figures or args.indicator:
        _print_figures(outcome)
    elif args.compare:
        for row in outcome.rows:
            print(f"{row.count:5d}  {' › '.join(row.region_path) or '地区未知'}  {row.year or ''}")
    else:
        _print_result(outcome)
    return 0


def _print_figures(found) -> None:
    for message in found.messages:
        print(f"提示：{message}")
    for f in found.figures:
        place = " › ".join(f.region_path) or "地区未知"
        value = "合并计数" if f.combined else "无数值" if f.value is None else f.label
        print(f"{f.report_id}#{f.paragraph_id}  {place}  {f.year or ''}  [{f.kind}]  {value}")
        print(f"  {f.sentence}")


def _print_result(result: SearchResult) -> None:
    for message in result.messages:
        print(f"提示：{message}")
    print(
        f"共 {result.total} 段，涉及 {result.reports} 份报告（第 {result.page}/{result.pages} 页）"
    )
    if result.suggestions:
        offered = "、".join(f"{s.q}（{s.total} 段）" for s in result.suggestions)
        print(f"您是不是要找：{offered}")
    if result.related:
        shown = "、".join(f"{r.word}（{r.total} 段）" for r in result.related)
        print(f"相关词：{shown}")
    for hit in result.hits:
        paragraphs = getattr(hit, "paragraphs", [hit])
        for item in paragraphs:
            place = " › ".join(item.region_path) or "地区未知"
            mark = ("  [标题]" if item.kind == HEADING else "") + ("  [精确]" if item.exact else "")
            print(f"\n{item.report_id}#{item.paragraph_id}  {place}  {item.year or ''}{mark}")
            print(f"  {TAG.sub('', item.snippet)}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head`
        sys.exit(0)
