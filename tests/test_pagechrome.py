"""Reports saved from government sites: chrome out, page facts in (tests/fixtures/front/).

Each fixture has a hand-written expected JSON: exact metadata, the paragraphs' texts and
the furniture lines that must be listed in `dropped`. The body-line check derives the
lines from the raw file with its own splitting, independently of the parser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexer.formats import REGISTRY, SUFFIXES
from indexer.model import TEXT
from indexer.parse import parse_file, parse_text

FRONT = Path(__file__).parent / "fixtures" / "front"
FIXTURES = sorted(p for p in FRONT.iterdir() if p.suffix in (".txt", ".html"))
FIELDS = ("title", "issuer", "year", "issued", "doc_number")
# Numbered headings standing alone on their line (written here, not taken from the parser).
HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])[^。；]{1,40}$"
)


def expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def texts(report) -> list[str]:
    return [p.text for p in report.paragraphs if getattr(p, "kind", TEXT) == TEXT]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_metadata_is_exact(path: Path) -> None:
    report, want = parse_file(path), expected(path)
    for name in FIELDS:
        assert getattr(report, name) == want[name], name
    assert report.region.as_dict() == want["region"]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_paragraphs_are_exact(path: Path) -> None:
    report, want = parse_file(path), expected(path)
    assert texts(report) == want["paragraphs"]
    headings = [p.text for p in report.paragraphs if p.kind != TEXT]
    assert all(h in headings for h in want.get("run_in_headings", []))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_furniture_is_listed_and_never_a_paragraph(path: Path) -> None:
    report, want = parse_file(path), expected(path)
    dropped = [d.line for d in report.dropped]
    paragraphs = texts(report)
    body = "\n".join(paragraphs)
    for line in want["furniture"]:
        assert line in dropped or any(line.startswith(d) for d in dropped), line
        assert not any(p == line or p.startswith(line) for p in paragraphs), line
    for word in want.get("absent", []):
        assert word not in body and word not in (report.title or ""), word
    assert all(d.reason and re.search(r"[\u4e00-\u9fff]", d.reason) for d in report.dropped)


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.suffix == ".txt"], ids=lambda p: p.stem)
def test_every_raw_line_is_body_heading_or_dropped(path: Path) -> None:
    report = parse_file(path)
    raw = [line.strip(" \t\u3000") for line in path.read_text(encoding="utf-8").splitlines()]
    # A run-in heading and the rest of its line are two units, one after the other.
    body = "".join(p.text for p in report.paragraphs)
    dropped = [d.line for d in report.dropped]
    for line in filter(None, raw):
        found = line in body or HEADING.match(line) or line in dropped
        glued = any(line.startswith(d) and line[len(d) :].strip() in body for d in dropped)
        assert found or glued, line


def test_glued_source_line_is_cut_off_the_first_paragraph() -> None:
    report = parse_text(
        "某某区人民政府关于2025年法治政府建设情况的报告\n"
        "来源:区司法局 发布时间:2026-02-09 15:17 2025年，我区全面推进依法行政，法治政府建设取得新进展。\n",
        "t",
    )
    assert texts(report) == ["2025年，我区全面推进依法行政，法治政府建设取得新进展。"]
    assert ("来源:区司法局 发布时间:2026-02-09 15:17", "元数据") in [
        (d.line, d.reason) for d in report.dropped
    ]


def test_body_lines_that_mention_chrome_words_stay() -> None:
    body = [
        "（一）关闭违规企业",
        "全年关闭违规小作坊12家，依法收藏证据材料并分享执法经验。",
        "（二）加强技术支持",
        "依托信息化手段打印执法文书，提升执法效率。",
    ]
    report = parse_text("某某县人民政府2024年法治政府建设情况报告\n" + "\n".join(body), "t")
    assert texts(report) == [body[1], body[3]]
    assert not report.dropped or all(d.line not in body for d in report.dropped)


def test_a_format_is_one_module_and_one_registration() -> None:
    for name, module in REGISTRY.items():
        assert name == module.NAME and callable(module.extract) and module.EMPTY_REASON
        assert all(SUFFIXES[suffix] == name for suffix in module.SUFFIXES)
    assert {SUFFIXES[s] for s in (".txt", ".docx", ".pdf", ".html", ".htm", ".shtml")} == {
        "txt",
        "docx",
        "pdf",
        "html",
    }
