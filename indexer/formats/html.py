"""HTML pages saved from government sites: the article container, its title, no site chrome."""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path

from indexer.errors import ParseError

from .common import (
    BINARY,
    CJK,
    CJK_RE,
    UNKNOWN_ENCODING,
    bytes_look_binary,
    decode_bom,
    looks_binary,
    try_guess,
    try_strict,
)

NAME = "html"
SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
EMPTY_REASON = "网页中没有找到正文文字"


def extract(path: Path, data: bytes) -> str:
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    markup = _decode_html(path, data)
    if looks_binary(markup):
        raise ParseError(path, BINARY)
    with warnings.catch_warnings():  # a short page is parsed as markup, whatever it looks like
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "lxml")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = soup.body or soup
    meta = _metadata_lines(root)
    _drop_boilerplate(root)
    article = _find_article(root)
    lines = [line for line in _html_lines(article) if not _is_boilerplate_line(line)]
    title = _find_title(article, page_title)
    if title and not _starts_with(lines, title):
        lines = title + lines
    return "\n".join(meta + lines)


# Keys of a page's metadata block (信息公开 table); two of them make a block one.
_META_BLOCK_KEYS = (
    "索引号 发布机构 发文机关 发文机构 发文单位 成文日期 成文时间 发文日期 文号 发文字号 主题分类 "
    "有效性 公开方式 组配分类 体裁分类 主题词 标题 名称 信息名称 生成日期"
)
_META_KEYS = set(_META_BLOCK_KEYS.split(" "))
_MAX_META_CJK = 300


def _metadata_lines(root) -> list[str]:
    """The metadata block (索引号, 发布机构, 成文日期 …) as `key：value` lines, taken out of the page.

    The text stage (indexer.pagechrome) reads these lines and keeps them out of the body.
    """
    blocks = [tag for tag in root.find_all(["table", "ul", "dl", "div"]) if _is_meta_block(tag)]
    inner = [tag for tag in blocks if not any(tag in other.parents for other in blocks)]
    lines: list[str] = []
    for tag in inner:
        lines += _table_pairs(tag) if tag.name == "table" else _html_lines(tag)
        tag.extract()
    return lines


def _is_meta_block(tag) -> bool:
    text = _squash(tag.get_text())
    if _cjk_count(text) > _MAX_META_CJK:
        return False
    return sum(key in text for key in _META_KEYS) >= 2


def _table_pairs(table) -> list[str]:
    """One `key：value` line per key cell and the value cell after it."""
    lines: list[str] = []
    for row in table.find_all("tr"):
        cells = [_collapse_whitespace(cell.get_text(" ")) for cell in row.find_all(["td", "th"])]
        i = 0
        while i < len(cells):
            key = _squash(cells[i]).rstrip(":：")
            if key in _META_KEYS or key in _OTHER_META_KEYS:
                value = cells[i + 1] if i + 1 < len(cells) else ""
                lines.append(f"{key}：{value}".rstrip())
                i += 2
                continue
            if cells[i]:
                lines.append(cells[i])
            i += 1
    return lines


_OTHER_META_KEYS = {
    "发布日期",
    "发布时间",
    "来源",
    "信息来源",
    "时效性",
    "效力状态",
    "关键词",
    "分类",
}


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""")


def _decode_html(path: Path, data: bytes) -> str:
    """BOM → declared charset → UTF-8 → GB18030 → charset-normalizer → declared, lossy."""
    text = decode_bom(data)
    if text is not None:
        return text
    if bytes_look_binary(data):
        raise ParseError(path, BINARY)
    declared = _declared_charset(data)
    for encoding in filter(None, (declared, "utf-8", "gb18030")):
        text = try_strict(data, encoding)
        if text is not None:
            return text
    text = try_guess(data)
    if text is None and declared:
        text = data.decode(declared, errors="replace")
    if text is None:
        raise ParseError(path, UNKNOWN_ENCODING)
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
    return len(CJK_RE.findall(text))


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


_WIDE = f"{CJK}\u3000-\u303f\uff00-\uffef\u2018-\u201d"
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
