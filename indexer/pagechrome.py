"""Saved web pages: take the site's chrome out of a report's lines and read its metadata block.

Government sites print a metadata block (索引号, 发布机构, 成文日期, 文号, 标题 …) as a
key/value table, as `- 标 题:…` bullets, as `key: | value |` table dumps or as
letter-spaced keys (`索 引 号 :`). Around the report sit breadcrumbs, menus, the
`来源/发布时间/浏览次数` line, share and print links, font-size switches and the footer.
`strip_page` removes all of these, lists each removed line with its Chinese reason,
and returns the metadata block's facts for the title, issuer, date and document number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Dropped
from .variants import simplified

META, NAV, FOOTER, SHARE = "元数据", "页面导航", "网站页脚", "分享打印"

# Metadata keys → the report field they give (None: the fact is not used).
FIELD_KEYS: dict[str, str | None] = {
    "标题": "title", "名称": "title", "信息名称": "title", "文件名称": "title",
    "发布机构": "issuer", "发文机关": "issuer", "发文机构": "issuer", "发文单位": "issuer",
    "发布单位": "issuer", "制发机关": "issuer", "发布机关": "issuer",
    "成文日期": "issued", "成文时间": "issued", "发文日期": "issued", "印发日期": "issued",
    "文号": "doc_number", "发文字号": "doc_number", "文件编号": "doc_number",
}  # fmt: skip
OTHER_KEY_WORDS = (
    "索引号 主题分类 分类 有效性 时效性 效力状态 主题词 关键词 发布日期 发布时间 公开日期 生成日期 "
    "公开方式 公开范围 公开形式 公开时限 信息来源 来源 文章来源 体裁分类 组配分类 服务对象 信息分类 "
    "所属主题 实施日期 废止日期 统一编号 登记号 浏览次数 访问次数 点击数 阅读次数 作者 责任编辑 "
    "编辑 审核 更新时间 内容概述 信息类别 公文种类 所属机构 主题 类别 体裁 时效 文种"
)
OTHER_KEYS = OTHER_KEY_WORDS.split(" ")
KEYS = {**FIELD_KEYS, **dict.fromkeys(OTHER_KEYS)}
# Keys that name the document itself; two of them make a block a metadata block.
IDENTITY = {k for k in KEYS if k not in ("来源", "信息来源", "文章来源", "作者", "编辑", "审核")}
SPACE = r"[ \t\u3000\u00a0]"


def _spaced(key: str) -> str:
    return f"{SPACE}*".join(re.escape(ch) for ch in key)


_KEY_ALT = "|".join(_spaced(k) for k in sorted(KEYS, key=len, reverse=True))
KEY_COLON = re.compile(rf"(?<![\u4e00-\u9fff])({_KEY_ALT}){SPACE}*[:：]")
KEY_ONLY = re.compile(rf"^(?:{_KEY_ALT}){SPACE}*[:：]?$")
LEAD = re.compile(r"^[\s|｜\-*•·+>【\[]+")
PIPE_ROW = re.compile(r"^[\s|｜\-:：+=_]*$")
DATE_VALUE = re.compile(
    r"^(?:19|20)\d{2}(?:\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2}(?:\s*日)?)?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
TITLE_LIKE = re.compile(r"(?:法治|法制|依法行政|依法治).*(?:报告|情况|总结)")
PROSE = re.compile(r"[。；！？]")
MAX_VALUE = 80

BREADCRUMB = re.compile(
    r"^(?:您?(?:当前|现在)?(?:所在|所处)?的?位置|当前位置|所在位置)\s*[:：]?"
    r"|^首页\s*[>＞»›/\\]|[>＞»›]\s*[^>＞»›]{1,15}\s*[>＞»›]"
)
SHARE_TOKENS = re.compile(
    r"(?:字号|字体)\s*[:：]?|打印本页|打印正文|我要打印|打印|关闭窗口|关闭|分享到|分享|扫一扫|"
    r"在手机上?打开(?:当前页|本页)?|收藏|微信|朋友圈|微博|QQ空间|QQ|视力保护色?|护眼模式|听全文|"
    r"朗读|默认|[大中小]|T|A[+-]?|[【】\[\]()（）/|｜:：\s\-]"
)
FOOTER_RE = re.compile(
    r"ICP备|ICP证|网站标识码|公网安备|版权所有|Copyright|©|(?:主办|承办|协办|运维)单位\s*[:：]"
    r"|技术支持\s*[:：]|网站地图|建议使用.{0,20}浏览器|分辨率|网站纠错|隐私声明|免责声明"
)
NAV_RE = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|相关链接|相关阅读|相关文章|相关新闻|返回顶部|返回列表|返回首页)"
)
NAV_WORD_LIST = (
    "首页 政务公开 政府信息公开 信息公开 政务服务 网上办事 互动交流 政民互动 新闻中心 要闻动态 "
    "政策文件 政策解读 专题专栏 机构设置 领导之窗 走进 无障碍 无障碍浏览 长者模式 关怀版 适老化 "
    "English 繁體 繁体 简体 登录 注册 搜索 智能问答 移动版 手机版 办事服务 公共服务 数据开放 "
    "信息公开目录 政府文件 部门文件 通知公告 工作动态"
)
NAV_WORDS = set(NAV_WORD_LIST.split(" "))


@dataclass
class Page:
    lines: list[str]
    meta: dict[str, str] = field(default_factory=dict)  # field (title, issuer, …) → value
    dropped: list[Dropped] = field(default_factory=list)
    glued: int = 0  # chrome prefixes cut off the front of a body line


def strip_page(lines: list[str]) -> Page:
    """The report's lines without page chrome, the metadata facts, and what was removed."""
    page = Page([])
    prose = [i for i, line in enumerate(lines) if _is_prose(line)]
    first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    i = 0
    while i < len(lines):
        line = lines[i]
        edge = i < first or i > last
        if edge and KEY_ONLY.match(line) and i + 1 < len(lines) and _lone_value(lines[i + 1]):
            _record(page, line, lines[i + 1])
            i += 2
            continue
        _take(page, line, edge)
        i += 1
    _drop_banner(page, lines[:first])
    return page


