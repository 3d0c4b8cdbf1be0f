"""What the preview shows of a parsed report: the metadata with its uncertain fields flagged, the
outline, the first paragraphs, the warnings and the dropped lines (the `inspect --json` data)."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.model import HEADING, TEXT, Report

from .divisions import label

FIRST_PARAGRAPHS = 5
FIELDS = (("title", "标题"), ("region", "地区"), ("year", "年度"), ("issued", "成文日期"),
          ("doc_number", "文号"), ("issuer", "发布机关"))  # fmt: skip


@dataclass
class Field:
    name: str
    label: str
    value: str
    uncertain: bool  # inferred with low confidence, or a warning names it, or it is missing
    corrected: bool = False


@dataclass
class Preview:
    fields: list[Field]
    outline: list[tuple[int, str]]  # (depth, heading)
    first: list[str]
    warnings: list[str]
    dropped: list[tuple[str, str]]  # (line, why)
    paragraphs: int = 0
    uncertain: set[str] = field(default_factory=set)


def _value(report: Report, name: str) -> str:
    if name == "region":
        place = label(report.region)
        town = report.region.town
        return " › ".join(p for p in (place, town) if p)
    value = getattr(report, name)
    return "" if value is None else str(value)


def preview_of(report: Report) -> Preview:
    warned = {name for name, _ in report.notes}
    low = {name.split(".")[0] for name in report.low_confidence}
    fixed = {name.split(".")[0] for name in report.corrected}
    fields = []
    for name, title in FIELDS:
        value = _value(report, name)
        doubtful = name in warned | low or (not value and name in ("title", "region", "year"))
        fields.append(Field(name, title, value, doubtful, name in fixed))
    outline = [(len(p.section_path), p.text) for p in report.paragraphs if p.kind == HEADING]
    first = [p.text for p in report.paragraphs if p.kind == TEXT][:FIRST_PARAGRAPHS]
    return Preview(
        fields, outline, first, report.warnings, [(d.line, d.reason) for d in report.dropped],
        len(report.paragraphs), {f.name for f in fields if f.uncertain},
    )  # fmt: skip
