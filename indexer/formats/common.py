"""Helpers shared by the format modules: byte sniffing, strict decoding, binary detection."""

from __future__ import annotations

import codecs
import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
BINARY = "不是文本文件（看起来是二进制数据）"
UNKNOWN_ENCODING = "无法识别文件编码（已尝试 UTF-8、UTF-16、GB18030）"

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff(data: bytes) -> str | None:
    """Guess the content type from the bytes: pdf, docx, zip, ole, rtf, html or None."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if b"word/document.xml" in data else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if data.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if re.search(rb"<html|<!doctype\s+html", head, re.IGNORECASE):
        return "html"
    return None


def describe(data: bytes) -> str:
    """A short Chinese description of what the bytes look like, for mismatch errors."""
    names = {
        "pdf": "PDF 文件",
        "docx": "docx 文件",
        "zip": "ZIP 压缩包（不是 Word 文档）",
        "ole": "旧版 Office 文件 .doc/.xls，请另存为 .docx",
        "rtf": "RTF 文件",
        "html": "网页",
    }
    kind = sniff(data)
    if kind:
        return names[kind]
    return "二进制数据" if bytes_look_binary(data) else "纯文本"


def decode_bom(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    return None


def try_strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def try_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def looks_binary(text: str) -> bool:
    """More than 5% control characters, or more than 2% replacement characters."""
    if not text:
        return False
    controls = len(text) - len(_CONTROLS.sub("", text))
    return controls > 0.05 * len(text) or text.count("\ufffd") > 0.02 * len(text)


_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 but white space, DEL, C1


_CONTROL_BYTES = [b for b in range(0x20) if chr(b) not in "\t\n\r\f\v"] + [0x7F]


def bytes_look_binary(data: bytes) -> bool:
    """More than 5% control bytes (C0 controls other than whitespace, DEL) in the first 64 KiB."""
    sample = data[:65536]
    controls = sum(sample.count(byte) for byte in _CONTROL_BYTES)
    return controls > 0.05 * len(sample)
