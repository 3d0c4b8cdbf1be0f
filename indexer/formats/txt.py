"""Plain text: BOM, strict UTF-8, UTF-16 without BOM, GB18030, then a guess."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.errors import ParseError

from .common import (
    BINARY,
    CJK,
    UNKNOWN_ENCODING,
    bytes_look_binary,
    decode_bom,
    describe,
    looks_binary,
    sniff,
    try_guess,
    try_strict,
)

NAME = "txt"
SUFFIXES = (".txt", ".text")
EMPTY_REASON = "文件为空"


def extract(path: Path, data: bytes) -> str:
    text = _decode_text(path, data)
    if looks_binary(text):
        kind = sniff(data)
        raise ParseError(path, f"不是文本文件（实际内容：{describe(data)}）" if kind else BINARY)
    return text


def _decode_text(path: Path, data: bytes) -> str:
    """BOM → strict UTF-8 → UTF-16 heuristic → strict GB18030 → charset-normalizer."""
    text = decode_bom(data)
    if text is None:
        text = _try_utf8(data)
    if text is None:
        text = _try_utf16(data)
    if text is None and bytes_look_binary(data):
        raise ParseError(path, BINARY)
    if text is None:
        text = try_strict(data, "gb18030")
    if text is None:
        text = try_guess(data)
    if text is None:
        raise ParseError(path, UNKNOWN_ENCODING)
    return text


def _try_utf8(data: bytes) -> str | None:
    """Strict UTF-8; a file cut off in the middle of its last character still counts."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8")
        return None


def _try_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: try the byte order suggested by NUL positions; keep text that reads."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    candidates = ["utf-16-be", "utf-16-le"] if even > odd else ["utf-16-le", "utf-16-be"]
    threshold = 0.9 if even + odd else 0.98
    for encoding in candidates:
        text = try_strict(data, encoding)
        if text is not None and _plausibility(text) >= threshold:
            return text
    return None


_PLAUSIBLE_RE = re.compile(f"[{CJK}\u0020-\u007e\u3000-\u303f\uff00-\uffef\u2010-\u206f\\s]")


def _plausibility(text: str) -> float:
    """Share of characters that are CJK, ASCII or common punctuation."""
    return len(_PLAUSIBLE_RE.findall(text)) / len(text) if text else 0.0
