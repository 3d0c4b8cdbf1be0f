"""A report laid out for reading: metadata, headings with a table of contents, anchored paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup

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
    heading: Heading | None = None
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
        ("段落数", str(len(view.paragraphs))),
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
    )


def _blocks(view: ReportView) -> tuple[list[Block], list[Heading]]:
    blocks: list[Block] = []
    toc: list[Heading] = []
    previous: list[str] = []
    for paragraph in view.paragraphs:
        path = paragraph.section_path
        same = _common_prefix(previous, path)
        for depth in range(same, len(path)):
            level = min(depth + 1, MAX_HEADING_LEVEL)
            if paragraph.text.startswith(path[depth]):
                # a heading that runs into its text is shown once, as the paragraph
                toc.append(Heading(level, path[depth], paragraph.id))
                continue
            heading = Heading(level, path[depth], f"h{len(toc) + 1}")
            toc.append(heading)
            blocks.append(Block(heading=heading))
        previous = path
        blocks.append(Block(id=paragraph.id, html=Markup(paragraph.html), match=paragraph.match))
    return blocks, toc


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
