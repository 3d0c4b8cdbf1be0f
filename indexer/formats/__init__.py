"""Turn a report file (txt, docx, pdf, html) into plain text.

`extract_text` returns the text exactly as extracted, with lines separated by
"\\n" and page breaks kept as "\\f" on their own line. Cleaning (page numbers,
running headers, broken lines...) is left to a later stage. Every problem with
the input is reported as `ParseError` with a Chinese reason.

Each format is one module (`txt`, `docx`, `pdf`, `html`) exposing `NAME`,
`SUFFIXES`, `EMPTY_REASON` and `extract(path, data) -> str`; `REGISTRY` below is
the one place a format is registered. A new format is one module plus one entry.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

from indexer.errors import ParseError

from . import docx, html, pdf, txt
from .common import sniff

REGISTRY: dict[str, ModuleType] = {module.NAME: module for module in (txt, docx, pdf, html)}
SUFFIXES: dict[str, str] = {
    suffix: module.NAME for module in REGISTRY.values() for suffix in module.SUFFIXES
}
# Extensions we know we cannot read (unless the content turns out to be something we can).
_UNSUPPORTED = {
    ".doc", ".wps", ".rtf", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps", ".ofd",
    ".zip", ".rar", ".7z", ".gz", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff",
}  # fmt: skip


def extract_text(path: Path) -> tuple[str, str]:
    """Return (text, format) for a report file; format is one of the registered NAMEs."""
    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise ParseError(path, "文件为空")
    fmt, guessed = _detect_format(path, data)
    module = REGISTRY[fmt]
    try:
        text = _normalise(module.extract(path, data))
    except ParseError as exc:
        if fmt == txt.NAME and guessed:
            raise ParseError(path, f"不支持的文件类型 {_ext_label(path)}：{exc.reason}") from exc
        raise
    if not text.strip():
        raise ParseError(path, module.EMPTY_REASON)
    return text, fmt


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"无法读取文件：{exc.strerror or exc}") from exc


def _ext_label(path: Path) -> str:
    return path.suffix.lower() or "（无扩展名）"


def _detect_format(path: Path, data: bytes) -> tuple[str, bool]:
    """Return (format, guessed): by extension, else by sniffing the content."""
    ext = path.suffix.lower()
    if ext in SUFFIXES:
        return SUFFIXES[ext], False
    kind = sniff(data)
    if kind in REGISTRY:
        return kind, True
    if ext in _UNSUPPORTED or kind is not None:
        raise ParseError(path, f"不支持的文件类型 {_ext_label(path)}")
    return txt.NAME, True


def _normalise(text: str) -> str:
    """Unify line breaks, drop a BOM and NULs, put each form feed on its own line."""
    text = text.removeprefix("\ufeff").replace("\x00", "")
    text = text.replace("\r\n", "\n")
    text = re.sub("[\r\v\x85\u2028\u2029]", "\n", text)
    text = re.sub("(?<=[^\n])\f", "\n\f", text)
    return re.sub("\f(?=[^\n])", "\f\n", text)
