"""Turn a report file (txt, docx, pdf, html) into plain text.

`extract_text` returns the text exactly as extracted, with lines separated by
"\\n" and page breaks kept as "\\f" on their own line. Cleaning (page numbers,
running headers, broken lines...) is left to a later stage. Every problem with
the input is reported as `ParseError` with a Chinese reason.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from indexer.errors import ParseError

_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
}
# Extensions we know we cannot read (unless the content turns out to be something we can).
_UNSUPPORTED = {
    ".doc", ".wps", ".rtf", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps", ".ofd",
    ".zip", ".rar", ".7z", ".gz", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff",
}  # fmt: skip

_EMPTY_REASONS = {
    "txt": "文件为空",
    "docx": "docx 文件中没有文字",
    "pdf": "PDF 没有文字层（可能是扫描件），无法提取文字",
    "html": "网页中没有找到正文文字",
}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_BINARY = "不是文本文件（看起来是二进制数据）"
_UNKNOWN_ENCODING = "无法识别文件编码（已尝试 UTF-8、UTF-16、GB18030）"


def extract_text(path: Path) -> tuple[str, str]:
    """Return (text, format) for a report file; format is one of 'txt', 'docx', 'pdf', 'html'."""
    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise ParseError(path, "文件为空")
    fmt, guessed = _detect_format(path, data)
    try:
        text = _normalise(_EXTRACTORS[fmt](path, data))
    except ParseError as exc:
        if fmt == "txt" and guessed:
            raise ParseError(path, f"不支持的文件类型 {_ext_label(path)}：{exc.reason}") from exc
        raise
    if not text.strip():
        raise ParseError(path, _EMPTY_REASONS[fmt])
    return text, fmt


# ---------------------------------------------------------------------------
# Dispatch


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
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext], False
    kind = _sniff(data)
    if kind in ("pdf", "docx", "html"):
        return kind, True
    if ext in _UNSUPPORTED or kind is not None:
        raise ParseError(path, f"不支持的文件类型 {_ext_label(path)}")
    return "txt", True


def _sniff(data: bytes) -> str | None:
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


def _describe(data: bytes) -> str:
    """A short Chinese description of what the bytes look like, for mismatch errors."""
    names = {
        "pdf": "PDF 文件",
        "docx": "docx 文件",
        "zip": "ZIP 压缩包（不是 Word 文档）",
        "ole": "旧版 Office 文件 .doc/.xls，请另存为 .docx",
        "rtf": "RTF 文件",
        "html": "网页",
    }
    kind = _sniff(data)
    if kind:
        return names[kind]
    return "二进制数据" if _bytes_look_binary(data) else "纯文本"


def _normalise(text: str) -> str:
    """Unify line breaks, drop a BOM and NULs, put each form feed on its own line."""
    text = text.removeprefix("\ufeff").replace("\x00", "")
    text = text.replace("\r\n", "\n")
    text = re.sub("[\r\v\x85\u2028\u2029]", "\n", text)
    text = re.sub("(?<=[^\n])\f", "\n\f", text)
    return re.sub("\f(?=[^\n])", "\f\n", text)


# ---------------------------------------------------------------------------
# Plain text


def _extract_txt(path: Path, data: bytes) -> str:
    text = _decode_text(path, data)
    if _looks_binary(text):
        kind = _sniff(data)
        raise ParseError(path, f"不是文本文件（实际内容：{_describe(data)}）" if kind else _BINARY)
    return text


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _decode_text(path: Path, data: bytes) -> str:
    """BOM → strict UTF-8 → UTF-16 heuristic → strict GB18030 → charset-normalizer."""
    text = _decode_bom(data)
    if text is None:
        text = _try_utf8(data)
    if text is None:
        text = _try_utf16(data)
    if text is None and _bytes_look_binary(data):
        raise ParseError(path, _BINARY)
    if text is None:
        text = _try_strict(data, "gb18030")
    if text is None:
        text = _try_guess(data)
    if text is None:
        raise ParseError(path, _UNKNOWN_ENCODING)
    return text


def _decode_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    return None


def _try_strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


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
        text = _try_strict(data, encoding)
        if text is not None and _plausibility(text) >= threshold:
            return text
    return None


_PLAUSIBLE_RE = re.compile(f"[{_CJK}\u0020-\u007e\u3000-\u303f\uff00-\uffef\u2010-\u206f\\s]")


def _plausibility(text: str) -> float:
    """Share of characters that are CJK, ASCII or common punctuation."""
    return len(_PLAUSIBLE_RE.findall(text)) / len(text) if text else 0.0


def _try_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def _looks_binary(text: str) -> bool:
    """More than 5% control characters, or more than 2% replacement characters."""
    if not text:
        return False
    controls = sum(1 for ch in text if _is_control(ch))
    return controls > 0.05 * len(text) or text.count("\ufffd") > 0.02 * len(text)


def _bytes_look_binary(data: bytes) -> bool:
    """More than 5% control bytes (C0 controls other than whitespace, DEL) in the first 64 KiB."""
    sample = data[:65536]
    controls = sum(sample.count(byte) for byte in _CONTROL_BYTES)
    return controls > 0.05 * len(sample)


_CONTROL_BYTES = [b for b in range(0x20) if chr(b) not in "\t\n\r\f\v"] + [0x7F]


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 and ch not in "\t\n\r\f\v") or 0x7F <= code < 0xA0


# ---------------------------------------------------------------------------
# docx


def _extract_docx(path: Path, data: bytes) -> str:
    if not data.startswith(b"PK\x03\x04"):
        raise ParseError(path, f"不是有效的 docx 文件（实际内容：{_describe(data)}）")
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


# ---------------------------------------------------------------------------
# PDF


def _extract_pdf(path: Path, data: bytes) -> str:
    if b"%PDF-" not in data[:1024]:
        raise ParseError(path, f"不是有效的 PDF 文件（实际内容：{_describe(data)}）")
    text = _run_pdfminer(path, data).removesuffix("\f")
    letters = re.sub(r"\(cid:\d+\)", "", text)
    if not any(ch.isalpha() for ch in letters):
        if "(cid:" in text:
            raise ParseError(path, "PDF 中的文字无法解码（字体缺少 Unicode 映射），无法提取文字")
        raise ParseError(path, _EMPTY_REASONS["pdf"])
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


# ---------------------------------------------------------------------------
# HTML


def _extract_html(path: Path, data: bytes) -> str:
    from bs4 import BeautifulSoup

    markup = _decode_html(path, data)
    if _looks_binary(markup):
        raise ParseError(path, _BINARY)
    soup = BeautifulSoup(markup, "lxml")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = soup.body or soup
    _drop_boilerplate(root)
    article = _find_article(root)
    lines = [line for line in _html_lines(article) if not _is_boilerplate_line(line)]
    title = _find_title(article, page_title)
    if title and not _starts_with(lines, title):
        lines = title + lines
    return "\n".join(lines)


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""")