def _drop_banner(page: Page, head: list[str]) -> None:
    """Lines above the site menu or breadcrumb (the site's name, a logo text) are chrome too."""
    nav = [d.line for d in page.dropped if d.reason == NAV]
    last_nav = max((i for i, line in enumerate(head) if line in nav), default=-1)
    if last_nav <= 0:
        return
    banner = [
        line
        for line in head[:last_nav]
        if line in page.lines[: len(head)] and not TITLE_LIKE.search(simplified(line))
    ]
    for line in banner:
        page.lines.remove(line)
        page.dropped.append(Dropped(line, NAV))


def _is_prose(line: str) -> bool:
    return len(line) > 20 and bool(PROSE.search(line)) and not _pairs(line)


def _lone_value(line: str) -> bool:
    return len(line) <= MAX_VALUE and not KEY_COLON.match(line) and not PROSE.search(line)


def _take(page: Page, line: str, edge: bool) -> None:
    reason = chrome_reason(line, edge)
    if reason:
        page.dropped.append(Dropped(line, reason))
        return
    pairs = _pairs(line)
    if pairs and (edge or _is_block_line(line, pairs)):
        _use_pairs(page, line, pairs)
        return
    page.lines.append(line)


def _is_block_line(line: str, pairs: list[tuple[str, str]]) -> bool:
    """Inside the body only unmistakable metadata counts: several keys, spaced keys or a table."""
    return len(pairs) >= 2 or "|" in line or bool(re.match(rf"^\W*\w{SPACE}+\w", line))


