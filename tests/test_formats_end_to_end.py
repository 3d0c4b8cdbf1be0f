"""The same report as docx, hard-wrapped PDF and saved web page parses to the same structured report."""

from __future__ import annotations

import re

import docx
import pytest

from indexer.parse import parse_file
from tests.conftest import CORPUS
from tests.test_formats import government_page, write_pdf

SEEDS = ["cq-dazu-wangu-2023", "cq-nanan-guangyang-2023", "cq-dazu-tongqiao-2023"]


def squash(text: str | None) -> str | None:
    return re.sub(r"\s+", "", text) if text else text


def shape(report, normalise):
    return {
        "title": normalise(report.title),
        "issuer": report.issuer,
        "region": report.region.as_dict(),
        "year": report.year,
        "issued": report.issued,
        "doc_number": report.doc_number,
        "paragraphs": [
            (p.id, p.section, [normalise(h) for h in p.section_path], normalise(p.text))
            for p in report.paragraphs
        ],
    }


@pytest.fixture(params=SEEDS)
def seed(request):
    path = CORPUS / f"{request.param}.txt"
    return path, parse_file(path)


def test_docx(tmp_path, seed):
    path, expected = seed
    document = docx.Document()
    for line in path.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    target = tmp_path / f"{path.stem}.docx"
    document.save(target)
    report = parse_file(target)
    assert report.format == "docx"
    assert shape(report, str) == shape(expected, str)


def test_hard_wrapped_pdf_with_page_numbers(tmp_path, seed):
    path, expected = seed
    target = tmp_path / f"{path.stem}.pdf"
    text = path.read_text(encoding="utf-8").replace("[bookmark: _GoBack]", "")  # a Word artefact
    # reportlab's STSong-Light cannot carry U+00B7 (it vanishes); U+30FB reads back as U+00B7.
    text = text.replace("\u00b7", "\u30fb")
    write_pdf(target, [line for line in text.splitlines() if line.strip()])
    report = parse_file(target)
    assert report.format == "pdf"
    got, want = shape(report, squash), shape(expected, squash)
    assert got["paragraphs"] == want["paragraphs"]
    assert got == want


def test_saved_government_web_page(tmp_path, seed):
    path, expected = seed
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    target = tmp_path / f"{path.stem}.html"
    target.write_bytes(government_page(lines).encode("gb18030"))
    report = parse_file(target)
    assert report.format == "html"
    collapse = lambda text: " ".join(text.split()) if text else text  # noqa: E731
    assert shape(report, collapse) == shape(expected, collapse)
