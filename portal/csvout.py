"""CSV downloads, safe to open in a spreadsheet (no formula injection), UTF-8 with BOM for Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from flask import Response, stream_with_context

from indexer.model import HEADING, TEXT
from search.compare import Comparison
from search.results import SearchResult

from .viewmodels import paragraph_url

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
KIND_LABELS = {TEXT: "段落", HEADING: "标题"}


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


def csv_response(rows: Iterable[list], filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        stream_with_context(_lines(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": disposition},
    )


def hit_rows(result: SearchResult, base_url: str) -> Iterator[list]:
    """One row per hit; links are absolute under `base_url` when one is configured."""
    yield [
        "报告编号",
        "段落编号",
        "类型",
        "标题",
        "省",
        "市",
        "区县",
        "乡镇街道",
        "年份",
        "部分",
        "标题路径",
        "精确匹配",
        "段落",
        "链接",
    ]
    for hit in result.hits:
        region = hit.region.as_dict()
        yield [
            hit.report_id, hit.paragraph_id, KIND_LABELS.get(hit.kind, "段落"), hit.title,
            region["province"], region["city"],
            region["county"], region["town"], hit.year, hit.section, " › ".join(hit.section_path),
            "是" if hit.exact else "否", hit.text,
            base_url + paragraph_url(hit.report_id, hit.paragraph_id),
        ]  # fmt: skip
    if result.truncated:
        yield ["（导出不完整）", result.cap_message]


def comparison_rows(comparison: Comparison) -> Iterator[list]:
    yield ["地区", "年份", "报告编号", "标题", "命中段数"]
    for row in comparison.rows:
        yield [" › ".join(row.region_path), row.year, row.report_id, row.title, row.count]
