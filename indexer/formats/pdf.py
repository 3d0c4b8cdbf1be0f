"""PDF: the text layer via pdfminer.six; scanned or undecodable PDFs are refused."""

from __future__ import annotations

import io
import re
from pathlib import Path

from indexer.errors import ParseError

from .common import describe

NAME = "pdf"
SUFFIXES = (".pdf",)
EMPTY_REASON = "PDF 没有文字层（可能是扫描件），无法提取文字"


def extract(path: Path, data: bytes) -> str:
    if b"%PDF-" not in data[:1024]:
        raise ParseError(path, f"不是有效的 PDF 文件（实际内容：{describe(data)}）")
    text = _run_pdfminer(path, data).removesuffix("\f")
    letters = re.sub(r"\(cid:\d+\)", "", text)
    if not any(ch.isalpha() for ch in letters):
        if "(cid:" in text:
            raise ParseError(path, "PDF 中的文字无法解码（字体缺少 Unicode 映射），无法提取文字")
        raise ParseError(path, EMPTY_REASON)
    return text


def _run_pdfminer(path: Path, data: bytes) -> str:
    from pdfminer.high_level import extract_text as pdfminer_extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfminer_extract_text(io.BytesIO(data))
    except PDFPasswordIncorrect as exc:
        raise ParseError(path, "PDF 已加密（需要密码），无法提取文字") from exc
    except PDFEncryptionError as exc:
        raise ParseError(path, f"PDF 的加密方式不受支持，无法提取文字：{exc}") from exc
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise ParseError(path, f"PDF 文件已损坏：{type(exc).__name__}: {exc}") from exc