def _decode_html(path: Path, data: bytes) -> str:
    """BOM → declared charset → UTF-8 → GB18030 → charset-normalizer → declared, lossy."""
    text = _decode_bom(data)
    if text is not None:
        return text
    if _bytes_look_binary(data):
        raise ParseError(path, _BINARY)
    declared = _declared_charset(data)
    for encoding in filter(None, (declared, "utf-8", "gb18030")):
        text = _try_strict(data, encoding)
        if text is not None:
            return text
    text = _try_guess(data)
    if text is None and declared:
        text = data.decode(declared, errors="replace")
    if text is None:
        raise ParseError(path, _UNKNOWN_ENCODING)
    return text


def _declared_charset(data: bytes) -> str | None:
    head = data[:16384]
    match = _XML_ENCODING_RE.search(head) or _META_CHARSET_RE.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    # GB18030 is a superset of GB2312/GBK, and pages labelled GB2312 often use GBK characters.
    return "gb18030" if name in ("gb2312", "gbk", "gb18030") else name


_ALWAYS_DROP = [
    "script", "style", "noscript", "template", "iframe", "svg", "object", "embed",
    "select", "button", "textarea", "input",
]  # fmt: skip
_BOILERPLATE_ATTR_RE = re.compile(
    r"nav|menu|breadcrumb|crumb|bread|share|copyright|sidebar|footer|comment|dqwz|weizhi"
    r"|mianbao|fenxiang|toolbar"
    r"|(?:^|[-_\s])(?:foot|ft|side|location|position|pos|print|tools?|bottom|links?)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _drop_boilerplate(root) -> None:
    """Remove scripts, navigation, footers, share bars... but never the bulk of the page."""
    for tag in root.find_all(_ALWAYS_DROP):
        tag.extract()
    for tag in root.find_all(_is_semantic_boilerplate):
        tag.extract()
    # Class names and forms are only hints: a wrapper holding most of the text stays.
    total = _cjk_count(root.get_text())
    for tag in root.find_all(_is_layout_tag):
        if _cjk_count(tag.get_text()) <= total / 2:
            tag.extract()


def _is_semantic_boilerplate(tag) -> bool:
    if tag.name in ("nav", "footer", "aside"):
        return True
    return tag.get("role") in ("navigation", "banner", "contentinfo", "complementary")


def _is_layout_tag(tag) -> bool:
    if tag.name in ("form", "header"):
        return not (tag.name == "header" and tag.find_parent("article"))
    if tag.has_attr("hidden") or _HIDDEN_RE.search(tag.get("style") or ""):
        return True
    attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(attrs.strip()) and bool(_BOILERPLATE_ATTR_RE.search(attrs))


def _cjk_count(text: str) -> int:
    return len(_CJK_RE.findall(text))


_CONTENT_SELECTORS = (
    "#zoom, .TRS_Editor, .trs_editor_view, .TRS_UEDITOR, #UCAP-CONTENT, .article-content,"
    " .article_content, .articleContent, #articleContent, .article_con, .article-body,"
    " .art_con, .zwgk_content, .pages_content, .news_content, .news-content, .con_text,"
    " #fontzoom, .view, #content, .content, .detail, article"
)


def _find_article(root):
    """The known CMS content container with most CJK text, else the densest text block."""
    scored = [(_cjk_count(tag.get_text()), tag) for tag in root.select(_CONTENT_SELECTORS)]
    scored = [(count, tag) for count, tag in scored if count >= 20]
    if not scored:
        return _densest_block(root)
    best_count, best = max(scored, key=lambda item: item[0])
    # Prefer a tighter container nested inside the winner that holds almost all its text.
    inner = [
        tag
        for count, tag in scored
        if count >= 0.8 * best_count and any(parent is best for parent in tag.parents)
    ]
    return max(inner, key=lambda tag: len(list(tag.parents))) if inner else best


_INLINE_TAGS = {"p", "span", "font", "strong", "b", "em", "i", "u", "center", "h1", "h2", "h3"}
_BLOCK_SEARCH = ["div", "p", "table", "ul", "ol", "section", "article"]


def _densest_block(root):
    """The element with most CJK characters in its own text and direct paragraph children."""
    best, best_score = root, 0
    for tag in root.find_all(["div", "td", "section", "article", "main", "center", "body"]):
        score = sum(_direct_cjk(child) for child in tag.children)
        if score > best_score:
            best, best_score = tag, score
    return best


def _direct_cjk(node) -> int:
    from bs4 import NavigableString, Tag

    if isinstance(node, NavigableString):
        return _cjk_count(str(node))
    if not isinstance(node, Tag):
        return 0
    if node.name in _INLINE_TAGS or (node.name == "div" and node.find(_BLOCK_SEARCH) is None):
        return _cjk_count(node.get_text())
    return 0


_BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "thead", "tbody",
    "tfoot", "caption", "ul", "ol", "dl", "dt", "dd", "section", "article", "main",
    "blockquote", "center", "address", "figure", "figcaption", "hr", "body", "html",
}  # fmt: skip


