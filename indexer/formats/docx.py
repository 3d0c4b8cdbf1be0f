"""docx: paragraph texts in document order, tables row by row (python-docx).

Before python-docx opens a package, its declared sizes are checked (a zip bomb inflates a few
kilobytes into gigabytes) and every XML part is read by defusedxml with DTDs forbidden (an XML
bomb's entities expand exponentially); both are refused with a Chinese reason.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from indexer.errors import ParseError

from .common import describe

NAME = "docx"
SUFFIXES = (".docx",)
EMPTY_REASON = "docx 文件中没有文字"
MAX_UNPACKED = 200 << 20  # bytes all parts may inflate to
MAX_RATIO = 100  # inflated / compressed, for a part larger than RATIO_FLOOR
RATIO_FLOOR = 1 << 20


def extract(path: Path, data: bytes) -> str:
    if not data.startswith(b"PK\x03\x04"):
        raise ParseError(path, f"不是有效的 docx 文件（实际内容：{describe(data)}）")
    body = _open_docx(path, data)
    return "\n".join(_docx_lines(body))


def _open_docx(path: Path, data: bytes):  # -> docx body element
    import zipfile

    import docx

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = package.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ParseError(path, "docx 文件已损坏：ZIP 结构不完整（文件可能被截断）") from exc
    if "word/document.xml" not in names:
        raise ParseError(path, "不是 Word 文档：压缩包中没有正文 word/document.xml")
    _check_sizes(path, package)
    _check_xml(path, package)
    try:
        return docx.Document(io.BytesIO(data)).element.body
    except KeyError as exc:
        raise ParseError(path, f"docx 文件已损坏：缺少组成部分 {exc}") from exc
    except ValueError as exc:
        raise ParseError(path, f"不是 Word 文档（可能是其他 Office 文件）：{exc}") from exc
    except Exception as exc:  # python-docx/lxml raise many types for broken packages
        raise ParseError(path, f"docx 文件已损坏：{type(exc).__name__}: {exc}") from exc


def _check_sizes(path: Path, package) -> None:
    """Refuse a package whose parts inflate beyond MAX_UNPACKED or far beyond their size."""
    parts = package.infolist()
    total = sum(info.file_size for info in parts)
    if total > MAX_UNPACKED:
        raise ParseError(
            path, f"docx 文件解压后过大（{total / 1e6:.0f} MB），可能是压缩炸弹，已拒绝"
        )
    for info in parts:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ParseError(
                path, f"docx 文件中的 {info.filename} 压缩比异常，可能是压缩炸弹，已拒绝"
            )


def _check_xml(path: Path, package) -> None:
    """Every XML part without a DTD: entity declarations are how an XML bomb expands."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError as XMLSyntaxError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    for name in package.namelist():
        if not name.endswith((".xml", ".rels")):
            continue
        try:
            fromstring(package.read(name), forbid_dtd=True)
        except DefusedXmlException as exc:
            raise ParseError(
                path, f"docx 文件中的 {name} 含有 DTD 或实体声明（可能是 XML 炸弹），已拒绝"
            ) from exc
        except (
            XMLSyntaxError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            ValueError,
            OSError,
        ) as exc:
            raise ParseError(path, f"docx 文件已损坏：{name} 无法读取（{exc}）") from exc


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
