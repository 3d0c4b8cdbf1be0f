"""CSV downloads, safe to open in a spreadsheet (no formula injection), UTF-8 with BOM for Excel.

Every export spells a region as one column per level, and every link in it carries the query, so
the report it opens marks the terms."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from urllib.parse import quote

from flask import Response, stream_with_context

from indexer.model import HEADING, TEXT, Region
from search.compare import Comparison
from search.figures import KIND_LABELS as FIGURE_KINDS
from search.figures import Figures
from search.results import SearchResult

from .viewmodels import paragraph_url

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
KIND_LABELS = {TEXT: "段落", HEADING: "标题"}
REGION_COLUMNS = {"province": "省", "city": "市", "county": "县/区", "town": "乡镇/街道"}
assert tuple(REGION_COLUMNS) == Region.LEVELS
REPORT_COLUMNS = ["报告编号", *REGION_COLUMNS.values(), "年份", "标题", "匹配段数", "链接"]
PARAGRAPH_COLUMNS = [
    "报告编号", "段落编号", "类型", "标题", *REGION_COLUMNS.values(), "年份", "部分", "标题路径",
    "精确匹配", "段落", "链接",
]  # fmt: skip
# What each export holds, as its file name says it: (Chinese, the ASCII fallback).
EXPORTS = {"search": ("检索结果", "search"), "compare": ("对比", "compare"),
           "figures": ("数字", "figures")}  # fmt: skip
MAX_NAME_QUERY = 40  # characters of the query in a file name
QUOTES = "\"'`“”‘’„‟«»「」『』＂＇"
NOT_IN_NAMES = re.compile(r"[/\\:*?<>|" + QUOTES + r"\s]+")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _lines(rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def name_part(q: str) -> str:
    """The query as a piece of a file name: no path separators, control characters, quotes or
    characters Windows refuses; spaces become `_`; Chinese kept; at most MAX_NAME_QUERY long."""
    kept = "".join(ch for ch in q if not unicodedata.category(ch).startswith(("C", "Zl", "Zp")))
    return NOT_IN_NAMES.sub("_", kept)[:MAX_NAME_QUERY].strip("_.")


def file_names(export: str, q: str, day: date) -> tuple[str, str]:
    """(the UTF-8 name, the ASCII fallback): e.g. 检索结果-调解-2026-12-01.csv, search-2026-12-01.csv
    (the fallback keeps the query only when it is ASCII already)."""
    chinese, ascii_name = EXPORTS[export]
    part = name_part(q)
    ascii_part = part if part.isascii() and re.fullmatch(r"[\w.-]*", part) else ""
    return (
        "-".join(filter(None, [chinese, part, day.isoformat()])) + ".csv",
        "-".join(filter(None, [ascii_name, ascii_part, day.isoformat()])) + ".csv",
    )


def csv_response(rows: Iterable[list], export: str, q: str) -> Response:
    name, fallback = file_names(export, q, date.today())
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        stream_with_context(_lines(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": disposition},
    )


def _region(region: Region) -> list:
    return [getattr(region, level) for level in REGION_COLUMNS]


def result_rows(result: SearchResult, base_url: str) -> Iterator[list]:
    """One row per report in the reports view, else one per paragraph; links are absolute under
    `base_url` when one is configured."""
    q = result.query.text
    if result.view == "reports":
        yield REPORT_COLUMNS
        for r in result.hits:
            yield [r.report_id, *_region(r.region), r.year, r.title, r.matches,
                   base_url + paragraph_url(r.report_id, q=q)]  # fmt: skip
    else:
        yield PARAGRAPH_COLUMNS
        for hit in result.hits:
            yield [
                hit.report_id, hit.paragraph_id, KIND_LABELS.get(hit.kind, "段落"), hit.title,
                *_region(hit.region), hit.year, hit.section, " › ".join(hit.section_path),
                "是" if hit.exact else "否", hit.text,
                base_url + paragraph_url(hit.report_id, hit.paragraph_id, q),
            ]  # fmt: skip
    if result.truncated:
        yield ["（导出不完整）", result.cap_message]


FIGURE_COLUMNS = [
    "报告编号", "段落编号", *REGION_COLUMNS.values(), "年份", "类型", "数值", "单位", "约数",
    "界限", "合并计数", "句子", "链接",
]  # fmt: skip
BOUND_LABELS = {"at_least": "下限（不少于）", "at_most": "上限（不超过）"}


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def figure_rows(found: Figures, base_url: str, q: str) -> Iterator[list]:
    """One row per figure of the chosen kind; a sentence without a value has an empty 数值."""
    yield FIGURE_COLUMNS
    for f in found.figures:
        value = "" if f.value is None or f.combined else _plain(f.value)
        yield [
            f.report_id, f.paragraph_id, *_region(f.region), f.year, FIGURE_KINDS[f.kind], value,
            f.unit if value else "", "是" if f.approx and value else "",
            BOUND_LABELS.get(f.bound, "") if value else "", "是" if f.combined else "",
            f.sentence, base_url + paragraph_url(f.report_id, f.paragraph_id, q),
        ]  # fmt: skip
    for message in found.messages:
        yield ["（说明）", message]


def comparison_rows(comparison: Comparison, base_url: str) -> Iterator[list]:
    """One row per report the filters admit, those that never mention the term included."""
    q = comparison.query.text
    yield REPORT_COLUMNS
    for row in comparison.rows:
        yield [row.report_id, *_region(row.region), row.year, row.title, row.count,
               base_url + paragraph_url(row.report_id, q=q)]  # fmt: skip