def _use_pairs(page: Page, line: str, pairs: list[tuple[str, str]]) -> None:
    key, value = pairs[-1]
    rest = ""
    if len(value) > MAX_VALUE or PROSE.search(value):
        value, rest = _split_glued(key, value)
        pairs[-1] = (key, value)
    if rest:
        page.dropped.append(Dropped(line[: len(line) - len(rest)].rstrip(), META))
        page.lines.append(rest)
        page.glued += 1
    else:
        page.dropped.append(Dropped(line, META))
    for key, value in pairs:
        _remember(page, key, value)


def _split_glued(key: str, value: str) -> tuple[str, str]:
    """`2026-02-09 15:17 2023年，我区…` → the value and the body text glued after it."""
    m = DATE_VALUE.match(value) if "日期" in key or "时间" in key else None
    if m is None:
        m = re.match(r"^\S{1,30}", value)
    return value[: m.end()].strip(), value[m.end() :].strip()


def _record(page: Page, key_line: str, value_line: str) -> None:
    page.dropped += [Dropped(key_line, META), Dropped(value_line, META)]
    _remember(page, _squash(key_line).rstrip(":："), value_line.strip())


def _remember(page: Page, key: str, value: str) -> None:
    name = FIELD_KEYS.get(key)
    value = value.strip(" \t\u3000\u00a0|｜")
    if name and value and name not in page.meta:
        page.meta[name] = value


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


def _pairs(line: str) -> list[tuple[str, str]]:
    """(key, value) pairs of a metadata line, or [] when the line is not wholly metadata."""
    text = LEAD.sub("", line)
    if "|" in text or "｜" in text:
        cells = _cell_pairs(text)
        if cells is not None:
            return cells
    matches = list(KEY_COLON.finditer(text))
    if not matches or matches[0].start() != 0:
        return []
    pairs = []
    for m, after in zip(matches, [*matches[1:], None], strict=True):
        value = text[m.end() : after.start() if after else len(text)]
        pairs.append((_squash(m.group(1)), value.strip(" \t\u3000\u00a0|｜")))
    return pairs


def _cell_pairs(text: str) -> list[tuple[str, str]] | None:
    """`| 索引号 | 11140225/2025-00012 | 发布机构 | 浑源县人民政府 |` and `文号: | 保政呈… |`."""
    cells = [c.strip(" \t\u3000\u00a0") for c in re.split(r"[|｜]", text)]
    cells = [c for c in cells if c]
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(cells):
        key = _squash(cells[i]).rstrip(":：")
        if key in KEYS:
            following = cells[i + 1] if i + 1 < len(cells) else ""
            value = "" if _squash(following).rstrip(":：") in KEYS else following
            pairs.append((key, value))
            i += 2 if value else 1
            continue
        inline = _pairs(cells[i]) if KEY_COLON.match(cells[i]) else []
        if not inline:
            return None
        pairs += inline
        i += 1
    return pairs or None


def chrome_reason(line: str, edge: bool = True) -> str | None:
    """Why a line is site chrome (breadcrumb, menu, share bar, footer), or None.

    Menu words count only at the edges of the page (`edge`: before or after the body).
    """
    if PIPE_ROW.match(line) and re.search(r"[|｜]", line):
        return META
    if PROSE.search(line) or len(line) > 100:
        return None
    if FOOTER_RE.search(line):
        return FOOTER
    if BREADCRUMB.search(line) or NAV_RE.match(line) or (edge and _menu_line(line)):
        return NAV
    if len(line) <= 40 and _share_line(line):
        return SHARE
    return None


def _share_line(line: str) -> bool:
    """Only share/print/font-size words: `【打印】【关闭】`, `字号：大 中 小`, `分享到：微信 微博`."""
    rest = SHARE_TOKENS.sub("", line)
    return (
        len(rest) <= 1
        and len(line) - len(rest) >= 2
        and re.search(r"打印|关闭|分享|字号|字体|扫一扫|微信|微博|收藏", line) is not None
    )


def _menu_line(line: str) -> bool:
    words = [w for w in re.split(r"[\s|｜/·•]+", line) if w]
    return bool(words) and all(w in NAV_WORDS or w.startswith("走进") for w in words)
