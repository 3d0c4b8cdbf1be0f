"""Split a report's lines into header, title, body and closing signature, and read their metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import find_date, find_meta_date, normalize_numbers
from .headings import parse_heading
from .model import Dropped
from .variants import simplified

TITLE_SCAN = 15  # the title is among the report's first lines...
TITLE_SCAN_MENU = 60  # ...or after a site menu of short lines, before any body line
TITLE_CORE = re.compile(
    r"(?:法治|法制|依法行政|依法治)[^，。]*(?:报告|情况|总结)|(?:报告|情况|总结)[^，。]*法治"
)
TITLE_TAIL = re.compile(r"^[^，。；]{0,40}(?:报告|情况|总结)$")
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,16}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号"
)
SIGNER = re.compile(r"^签\s*发\s*人\s*[：:]")
ORG_SUFFIX = (
    "人民政府|人民代表大会常务委员会|委员会|办事处|党工委|工委|党委|政府|管委会|司法所|办公室|"
    "[镇乡区县市]委|局|厅"
)
ORG = re.compile(rf"(?:中共)?[\u4e00-\u9fff]{{2,30}}?(?:{ORG_SUFFIX})")
ORG_LINE = re.compile(rf"^(?:(?:中共)?[\u4e00-\u9fff]{{2,30}}?(?:{ORG_SUFFIX})[\s、]*)+$")
PLACE_LINE = re.compile(r"^[\u4e00-\u9fff\s]{2,30}(?:乡|镇|街道|区|县|市|旗|盟|州|省|苏木)$")
PARTY_ORG_END = re.compile(
    r"(?:(?<=党委|工委)|(?<=[镇乡区县市]委)|(?<=委员会))(?!员)(?=[\u4e00-\u9fff]{2})"
)
ADDRESSEE = re.compile(r"^[\u4e00-\u9fff、，,\s]{2,40}[：:]$")
ADDRESSEE_WORD = re.compile(r"委|政府|人大|局|厅|办|部|院|会")
CLOSING = re.compile(
    r"^(?:特此(?:报告|汇报|说明)[。！!]?|[（(]此件[^）)]*[）)]|(?:抄送|抄报|联系人|联系电话|附件)[：:].*)$"
)
DATE_LINE = re.compile(
    r"^[（(]?\s*[\d〇○零一二三四五六七八九十]{4}\s*年[\d一二三四五六七八九十\s]{1,3}月[\d一二三四五六七八九十\s]{1,4}日\s*[）)]?\s*(印发?|发)?$"
)
BODY_PUNCT = re.compile(r"[，。；！？,;]")
DOC_NUMBER_LINE = re.compile(rf"^[（(]?(?:{DOC_NUMBER.pattern})[）)]?$")
PRINT_NOTE = re.compile(
    r"^.{0,40}?\d{4}年\d{1,2}月\d{1,2}日印发?$"
    r"|^(?:中共)?[\u4e00-\u9fff]{2,30}?(?:办公室|办公厅|政府|局|委员会|党委|办)印发?$"
)
RED_HEADER = re.compile(r"文件$|^附件\s*\d*[：:]?$|^(?:特急|加急|急件|平急|机密|秘密|绝密|★)")
PLACE_HEAD = re.compile(
    r"^(?:中共)?([\u4e00-\u9fff]{2,12}?(?:省|市|区|县|旗|州|盟|镇|乡|街道|苏木))"
)

# Chinese reasons for the lines of the title block and closing block left out of the body.
TITLE, ISSUER, DATE, NUMBER, ADDRESSEE_REASON = "标题", "发文机关/署名", "日期", "文号", "主送机关"
PRINTED, DUPLICATE, CLOSING_WORDS, NAVIGATION = "印发说明", "重复标题", "结束语", "页面导航"


@dataclass
class FrontMatter:
    header: list[str] = field(default_factory=list)  # red-header lines above the title
    title: list[str] = field(default_factory=list)
    addressee: str | None = None
    body: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)  # lines above the title that are site chrome
    after_title: list[str] = field(default_factory=list)  # doc number / date under the title
    duplicates: list[str] = field(default_factory=list)  # second copies of the title


def split_report(lines: list[str]) -> FrontMatter:
    core = _title_core(lines)
    if core is None:
        body, closing = _strip_closing(lines)
        return FrontMatter(body=body, closing=closing)
    start = _title_start(lines, core)
    end = _body_start(lines, core)
    header, stray = _split_header(lines[:start], lines[core])
    front = FrontMatter(header, lines[start:end], stray=stray)
    body, front.closing = _strip_closing(lines[end:])
    front.body = _strip_under_title(front, body)
    return front


def _split_header(lines: list[str], core: str) -> tuple[list[str], list[str]]:
    """Red-header lines (issuer, 文件, doc number, signer) and the rest, which is site chrome."""
    header: list[str] = []
    stray: list[str] = []
    for line in lines:
        (header if _is_red_header(line, core) else stray).append(line)
    return header, stray


def _is_red_header(line: str, core: str) -> bool:
    if _header_meta(line) or RED_HEADER.search(line.replace(" ", "")):
        return True
    return _title_prefix(line) and not _foreign(line, core)


def _foreign(line: str, core: str) -> bool:
    """A place line above a title that names its own, different place (`福州市` over `福建省…`)."""
    own = PLACE_HEAD.match(simplified(core))
    above = PLACE_HEAD.match(simplified(line.replace(" ", "")))
    return bool(own and above) and above.group(1) not in simplified(core)


def _strip_under_title(front: FrontMatter, body: list[str]) -> list[str]:
    """Doc number, date, addressee and a second copy of the title between title and body."""
    title = _squash("".join(front.title))
    for _ in range(6):
        if not body:
            break
        first = body[0].replace(" ", "").replace("\u3000", "")
        if DOC_NUMBER_LINE.match(first) or DATE_LINE.match(first):
            front.after_title.append(body.pop(0))
        elif title and _squash(first) in (title, *map(_squash, front.title)):
            front.duplicates.append(body.pop(0))
        elif front.addressee is None and ADDRESSEE.match(body[0]) and ADDRESSEE_WORD.search(first):
            front.addressee = body.pop(0)
        elif title and len(title) >= 8 and _squash(first).startswith(title):
            front.duplicates.append(front.title[-1] if len(front.title) == 1 else title)
            body[0] = _cut_prefix(body[0], title)
        else:
            break
    return body


def _cut_prefix(line: str, squashed: str) -> str:
    """The line after its first len(squashed) non-space characters."""
    seen = 0
    for i, ch in enumerate(line):
        if not ch.isspace():
            seen += 1
        if seen == len(squashed):
            return line[i + 1 :].lstrip()
    return ""


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _title_core(lines: list[str]) -> int | None:
    """The line that says what the report is; a title broken over two lines counts too.

    The title is among the first TITLE_SCAN lines, or further down after a site menu,
    as long as no body line came before it.
    """
    for i, line in enumerate(lines[:TITLE_SCAN_MENU]):
        if _is_body_line(line):
            if i >= TITLE_SCAN:
                return None
            continue
        plain = simplified(line)
        following = [simplified(x) for x in lines[i + 1 : i + 2]]
        if TITLE_CORE.search(plain) or _title_spans_break(plain, following):
            return i
    return None


def _title_spans_break(line: str, following: list[str]) -> bool:
    """A title broken mid-phrase: `…关于2023年法` / `治政府建设情况的报告`."""
    if not following or _is_body_line(following[0]) or _header_meta(line):
        return False
    m = TITLE_CORE.search(line + following[0])
    return bool(m and m.start() < len(line) < m.end())


def _is_body_line(line: str) -> bool:
    return bool(
        parse_heading(line)
        or BODY_PUNCT.search(line)
        or len(line) > 60
        or line.endswith(("：", ":"))
    )


def _title_start(lines: list[str], core: int) -> int:
    """Walk back over issuer lines that belong to the title; stop at a doc number or signer."""
    start = core
    while start > 0 and _title_prefix(lines[start - 1]):
        if _header_meta(lines[start - 1]) or _foreign(lines[start - 1], lines[core]):
            break
        start -= 1
    return start


def _title_prefix(line: str) -> bool:
    """An issuer or place-name line printed above the title proper."""
    return bool(ORG_LINE.match(line.replace(" ", "")) or PLACE_LINE.match(line))


def _header_meta(line: str) -> bool:
    return bool(DOC_NUMBER.search(line) or SIGNER.match(line) or DATE_LINE.match(line))


def _body_start(lines: list[str], core: int) -> int:
    end = core + 1
    while end < len(lines) and end < core + 4 and not _is_body_line(lines[end]):
        if not _title_continues(lines[end]) or lines[end] in lines[core:end]:
            break
        end += 1
    return end


def _title_continues(line: str) -> bool:
    """A subtitle, a second title line, or the tail of a title broken over two lines."""
    line = simplified(line)
    return bool(
        TITLE_TAIL.match(line)
        or TITLE_CORE.search(line)
        or "会议上" in line
        or re.match(r"^[（(——\-].*[）)]?$", line)
        or re.search(r"(?:大会|委员会|常务委员会)$", line)
    )


def _strip_closing(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off the closing block (特此报告, issuer names, date) from the end of the body."""
    end = len(lines)
    while end > 0 and _is_closing_line(lines[end - 1]):
        end -= 1
    return lines[:end], lines[end:]


