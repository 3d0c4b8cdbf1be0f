"""The figures a sentence gives for a term: `培育“法律明白人”56名` → 56 名.

One pure function, `figures_in(sentence, term)`, used at index time for the standard indicators
(indexer/derived.py) and at query time for any term (search/figures.py). It is conservative: a
value is attached to the term only when the sentence's structure says so —

- the term directly followed by the number and its unit, with at most a few connecting words
  (`共有“法律明白人”28名`, `行政复议案件0件`, `行政执法人员共 28 名`, `调解成功率达95%以上`);
- the number and unit directly before it (`12名持证执法人员`, `40人乡村“法律明白人”队伍`), the
  term then ending its clause or followed by a word that keeps the number its own (队伍, 参加…);
- a number shared by a list of nouns (`法律联络员、法律明白人、人民调解员46名`) is *combined*: no
  value of the term's own;
- anything else in a sentence holding a number gives the term's mention without a value.

Numbers are Arabic, Chinese (四十, 两, 百分之九十八) or mixed (1.2万, 3万余); years, dates,
document numbers, ordinals (第3, 一是) and numbers without a unit are never figures.
Qualifiers: 余/多/约/近/左右 make a value approximate; 不少于/以上/达到/超过 make it a lower
bound (`at_least`), 不超过/以下/以内 an upper one (`at_most`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .analysis import TRANSPARENT
from .model import SECTIONS
from .variants import character_map

AT_LEAST, AT_MOST = "at_least", "at_most"
ACHIEVED, PLANNED, PROBLEM, OTHER = "achieved", "planned", "problem", "other"
KINDS = (ACHIEVED, PLANNED, PROBLEM, OTHER)
# The kind of a figure follows the outline part of its paragraph. 前言 reports the year's work
# (2023年，…开展…), so it counts as achieved; 其他需要报告的情况 and an unknown part are other.
KIND_OF_SECTION = dict(
    zip(SECTIONS, (ACHIEVED, ACHIEVED, ACHIEVED, PROBLEM, PLANNED, OTHER), strict=True)
)

UNITS = sorted(
    ("万元", "亿元", "元", "件次", "人次", "场次", "户次", "家次", "辆次", "个百分点", "%", "‰",
     "名", "人", "位", "件", "起", "次", "场", "期", "个", "户", "份", "家", "条", "项", "宗", "篇",
     "册", "套", "处", "所", "支", "批", "本", "张", "部", "台", "辆", "学时", "课时", "小时", "天",
     "栋", "间", "块", "幅"),
    key=len, reverse=True,
)  # fmt: skip
# A unit character that begins a word instead (人民, 期间, 部门 …) is no unit there.
NOT_UNIT_BEFORE = {
    "名": "单额义誉", "人": "民员口大才士身", "期": "间限", "家": "庭长属", "部": "门署分",
    "条": "例件款", "场": "所镇地景", "处": "理罚置分", "户": "籍口外", "项": "目", "所": "有属在得",
    "本": "级年地人领", "张": "贴", "台": "账", "支": "持部付", "个": "人别性体", "起": "诉草来",
    "次": "数要", "元": "旦素", "位": "置于", "件": "事", "间": "隙", "块": "钱",
}  # fmt: skip
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}  # fmt: skip
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = "".join(CN_DIGITS) + "十百千万亿"
# Chinese numerals that are words, not counts (一起 = together, 一次性 = once and for all).
CN_IDIOMS = ("一起", "一次性", "一件事", "一批次", "一个中心", "一支队伍", "一张网", "一张图",
             "一本账", "一台账", "一部分", "一处")  # fmt: skip

_NUMBER = (
    r"(?P<pct>百分之)?"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[" + CN_CHARS + r"]+)"
    r"(?P<mult>万(?!元)|亿(?!元))?(?P<more>\s*(?:余|多))?\s*"
)
NUMBER = re.compile(_NUMBER)
_UNIT = "(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + ")"
FIGURE = re.compile(_NUMBER + _UNIT + r"?(?P<after>余|多)?(?P<suffix>以上|以下|以内|左右|上下)?")
# Words between a term and its number: (text, bound, approx).
CONNECTORS = [
    ("共有", None, False), ("共计", None, False), ("合计", None, False), ("总计", None, False),
    ("累计", None, False), ("共", None, False), ("总数", None, False), ("人数", None, False),
    ("数量", None, False), ("已达到", AT_LEAST, False), ("已达", AT_LEAST, False),
    ("达到", AT_LEAST, False), ("达", AT_LEAST, False), ("不少于", AT_LEAST, False),
    ("不低于", AT_LEAST, False), ("至少", AT_LEAST, False), ("超过", AT_LEAST, False),
    ("逾", AT_LEAST, False), ("不超过", AT_MOST, False), ("不高于", AT_MOST, False),
    ("最多", AT_MOST, False), ("大约", None, True), ("约", None, True), ("近", None, True),
    ("均为", None, False), ("均", None, False), ("为", None, False), ("有", None, False),
    ("是", None, False), ("控制在", None, False), (":", None, False),
]  # fmt: skip
SUFFIX_BOUND = {"以上": AT_LEAST, "以下": AT_MOST, "以内": AT_MOST}
SUFFIX_APPROX = ("左右", "上下")
OPENING = "“‘「『《〈\"'"
CLOSING = "”’」』》〉\"'"
JOINERS = ("以及", "、", "和", "及", "与")
NOT_JOINED_AFTER = {"与": "参给授", "及": "涉普危波触", "和": "平谐缓温祥"}  # 参与, 涉及, 和谐…
CLAUSE_BREAKS = ",;:。!?;；，：。！？()（）\n"
# Words that may stand between a number and the term after it (40人乡村“法律明白人”).
MODIFIERS = ("乡村", "村级", "镇级", "专职", "兼职", "优秀", "骨干", "的", "持证")
# What may follow a term whose number stands before it, the number still its own.
AFTER_OK = ("队伍", "参加", "参与", "开展", "进行", "全部", "均", "共同", "积极", "通过", "取得",
            "上岗", "担任", "到", "在", "已", ",", "、", "队", "等")  # fmt: skip
NOT_BEFORE_NUMBER = "第〔[【(（.·-/#"


@dataclass(frozen=True)
class Figure:
    """What a sentence says for one mention of a term: a value, or none (`value` None) when the
    structure does not attach one; `combined` when the number is shared with other nouns."""

    value: float | None
    unit: str = ""
    approx: bool = False
    bound: str | None = None
    combined: bool = False
    start: int = 0  # the mention's span in the sentence
    end: int = 0

    @property
    def shown(self) -> bool:
        """Whether this figure is the term's own value."""
        return self.value is not None and not self.combined


