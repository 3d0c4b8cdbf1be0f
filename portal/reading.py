"""A report laid out for reading: metadata, headings with a table of contents, anchored paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup

from indexer.model import HEADING
from search.figures import KIND_LABELS
from search.reports import ReportView

from .viewmodels import place

MAX_HEADING_LEVEL = 4


@dataclass
class Heading:
    level: int  # 1 = a part of the outline
    text: str
    anchor: str


@dataclass
class Block:
    heading: Heading | None = None  # a heading block; with an id when the heading is a unit
    id: str = ""
    html: Markup = Markup("")
    match: bool = False
    previous_match: str | None = None  # anchor of the previous matching paragraph
    next_match: str | None = None


@dataclass
class ReadingPage:
    report_id: str
    title: str
    place: str
    facts: list[tuple[str, str]]  # (label, value) for the metadata table
    toc: list[Heading]
    blocks: list[Block]
    matches: list[str]
    source_url: str | None
    json_url: str
    warnings: list[str] = field(default_factory=list)
    indicators: list[Fact] = field(default_factory=list)


@dataclass
class FactValue:
    text: str  # 40 人, 或 合并计数
    anchor: str  # the paragraph
    kind: str  # 成效, 计划, 不足, 其他
    sentence: str


@dataclass
class Fact:
    """A standard indicator as the report gives it: every value, each linked to its sentence."""

    label: str
    values: list[FactValue]


def indicator_facts(view: ReportView) -> list[Fact]:
    """The indicators with a value (or a combined count) in the report, in the registry's order."""
    facts = []
    for indicator, rows in view.indicators:
        values = [
            FactValue(f.label if f.shown else "合并计数", f.paragraph_id,
                      KIND_LABELS[f.kind], f.sentence)
            for f in rows if f.shown or f.combined
        ]  # fmt: skip
        if values:
            facts.append(Fact(indicator.label, values))
    return facts


def reading_view(view: ReportView, q: str) -> ReadingPage:
    blocks, toc = _blocks(view)
    _link_matches(blocks)
    meta, info = view.meta, view.info
    facts = [
        ("发文机关", info.issuer or "—"),
        ("地区", " › ".join(info.region_path) or "—"),
        ("年度", f"{info.year}年" if info.year else "—"),
        ("成文日期", meta.get("issued") or "—"),
        ("文号", meta.get("doc_number") or "—"),
        ("段落数", str(sum(p.kind != HEADING for p in view.paragraphs))),
        ("标题数", str(sum(p.kind == HEADING for p in view.paragraphs))),
    ]
    return ReadingPage(
        report_id=info.report_id,
        title=info.title or info.report_id,
        place=place(info.region_path, info.year),
        facts=facts,
        toc=toc,
        blocks=blocks,
        matches=view.matches if q else [],
        source_url=url_for("reports.source", report_id=info.report_id) if info.source else None,
        json_url=url_for("api.report", report_id=info.report_id),
        warnings=list(meta.get("warnings") or []),
        indicators=indicator_facts(view),
    )


def _blocks(view: ReportView) -> tuple[list[Block], list[Heading]]:
    """Headings (units of their own, anchored by their ids) and paragraphs in reading order.

    A path heading that is not a unit (an index written before headings were units) is shown
    once where its section starts, anchored `h<n>`.
    """
    blocks: list[Block] = []
    toc: list[Heading] = []
    shown: list[str] = []  # the headings above the current unit, as already shown
    for paragraph in view.paragraphs:
        path = paragraph.section_path
        own = paragraph.kind == HEADING and bool(path)
        above = path[:-1] if own else path
        for depth in range(_common_prefix(shown, above), len(above)):
            heading = Heading(_level(depth), above[depth], f"h{len(toc) + 1}")
            toc.append(heading)
            blocks.append(Block(heading=heading))
        shown = path
        block = Block(id=paragraph.id, html=Markup(paragraph.html), match=paragraph.match)
        if own:
            block.heading = Heading(_level(len(path) - 1), paragraph.text, paragraph.id)
            toc.append(block.heading)
        blocks.append(block)
    return blocks, toc


def _level(depth: int) -> int:
    return min(depth + 1, MAX_HEADING_LEVEL)


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _link_matches(blocks: list[Block]) -> None:
    matched = [b for b in blocks if b.match]
    for i, block in enumerate(matched):
        block.previous_match = matched[i - 1].id if i > 0 else None
        block.next_match = matched[i + 1].id if i + 1 < len(matched) else None