def _is_closing_line(line: str) -> bool:
    compact = line.replace(" ", "").replace("\u3000", "")
    return bool(
        CLOSING.match(compact)
        or (len(compact) <= 50 and PRINT_NOTE.match(compact) and not BODY_PUNCT.search(compact))
        or DATE_LINE.match(compact)
        or SIGNER.match(compact)
        or (len(compact) <= 40 and ORG_LINE.match(compact) and not parse_heading(compact))
    )


def split_orgs(line: str) -> list[str]:
    """`中共楠木铺乡党委楠木铺乡人民政府` → two issuers; whitespace and 、 separate too."""
    orgs: list[str] = []
    for part in re.split(r"[\s、，,]+", line.strip()):
        pieces = PARTY_ORG_END.split(part) if part.startswith("中共") else [part]
        orgs.extend(piece for piece in pieces if piece)
    return [org for org in orgs if ORG.fullmatch(org)]


def issuers(front: FrontMatter) -> list[str]:
    """Issuers named by the title (or the red header), else by the closing block."""
    for lines in (front.title, front.header, _signing_orgs(front.closing)):
        found = [org for line in lines for org in _issuer_orgs(line)]
        if found:
            return list(dict.fromkeys(found))
    return []


ISSUER_END = re.compile(r"关于|\d{4}\s*年|[〇○零一二三四五六七八九]{4}年")


