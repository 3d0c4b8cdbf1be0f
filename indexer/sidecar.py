"""Curator corrections kept next to a report as `NAME.meta.toml`; they win over extraction."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import ParseError
from .model import Region, Report

SCALARS = {"report_id": str, "title": str, "doc_number": str, "level": str, "year": int}
LEVELS = ("town", "county", "city", "province", "department")
REPORT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


def sidecar_path(path: Path) -> Path:
    return path.with_name(sidecar_name(path.name))


def sidecar_name(name: str) -> str:
    """`a.docx` → `a.meta.toml` (the name without its last suffix, as `Path.stem` has it)."""
    dot = name.rfind(".")
    return f"{name[:dot] if 0 < dot < len(name) - 1 else name}.meta.toml"


def load_corrections(path: Path) -> dict[str, Any]:
    """The corrections for a report file; empty when it has no sidecar."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        data = tomllib.loads(side.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(path, f"更正文件 {side.name} 格式有误：{exc}") from exc
    problems = [p for key, value in data.items() for p in _check(key, value)]
    if problems:
        raise ParseError(path, f"更正文件 {side.name} 有误：" + "；".join(problems))
    return data


def _check(key: str, value: Any) -> list[str]:
    if key in SCALARS:
        if not isinstance(value, SCALARS[key]) or isinstance(value, bool):
            return [f"“{key}”的值类型不对"]
        if key == "report_id" and not REPORT_ID.match(value):
            return ["“report_id”只能包含英文字母、数字、点、下划线和连字符"]
        if key == "level" and value not in LEVELS:
            return [f"“level”只能是 {'、'.join(LEVELS)} 之一"]
        return []
    if key == "issued":
        return [] if _as_date(value) else ["“issued”应为日期，如 2024-01-10"]
    if key in ("issuer", "issuers"):
        ok = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
        return [] if ok else [f"“{key}”应为文字或文字列表"]
    if key == "region":
        if not isinstance(value, dict) or set(value) - set(Region.LEVELS):
            return ["“region”只能包含 province、city、county、town"]
        return [f"“region.{k}”应为文字" for k, v in value.items() if not isinstance(v, str)]
    return [f"不认识的字段“{key}”（可用：{'、'.join(_known_fields())}）"]


def _known_fields() -> list[str]:
    return [*SCALARS, "issued", "issuer", "region"]


def _as_date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def apply_corrections(report: Report, data: dict[str, Any]) -> list[str]:
    """Apply corrections in place; return the names of corrected fields (region levels as `region.city`)."""
    corrected: list[str] = []
    for key, value in data.items():
        if key in SCALARS:
            setattr(report, key, value)
            corrected.append(key)
        elif key == "issued":
            report.issued = _as_date(value)
            corrected.append(key)
        elif key in ("issuer", "issuers"):
            report.issuers = [value] if isinstance(value, str) else list(value)
            corrected.append("issuer")
        elif key == "region":
            for level, name in value.items():
                setattr(report.region, level, name or None)
                corrected.append(f"region.{level}")
    return corrected


def dump_corrections(data: dict[str, Any], comment: str = "") -> str:
    """Corrections as sidecar TOML that `load_corrections` reads back unchanged.

    A JSON string is a valid TOML basic string (the same escapes), so values are written so.
    """
    lines = [f"# {line}" for line in comment.splitlines()]
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    for key, value in data.items():
        if key not in tables:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables.items():
        lines += ["", f"[{key}]", *(f"{k} = {_toml_value(v)}" for k, v in table.items())]
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str, list)):
        raise TypeError(f"cannot write {value!r} to a sidecar")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)