def _html_lines(root) -> list[str]:
    """One line per block element; <br> breaks lines; table cells of a row share a line."""
    from bs4.element import NavigableString, PreformattedString, Tag

    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = _collapse_whitespace("".join(buffer))
        buffer.clear()
        if line.strip():
            lines.append(line)

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            flush()
        elif isinstance(node, Tag):
            if node.name in ("br", "pre"):
                flush()
                lines.extend(node.get_text().split("\n") if node.name == "pre" else [])
                continue
            if node.name in _BLOCK_TAGS:
                flush()
                stack.append((node, True))
            if node.name in ("td", "th"):
                buffer.append(" ")
            stack.extend((child, False) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            buffer.append(str(node))
    flush()
    return [line for line in lines if line.strip()]


_WIDE = f"{_CJK}\u3000-\u303f\uff00-\uffef\u2018-\u201d"
_SEGMENT_BREAK_RE = re.compile(f"(?<=[{_WIDE}])[ \t]*[\r\n][ \t\r\n]*(?=[{_WIDE}])")


def _collapse_whitespace(text: str) -> str:
    """HTML whitespace rules: source line breaks between CJK vanish, other runs become a space.

    Non-breaking and ideographic spaces (used for indentation) are kept.
    """
    text = _SEGMENT_BREAK_RE.sub("", text)
    return re.sub(r"[ \t\r\n\f]+", " ", text).strip(" ")


_BOILERPLATE_LINE_RE = re.compile(
    r"(?:浏览次数|访问量|阅读次数|点击数|浏览量|阅读量|点击量|访问次数)\s*[:：]?\s*(?:\d|$|[\[【(（])"
    r"|[【\[]\s*(?:打印|关闭|关闭窗口|打印本页|打印正文|我要打印|收藏)\s*[】\]]"
    r"|(?:字号|字体)\s*[:：]?\s*[\[【(（]?\s*大\s*[\]】)）]?\s*[\[【(（]?\s*中"
    r"|^\s*分享到|分享到\s*[:：]"
    r"|^\s*(?:上一篇|下一篇|上一条|下一条)"
    r"|(?:^|[\s\u3000|丨])(?:来源|信息来源|文章来源|发布时间|发布日期|更新时间)\s*[:：]"
    r"|^\s*(?:当前位置|您的位置|您当前的位置|您现在的位置|你现在的位置)\s*[:：]"
)
_SHORT_BOILERPLATE_RE = re.compile(
    r"扫一扫|打印本页|关闭窗口|版权所有|ICP备|公网安备|网站标识码|Copyright|©"
)


def _is_boilerplate_line(line: str) -> bool:
    """Visit counters, print/close links, font-size switches, share bars, metadata lines."""
    text = line.strip()
    if len(text) <= 40 and _SHORT_BOILERPLATE_RE.search(text):
        return True
    return len(text) <= 120 and bool(_BOILERPLATE_LINE_RE.search(text))


_HEADINGS = ["h1", "h2", "h3"]


def _find_title(article, page_title: str) -> list[str]:
    """Title lines: an <h1> in the article, a heading just above it, else the <title>."""
    heading = article.find("h1")
    if heading is None:
        heading = _heading_above(article, page_title)
    if heading is not None:
        return _html_lines(heading)
    title = _strip_site_name(page_title)
    return [title] if title else []


def _heading_above(article, page_title: str):
    """The nearest preceding heading that agrees with the page <title> (or any h1 if none)."""
    page = _squash(_strip_site_name(page_title))
    for tag in article.find_all_previous(_is_heading_like, limit=5):
        text = _squash(tag.get_text())
        if not 4 <= _cjk_count(text) <= 200:
            continue
        if (page and (text in page or page in text)) or (not page and tag.name == "h1"):
            return tag
    return None


def _is_heading_like(tag) -> bool:
    if tag.name in _HEADINGS:
        return True
    attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return "title" in attrs.lower()


_SITE_SEPARATOR_RE = re.compile(r"\s+[-–—|｜]\s+|_|\||｜")


def _strip_site_name(page_title: str) -> str:
    """'报告标题_某某区人民政府' → '报告标题'."""
    parts = [part.strip() for part in _SITE_SEPARATOR_RE.split(page_title)]
    return next((part for part in parts if part), "")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _starts_with(lines: list[str], title: list[str]) -> bool:
    """Whether the title already appears at the start of the body (within ~300 chars)."""
    wanted = _squash("".join(title)).rstrip(".…")
    return bool(wanted) and wanted in _squash("".join(lines[:20]))[: len(wanted) + 300]


_EXTRACTORS: dict[str, Callable[[Path, bytes], str]] = {
    "txt": _extract_txt,
    "docx": _extract_docx,
    "pdf": _extract_pdf,
    "html": _extract_html,
}
