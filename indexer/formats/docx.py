"""docx: paragraph texts in document order, tables row by row (python-docx)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from indexer.errors import ParseError

from .common import describe

NAME = "docx"
SUFFIXES = (".docx",)
EMPTY_REASON = "docx 文件中没有文字"


def extract(path: Path, data: bytes) -> str:
    if not data.startswith(b"PK\x03\x04"):
        raise ParseError(path, f"不是有效的 docx 文件（实际内容：{describe(data)}）")
    body = _open_docx(path, data)
    return "\n".join(_docx_lines(body))


def _open_docx(path: Path, data: bytes):  # -> docx body element
    import zipfile

    import docx

    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ParseError(path, "docx 文件已损坏：ZIP 结构不完整（文件可能被截断）") from exc
    if "word/document.xml" not in names:
        raise ParseError(path, "不是 Word 文档：压缩包中没有正文 word/document.xml")
    try:
        return docx.Document(io.BytesIO(data)).element.body
    except KeyError as exc:
        raise ParseError(path, f"docx 文件已损坏：缺少组成部分 {exc}") from exc
    except ValueError as exc:
        raise ParseError(path, f"不是 Word 文档（可能是其他 Office 文件）：{exc}") from exc
    except Exception as exc:  # python-docx/lxml raise many types for broken packages
        raise ParseError(path, f"docx 文件已损坏：{type(exc).__name__}: {exc}") from exc


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUNS_XPATH = (
    ".//w:r[not(ancestor::w:txbxContent) and not(ancestor::w:del) and not(ancestor::w:moveFrom)]"
)


def _docx_lines(element) -> Iterator[str]:
    """Paragraph texts in document order; table cells are walked row by row."""
    for child in element.iterchildren():
        if child.tag == f"{_W}p":
            yield "".join(run.text for run in child.xpath(_RUNS_XPATH))
        elif child.tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                yield from _docx_lines_in_row(row)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _docx_lines(child)


def _docx_lines_in_row(row) -> Iterator[str]:
    for cell in row.iterchildren(f"{_W}tc"):
        yield from _docx_lines(cell)