class _SameLength(dict):
    """ord(ch) → ch folded for matching (NFKC, lower case, simplified), when that is one
    character; else ch itself. `str.translate` with it keeps every offset."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch).lower().translate(character_map())
        self[code] = folded if len(folded) == 1 else ch
        return self[code]


_SAME_LENGTH = _SameLength()
_DROP = str.maketrans("", "", TRANSPARENT)
_TRANSPARENT_RE = re.compile("[" + re.escape(TRANSPARENT) + "]")


def fold(text: str) -> str:
    """The text folded per character for matching (NFKC, lower case, simplified characters), the
    same length as `text`, quotation marks kept (a quote separates a term from a number)."""
    return text.translate(_SAME_LENGTH)


def chinese_number(text: str) -> int | None:
    """四十 → 40, 两 → 2, 一百二十 → 120, 三万 → 30000; digit-by-digit spellings such as 二〇二三
    (a year) are None."""
    if not text or any(ch not in CN_CHARS for ch in text):
        return None
    if "〇" in text or (len(text) > 1 and all(ch in CN_DIGITS for ch in text)):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and CN_DIGITS[ch] != 0:
                return None  # two digits in a row: 二三
            digit = CN_DIGITS[ch] if CN_DIGITS[ch] else None
        elif ch in CN_UNITS:
            section += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        else:  # 万, 亿
            section += digit or 0
            total = (total + section) * (10_000 if ch == "万" else 100_000_000)
            section, digit = 0, None
    return total + section + (digit or 0)


def _number(match: re.Match) -> float | None:
    raw = match["num"]
    if raw[0].isdigit():
        value = float(raw.replace(",", ""))
    else:
        found = chinese_number(raw)
        if found is None:
            return None
        value = float(found)
    if match["mult"]:
        value *= 10_000 if match["mult"] == "万" else 100_000_000
    return value


def _figure_at(text: str, at: int) -> tuple[Figure, int] | None:
    """The number, unit and qualifiers starting at `at`, and where they end; None when what
    stands there is no figure (no unit, a year, an ordinal, part of a word)."""
    match = FIGURE.match(text, at)
    if not match or not match["num"]:
        return None
    if at and (text[at - 1] in NOT_BEFORE_NUMBER or text[at - 1].isdigit()):
        return None
    unit = match["unit"] or ("%" if match["pct"] else "")
    if match["pct"] and match["unit"]:
        return None
    if not unit and not match["mult"]:
        return None
    end = match.end()
    if unit and unit[-1] in NOT_UNIT_BEFORE and not match["after"] and not match["suffix"]:
        following = text[match.end("unit") : match.end("unit") + 1]
        if following and following in NOT_UNIT_BEFORE[unit[-1]]:
            return None
    if not match["num"][0].isdigit() and text.startswith(CN_IDIOMS, match.start("num")):
        return None
    value = _number(match)
    if value is None:
        return None
    suffix = match["suffix"] or ""
    approx = bool(match["more"] or match["after"]) or suffix in SUFFIX_APPROX
    return Figure(value, unit, approx, SUFFIX_BOUND.get(suffix)), end


def _clause_start(text: str, at: int) -> int:
    while at > 0 and text[at - 1] not in CLAUSE_BREAKS:
        at -= 1
    return at


def _clause_end(text: str, at: int) -> int:
    while at < len(text) and text[at] not in CLAUSE_BREAKS:
        at += 1
    return at


def _skip(text: str, at: int, chars: str) -> int:
    while at < len(text) and (text[at] in chars or text[at].isspace()):
        at += 1
    return at


def _after(text: str, end: int) -> tuple[Figure, str] | None:
    """The figure right after a term (past closing quotes and connecting words), with what
    connected it; None when something else stands between."""
    at, bound, approx = _skip(text, end, CLOSING), None, False
    for _ in range(3):
        for word, word_bound, word_approx in CONNECTORS:
            if text.startswith(word, at):
                at = _skip(text, at + len(word), "")
                bound, approx = bound or word_bound, approx or word_approx
                break
        else:
            break
    found = _figure_at(text, at)
    if found is None:
        return None
    figure, _ = found
    return (
        Figure(figure.value, figure.unit, figure.approx or approx, figure.bound or bound),
        text[end:at],
    )


# A figure ending a piece of text: the number (with its qualifiers before it) and unit.
_ENDING = re.compile(
    r"(?P<qual>约|近|大约|超过|不少于|不低于|至少|逾)?" + _NUMBER + _UNIT + r"(?P<after>余|多)?\s*$"
)


def _before(text: str, start: int) -> Figure | None:
    """The figure standing right before a term (past opening quotes and a modifier)."""
    at = start
    while at > 0 and (text[at - 1] in OPENING or text[at - 1].isspace()):
        at -= 1
    for word in MODIFIERS:
        if text.endswith(word, 0, at):
            at -= len(word)
            while at > 0 and text[at - 1] in OPENING:
                at -= 1
            break
    head = text[_clause_start(text, at) : at]
    match = _ENDING.search(head)
    if not match or _per_something(text, at - len(head) + match.start()):
        return None
    found = _figure_at(head, match.start("pct") if match["pct"] else match.start("num"))
    if found is None:
        return None
    figure, _ = found
    qual = match["qual"] or ""
    bound = AT_LEAST if qual in ("超过", "不少于", "不低于", "至少", "逾") else None
    return Figure(figure.value, figure.unit, figure.approx or qual in ("约", "近", "大约"), bound)


PER = ("每", "平均", "人均", "户均", "村均")  # a count per village, per person, …: no total


def _per_something(text: str, at: int) -> bool:
    """Whether the number (or term) at `at` counts per something (每村1名, 每个村（社区）配备1名,
    村均2名): such a word since the last comma, brackets included."""
    since = max(text.rfind(mark, 0, at) for mark in ",;:，；：。")
    return any(word in text[since + 1 : at] for word in PER)


def _joined_before(text: str, start: int) -> bool | None:
    """Whether the term is a later item of a list (`A、B`): True when the item before it has
    no figure of its own at its end (the list shares one), False when it has one, None when the
    term is no list item."""
    at = start
    while at > 0 and (text[at - 1] in OPENING or text[at - 1].isspace()):
        at -= 1
    for joiner in JOINERS:
        if text.endswith(joiner, 0, at) and not _word_ending(text, at, joiner):
            item = text[_clause_start(text, at - len(joiner)) : at - len(joiner)].rstrip(CLOSING)
            return _ENDING.search(_strip_suffix(item)) is None
    return None


def _word_ending(text: str, at: int, joiner: str) -> bool:
    """Whether the joiner ending at `at` is the end of a word (参与, 涉及) rather than 和/与/及."""
    before = text[at - len(joiner) - 1 : at - len(joiner)]
    return bool(before) and before in NOT_JOINED_AFTER.get(joiner, "")


def _strip_suffix(item: str) -> str:
    for suffix in ("以上", "以下", "以内", "左右"):
        if item.endswith(suffix):
            return item[: -len(suffix)]
    return item


def _joined_after(text: str, end: int) -> bool:
    """Whether the term is followed by more items of a list that a number after it closes."""
    at = _skip(text, end, CLOSING)
    if not text.startswith(JOINERS, at):
        return False
    rest = text[at : _clause_end(text, at)]
    return any(_figure_at(rest, m.start()) for m in NUMBER.finditer(rest))


def _plain_copula(between: str, figure: Figure) -> bool:
    """为/是/有 alone before a count (法律顾问为15个村…) says nothing about the term; before a
    percentage (调解成功率为100%) it gives the rate."""
    words = between.strip(CLOSING + " ")
    return words in ("为", "是", "有", "均为") and figure.unit != "%"


def _ends_clause(text: str, end: int) -> bool:
    at = _skip(text, end, CLOSING)
    return at >= len(text) or text[at] in CLAUSE_BREAKS or text.startswith(AFTER_OK, at)


def _has_figure(text: str) -> bool:
    return any(_figure_at(text, m.start()) for m in NUMBER.finditer(text))


@dataclass(frozen=True)
class _Sentence:
    text: str  # folded, the same length as the sentence
    any_figure: bool
    plain: str = ""  # without quotation marks, for finding terms
    holes: tuple[int, ...] = ()  # where `text` has a quotation mark `plain` has not (ascending)

    def position(self, at: int) -> int:
        """Where the character at `at` of `plain` stands in `text`."""
        for hole in self.holes:
            if hole > at:
                break
            at += 1
        return at


@lru_cache(maxsize=64)
def _read(sentence: str) -> _Sentence:
    """A sentence folded, whether it holds a figure at all, and its form for finding terms (one
    sentence is read for several terms in a row)."""
    text = fold(sentence)
    if not _has_figure(text):
        return _Sentence(text, False)
    holes = tuple(m.start() for m in _TRANSPARENT_RE.finditer(text))
    return _Sentence(text, True, text.translate(_DROP) if holes else text, holes)


def holds(folded: str, needle: str) -> bool:
    """Whether a folded text holds a folded needle, quotation marks aside."""
    return needle in folded or needle in folded.translate(_DROP)


def _mentions(read: _Sentence, needle: str) -> list[tuple[int, int]]:
    """Spans of the folded sentence where the needle stands, quotation marks inside ignored."""
    spans, at = [], read.plain.find(needle)
    while needle and at >= 0:
        spans.append((read.position(at), read.position(at + len(needle) - 1) + 1))
        at = read.plain.find(needle, at + len(needle))
    return spans


def figures_in(sentence: str, term: str) -> list[Figure]:
    """One figure per mention of `term` in a sentence holding some figure (none otherwise)."""
    read = _read(sentence)
    needle = "".join(ch for ch in fold(term) if ch not in TRANSPARENT)
    if not needle or not read.any_figure or needle not in read.plain:
        return []
    return [_mention(read.text, start, end) for start, end in _mentions(read, needle)]


def _mention(text: str, start: int, end: int) -> Figure:
    span = {"start": start, "end": end}
    listed = _joined_before(text, start)
    after = _after(text, end)
    before = None if after else _before(text, start)
    followed = text.startswith(JOINERS, _skip(text, end, CLOSING))
    shared = _has_figure(text[_clause_start(text, start) : _clause_end(text, end)])
    if shared and (listed or _joined_after(text, end) or (before and followed)):
        return Figure(None, combined=True, **span)
    if after and before is None:
        figure, between = after
        if ("分别" in between or text.startswith("各", end) or _plain_copula(between, figure)
                or _per_something(text, start)):  # fmt: skip
            return Figure(None, **span)
        return Figure(figure.value, figure.unit, figure.approx, figure.bound, **span)
    if before and _ends_clause(text, end) and listed is None:
        return Figure(before.value, before.unit, before.approx, before.bound, **span)
    return Figure(None, **span)


def telling(found: list[Figure]) -> list[Figure]:
    """A sentence's figures worth listing: those with a value or marked combined, else its
    first mention alone (one sentence without a value is shown once)."""
    told = [f for f in found if f.value is not None or f.combined]
    return told or found[:1]


def kind_of(section: str) -> str:
    """achieved, planned, problem or other, from the paragraph's outline part."""
    return KIND_OF_SECTION.get(section, OTHER)


SENTENCE = re.compile(r"[^。！？；!?;\r\n]+[。！？；!?;]*")


def sentences(text: str) -> list[tuple[int, str]]:
    """A paragraph's sentences (cut after 。！？；!?; and at line ends) with their offsets."""
    return [(m.start(), m[0]) for m in SENTENCE.finditer(text) if m[0].strip()]
