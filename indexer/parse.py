"""File → Report: the first stage of the data flow."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from . import frontmatter as fm
from .clean import clean_report, physical_lines
from .dates import body_year, title_year
from .errors import ParseError
from .formats import extract_text
from .headings import HeadingStack, opens_section, parse_heading
from .join import join_lines
from .model import HEADING, TEXT, Dropped, Paragraph, Region, Report
from .pagechrome import Page, strip_page
from .regions import RegionResult, level_of, resolve_region
from .sections import MEASURES, PREFACE, RESPONSIBLE, label_part, part_of_path
from .sidecar import apply_corrections, load_corrections
from .variants import simplified

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")
TOPIC = re.compile(r"法治|法制|依法行政|依法治")
DEPARTMENT = re.compile(r"(?:局|厅|署|司法所|中心|办公室)$")
YEAR_PARTS = (PREFACE, MEASURES, RESPONSIBLE)  # parts that speak of the covered year
LEVEL_NAMES = {"province": "省", "city": "地市", "county": "区县", "town": "乡镇（街道）"}
# The unit a preface names: `现将北京市石景山区人民政府2023年法治政府建设年度情况报告如下`.
PREFACE_UNIT = re.compile(
    r"现将((?:中共)?[\u4e00-\u9fff、]{2,40}?(?:人民政府|政府|办事处|党委|党工委|委员会))"
    r"(?:关于)?(?:\d{4}|[〇○零一二三四五六七八九]{4})年"
)


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
    lines, dropped = clean_report(text)
    if not lines:
        raise ParseError(source or report_id, "文件中没有可读的文字")
    page = strip_page(lines)
    front = fm.split_report(page.lines)
    paragraphs = build_paragraphs(join_lines(front.body))
    notes: list[tuple[str, str]] = []
    low: list[str] = []
    title = "\n".join(front.title) or page.meta.get("title")
    _check_topic(source or report_id, title or "", paragraphs)
    if title is None:
        notes.append(("title", "未找到报告标题"))
    year = _year(title, paragraphs, notes, low)
    issuers = fm.issuers(front)
    region, meta_fits = _region(front, issuers, page, paragraphs, notes, low)
    if not issuers and meta_fits:
        issuers = fm.split_orgs(page.meta.get("issuer", ""))
    report = Report(
        report_id=report_id,
        title=title,
        issuers=issuers,
        region=region,
        year=year,
        issued=fm.issued(front, page.meta),
        doc_number=fm.doc_number(front, page.meta),
        level=_level(issuers, region),
        paragraphs=paragraphs,
        source=source,
    )
    report.notes = notes
    report.low_confidence = low
    report.dropped = _in_source_order(dropped + page.dropped + fm.furniture(front), text)
    return report


def _in_source_order(dropped: list[Dropped], text: str) -> list[Dropped]:
    """Dropped lines sorted by where they stand in the extracted text."""
    lines = physical_lines(text)
    used: set[int] = set()

    def position(item: Dropped) -> int:
        for i, line in enumerate(lines):
            if i not in used and (line == item.line or line.startswith(item.line)):
                used.add(i)
                return i
        return len(lines)

    keyed = [(position(item), n, item) for n, item in enumerate(dropped)]
    return [item for _, _, item in sorted(keyed, key=lambda k: (k[0], k[1]))]


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
            _add(units, heading.printed or heading.text, HEADING, stack.path(), None)
            if not heading.run_in:
                continue
            line = heading.rest
        label = label_part(line) or label
        _add(units, line, TEXT, stack.path(), label)
    return units


def _add(units: list[Paragraph], text: str, kind: str, path: list[str], label: str | None) -> None:
    section = label or part_of_path(path) or (MEASURES if path else PREFACE)
    units.append(Paragraph(f"p{len(units) + 1}", text, section, path, kind))


def _check_topic(name: str, title: str, paragraphs: list[Paragraph]) -> None:
    if not paragraphs:
        raise ParseError(name, "找不到正文段落")
    mentions = sum(len(TOPIC.findall(p.text)) for p in paragraphs)
    if not TOPIC.search(simplified(title)) and mentions < 2:
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
    page: Page,
    paragraphs: list[Paragraph],
    notes: list[tuple[str, str]],
    low: list[str],
) -> tuple[Region, bool]:
    """Title and issuer first; the metadata block, then the preface, only fill levels they leave.

    Also says whether the metadata block's issuer agrees with the title (may be the issuer).
    """
    header = [*front.title, *[line for line in front.header if not fm.DOC_NUMBER.search(line)]]
    header += [line for line in front.closing if fm.ORG_LINE.match(line.replace(" ", ""))]
    header += issuers
    header = [simplified(line) for line in header]
    body = "\n".join(p.text for p in paragraphs)
    result = resolve_region(header, body)
    meta = _meta_units(page)
    meta_fits = bool(meta) and _fits(result, resolve_region(header + meta, body))
    extra_low: list[str] = []
    for label, texts in (
        ("网页元数据中的发布机构", meta),
        ("正文开头", _preface_units(paragraphs)),
    ):
        if not texts or _complete(result.region):
            continue
        added = _added_levels(result, candidate := resolve_region(header + texts, body))
        if added:
            result = _merged(result, candidate, added)
            names = "、".join(LEVEL_NAMES[level] for level in added)
            result.warnings.append(f"标题未写明的{names}层级据{label}补充")
            if label == "正文开头":
                extra_low += added
    notes.extend(("region", w) for w in result.warnings)
    low.extend(f"region.{level}" for level in [*result.low_confidence, *extra_low])
    return result.region, meta_fits


def _meta_units(page: Page) -> list[str]:
    return [simplified(page.meta["issuer"])] if page.meta.get("issuer") else []


def _preface_units(paragraphs: list[Paragraph]) -> list[str]:
    found = [PREFACE_UNIT.search(simplified(p.text)) for p in paragraphs[:3]]
    return [m.group(1) for m in found if m]


def _complete(region: Region) -> bool:
    return all(getattr(region, level) for level in Region.LEVELS)


def _fits(base: RegionResult, candidate: RegionResult) -> bool:
    """The candidate agrees with every level known and names no unit below the deepest one."""
    if set(candidate.warnings) - set(base.warnings):
        return False
    old, new = base.region.as_dict(), candidate.region.as_dict()
    if not any(old.values()):
        return True
    if any(old[level] and old[level] != new[level] for level in Region.LEVELS):
        return False
    deepest = max(i for i, level in enumerate(Region.LEVELS) if old[level])
    return not any(new[level] for level in Region.LEVELS[deepest + 1 :])


def _added_levels(base: RegionResult, candidate: RegionResult) -> list[str]:
    """Levels the candidate fills above the deepest level already known, without conflict.

    The title names the report's own unit: a lower-trust source may name its parents
    (the county of a town), never a deeper unit (a city under a provincial title).
    """
    if set(candidate.warnings) - set(base.warnings):
        return []
    old, new = base.region.as_dict(), candidate.region.as_dict()
    if any(old[level] and old[level] != new[level] for level in Region.LEVELS):
        return []
    filled = [i for i, level in enumerate(Region.LEVELS) if old[level]]
    deepest = filled[-1] if filled else len(Region.LEVELS)
    return [
        level
        for i, level in enumerate(Region.LEVELS)
        if not old[level] and new[level] and i < deepest
    ]


def _merged(base: RegionResult, candidate: RegionResult, added: list[str]) -> RegionResult:
    values = base.region.as_dict()
    values.update({level: getattr(candidate.region, level) for level in added})
    low = [
        level
        for level in candidate.low_confidence
        if level in added or level in base.low_confidence
    ]
    return RegionResult(Region(**values), list(candidate.warnings), low)


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