def _issuer_orgs(line: str) -> list[str]:
    text = normalize_numbers(line)
    plain = simplified(text)  # 關於 ends a traditional issuer as 关于 does
    end = ISSUER_END.search(plain if len(plain) == len(text) else text)
    head = text[: end.start()] if end else text
    if DOC_NUMBER.search(line) or SIGNER.match(line):
        return []
    orgs = split_orgs(head)
    return orgs if "".join(orgs) == re.sub(r"[\s、，,]", "", head) else []


def _signing_orgs(closing: list[str]) -> list[str]:
    """Organisation lines of the closing block, except a printing office (`…办公室` over `…日印`)."""
    orgs = []
    for i, line in enumerate(closing):
        printed = i + 1 < len(closing) and closing[i + 1].rstrip().endswith(("印", "印发"))
        if ORG_LINE.match(line.replace(" ", "")) and not printed:
            orgs.append(line)
    return orgs


def doc_number(front: FrontMatter, meta: dict[str, str] | None = None) -> str | None:
    """The doc number of the red header or title block, else the metadata block's 文号."""
    for line in front.header + front.title + front.after_title:
        m = DOC_NUMBER.search(line)
        if m:
            return re.sub(r"\s+", "", m.group(0))
    value = (meta or {}).get("doc_number")
    return re.sub(r"\s+", "", value) if value else None


def issued(front: FrontMatter, meta: dict[str, str] | None = None) -> str | None:
    """The date in the closing block, else the metadata block's 成文日期, else under the title."""
    for line in reversed(front.closing):
        date = find_date(line)
        if date:
            return date
    date = find_meta_date((meta or {}).get("issued", ""))
    if date:
        return date
    for line in front.after_title + front.title[1:]:
        date = find_date(line)
        if date:
            return date
    return None


def furniture(front: FrontMatter) -> list[Dropped]:
    """Every line of the title and closing blocks, with the reason it is not body text."""
    out = [Dropped(line, _header_reason(line)) for line in front.header]
    out += [Dropped(line, NAVIGATION) for line in front.stray]
    out += [Dropped(line, TITLE) for line in front.title]
    out += [Dropped(line, _header_reason(line)) for line in front.after_title]
    out += [Dropped(line, DUPLICATE) for line in front.duplicates]
    if front.addressee:
        out.append(Dropped(front.addressee, ADDRESSEE_REASON))
    for i, line in enumerate(front.closing):
        printer = i + 1 < len(front.closing) and _is_print_note(front.closing[i + 1])
        out.append(Dropped(line, PRINTED if printer else _closing_reason(line)))
    return out


def _is_print_note(line: str) -> bool:
    compact = line.replace(" ", "").replace("\u3000", "")
    return compact.endswith(("印", "印发")) and bool(PRINT_NOTE.match(compact))


def _header_reason(line: str) -> str:
    compact = line.replace(" ", "").replace("\u3000", "")
    if DOC_NUMBER.search(compact):
        return NUMBER
    if DATE_LINE.match(compact):
        return DATE
    return ISSUER


def _closing_reason(line: str) -> str:
    compact = line.replace(" ", "").replace("\u3000", "")
    if _is_print_note(compact) or re.match(r"^(?:抄送|抄报|联系人|联系电话|附件)[：:]", compact):
        return PRINTED
    if DATE_LINE.match(compact):
        return DATE
    if CLOSING.match(compact):
        return CLOSING_WORDS
    return ISSUER
