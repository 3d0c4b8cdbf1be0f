"""File → Report: the first stage of the data flow."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from . import frontmatter as fm
from .clean import clean_lines
from .dates import body_year, title_year
from .errors import ParseError
from .formats import extract_text
from .headings import HeadingStack, opens_section, parse_heading
from .join import join_lines
from .model import HEADING, TEXT, Paragraph, Region, Report
from .regions import level_of, resolve_region
from .sections import MEASURES, PREFACE, RESPONSIBLE, label_part, part_of_path
from .sidecar import apply_corrections, load_corrections

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")
TOPIC = re.compile(r"法治|法制|依法行政|依法治")
DEPARTMENT = re.compile(r"(?:局|厅|署|司法所|中心|办公室)$")
YEAR_PARTS = (PREFACE, MEASURES, RESPONSIBLE)  # parts that speak of the covered year


def report_id_for(path: Path) -> str:
    """Stable and URL-safe: the file name's stem, or a hash of it when it is not ASCII."""
    stem = path.stem
    if SAFE_ID.match(stem):
        return stem
    return "r-" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:12]


def parse_file(path: Path | str) -> Report:
    """Parse a report file of any supported format, with curator corrections applied."""
    path = Path(path)
    if not path.is_file():
        raise ParseError(path, "文件不存在或不是普通文件")
    corrections = load_corrections(path)
    text, fmt = extract_text(path)
    report = parse_text(text, report_id_for(path), source=path.name)
    report.format = fmt
    report.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    _correct(report, corrections)
    return report


def parse_text(text: str, report_id: str, source: str = "") -> Report:
    """Parse report text (already decoded) into a Report."""
    lines = clean_lines(text)
    if not lines:
        raise ParseError(source or report_id, "文件中没有可读的文字")
    front = fm.split_report(lines)
    paragraphs = build_paragraphs(join_lines(front.body))
    _check_topic(source or report_id, front, paragraphs)
    notes: list[tuple[str, str]] = []
    low: list[str] = []
    title = "\n".join(front.title) or None
    if title is None:
        notes.append(("title", "未找到报告标题"))
    year = _year(title, paragraphs, notes, low)
    issuers = fm.issuers(front)
    region = _region(front, issuers, paragraphs, notes, low)
    report = Report(
        report_id=report_id,
        title=title,
        issuers=issuers,
        region=region,
        year=year,
        issued=fm.issued(front),
        doc_number=fm.doc_number(front),
        level=_level(issuers, region),
        paragraphs=paragraphs,
        source=source,
    )
    report.notes = notes
    report.low_confidence = low
    return report


def build_paragraphs(lines: Iterable[str]) -> list[Paragraph]:
    """The body's searchable units in reading order: headings (kind=heading) and text paragraphs.

    A heading is a unit of its own whose path ends with itself; a run-in heading gives a heading
    unit and a text unit for the rest of its line. A numbered line that ends like a sentence is
    body text unless body text or a deeper item follows it (`opens_section`).
    """
    lines = list(lines)
    stack = HeadingStack()
    label: str | None = None
    units: list[Paragraph] = []
    for i, line in enumerate(lines):
        heading = parse_heading(line)
        following = lines[i + 1] if i + 1 < len(lines) else None
        if heading and heading.sentence and not opens_section(heading, following):
            stack.make_room(heading)  # a list item: text under the list's own heading
            heading = None
        if heading:
            stack.push(heading)
            label = None
            _add(units, heading.text, HEADING, stack.path(), None)
            if not heading.run_in:
                continue
            line = heading.rest
        label = label_part(line) or label
        _add(units, line, TEXT, stack.path(), label)
    return units


def _add(units: list[Paragraph], text: str, kind: str, path: list[str], label: str | None) -> None:
    section = label or part_of_path(path) or (MEASURES if path else PREFACE)
    units.append(Paragraph(f"p{len(units) + 1}", text, section, path, kind))


def _check_topic(name: str, front: fm.FrontMatter, paragraphs: list[Paragraph]) -> None:
    if not paragraphs:
        raise ParseError(name, "找不到正文段落")
    mentions = sum(len(TOPIC.findall(p.text)) for p in paragraphs)
    if not TOPIC.search("".join(front.title)) and mentions < 2:
        raise ParseError(
            name, "内容不像法治政府建设情况报告：标题和正文都没有提到“法治”或“依法行政”"
        )


def _year(
    title: str | None, paragraphs: list[Paragraph], notes: list[tuple[str, str]], low: list[str]
) -> int | None:
    year = title_year(title) if title else None
    if year is not None:
        return year
    year = body_year(p.text for p in paragraphs if p.section in YEAR_PARTS)
    if year is None:
        notes.append(("year", "标题和正文都无法确定报告所属年份"))
    else:
        notes.append(("year", f"标题未写明年份，根据正文推断为 {year} 年"))
        low.append("year")
    return year


def _region(
    front: fm.FrontMatter,
    issuers: list[str],
    paragraphs: list[Paragraph],
    notes: list[tuple[str, str]],
    low: list[str],
) -> Region:
    header = [*front.title, *[line for line in front.header if not fm.DOC_NUMBER.search(line)]]
    header += [line for line in front.closing if fm.ORG_LINE.match(line.replace(" ", ""))]
    header += issuers
    result = resolve_region(header, "\n".join(p.text for p in paragraphs))
    notes.extend(("region", w) for w in result.warnings)
    low.extend(f"region.{level}" for level in result.low_confidence)
    return result.region


def _level(issuers: list[str], region: Region) -> str | None:
    if issuers and all(DEPARTMENT.search(org) for org in issuers):
        return "department"
    return level_of(region)


def _correct(report: Report, corrections: dict) -> None:
    """Apply sidecar corrections and withdraw the warnings they answer."""
    if not corrections:
        return
    fixed = apply_corrections(report, corrections)
    topics = {name.split(".")[0] for name in fixed}
    report.notes = [(f, m) for f, m in report.notes if f not in topics]
    report.low_confidence = [f for f in report.low_confidence if f not in fixed]
    report.corrected = fixed
