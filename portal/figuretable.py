"""The figures view laid out on the server: towns × years with each value linked to its
sentence, subtotals per county and city where the values can be added, a small bar chart per town
across the years (plain numbers the template draws as SVG), and the towns that give no figure."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.indicators import INDICATORS
from search.figures import ALL, DEFAULT_KIND, KIND_LABELS, FigureRow, Figures, Place
from search.request import SearchRequest

from .state import url
from .viewmodels import Link, paragraph_url

KIND_CHOICES = {**KIND_LABELS, ALL: "全部"}
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 240, 64, 6  # a town's trend chart, in SVG units
COMBINED_NOTE = "与其他人员合计，未单列"
SAME_UNIT = {"名": "人", "位": "人"}  # people are counted in 名, 人 or 位 alike
MAX_SENTENCES = 200  # listed under the table; every one is in the CSV


@dataclass
class Value:
    text: str
    url: str
    sentence: str
    kind: str


@dataclass
class Cell:
    values: list[Value] = field(default_factory=list)
    report: bool = False  # the town has a report of that year


@dataclass
class Bar:
    year: int
    label: str
    x: float
    y: float
    width: float
    height: float


@dataclass
class Trend:
    bars: list[Bar]
    summary: str  # what the chart shows, as text


@dataclass
class Row:
    label: str
    path: tuple[str, ...]
    url: str  # this town's figures
    cells: list[Cell]
    trend: Trend | None = None


@dataclass
class Subtotal:
    label: str  # 重庆市 › 大足区 合计
    cells: list[str]  # per year: the sum, or why there is none


@dataclass
class Silent:
    label: str
    why: str  # 未提到, 提到但未给出数字, 合并计数
    url: str | None  # the sentences that mention it


@dataclass
class Table:
    years: list[int]
    rows: list[Row] = field(default_factory=list)
    subtotals: list[Subtotal] = field(default_factory=list)
    silent: list[Silent] = field(default_factory=list)
    values: int = 0  # shown values
    sentences: list[tuple[str, Value]] = field(default_factory=list)  # (town, value), the first
    more: int = 0  # values whose sentences are left out of the list (see the CSV)


def _value(f: FigureRow, q: str) -> Value:
    return Value(f.label, paragraph_url(f.report_id, f.paragraph_id, q), f.sentence, f.kind)


def figures_table(found: Figures, state: SearchRequest, q: str) -> Table:
    """`q` marks the term in the linked reports (the indicator's wording in indicator mode)."""
    years = sorted({p.year for p in found.places if p.year})
    by_town: dict[tuple[str, ...], list[Place]] = {}
    for place in found.places:
        by_town.setdefault(place.region_path, []).append(place)
    table = Table(years)
    for path, places in by_town.items():
        mine = [f for f in found.figures if f.region_path == path]
        shown = [f for f in mine if f.shown]
        label = " › ".join(path) or "地区不详"
        if not shown:
            table.silent.append(_silent(label, mine, state, path))
            continue
        cells = []
        for year in years:
            cell = Cell(report=any(p.year == year for p in places))
            cell.values = [_value(f, q) for f in shown if f.year == year]
            cells.append(cell)
        town = state.with_filters(region=["/".join(path)] if path else [])
        row = Row(label, path, url(town, "figures.table"), cells)
        row.trend = _trend(years, [[f for f in shown if f.year == y] for y in years])
        table.rows.append(row)
        table.values += len(shown)
    if found.kind == DEFAULT_KIND:
        table.subtotals = _subtotals(table, found)
    every = [(row.label, v) for row in table.rows for cell in row.cells for v in cell.values]
    table.sentences, table.more = every[:MAX_SENTENCES], max(0, len(every) - MAX_SENTENCES)
    return table


def _silent(label: str, mine: list[FigureRow], state, path) -> Silent:
    if not mine:
        return Silent(label, "未提到", None)
    town = url(state.with_filters(region=["/".join(path)] if path else []), "figures.table")
    if any(f.combined for f in mine):
        return Silent(label, f"只有合并计数（{COMBINED_NOTE}）", town)
    return Silent(label, "提到但未给出数字", town)


def _trend(years: list[int], per_year: list[list[FigureRow]]) -> Trend | None:
    """Bars for the years with one value each in one unit (the unit of the first such year)."""
    single = [(y, fs[0]) for y, fs in zip(years, per_year, strict=True) if len(fs) == 1]
    if not single:
        return None
    unit = single[0][1].unit
    points = [(y, f) for y, f in single if f.unit == unit]
    most = max(f.value for _, f in points) or 1
    slot = CHART_WIDTH / max(len(years), 1)
    bars = []
    for y, f in points:
        height = max(2.0, round((CHART_HEIGHT - 16) * f.value / most, 1))
        x = round(years.index(y) * slot + BAR_GAP / 2, 1)
        bars.append(Bar(y, f.label, x, round(CHART_HEIGHT - 14 - height, 1),
                        round(slot - BAR_GAP, 1), height))  # fmt: skip
    summary = "；".join(f"{b.year}年 {b.label}" for b in bars)
    return Trend(bars, summary)


def _subtotals(table: Table, found: Figures) -> list[Subtotal]:
    """Per county and per city with at least two towns in the table: each year's sum where the
    towns' values can be added (one value each, one unit, not a rate), and of how many of the
    group's towns with a report that year."""
    shown = {row.path for row in table.rows}
    groups: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for place in found.places:
        path = place.region_path
        for depth in (len(path) - 1, len(path) - 2):
            if depth >= 1:
                groups.setdefault(path[:depth], set()).add(path)
    subtotals = []
    for group, paths in sorted(groups.items()):
        if len(paths & shown) < 2:
            continue
        cells = []
        for year in table.years:
            reporting = {p.region_path for p in found.places
                         if p.year == year and p.region_path in paths}  # fmt: skip
            values = [f for f in found.figures
                      if f.shown and f.year == year and f.region_path in paths]  # fmt: skip
            cells.append(_sum(values, len(reporting)))
        subtotals.append(Subtotal(" › ".join(group) + " 合计", cells))
    return subtotals


def _sum(figures: list[FigureRow], towns: int) -> str:
    if not figures:
        return "—"
    per_town: dict[tuple[str, ...], list[FigureRow]] = {}
    for f in figures:
        per_town.setdefault(f.region_path, []).append(f)
    if any(len(fs) > 1 for fs in per_town.values()):
        return "不汇总：有地区给出多个数字"
    units = {SAME_UNIT.get(f.unit, f.unit) for f in figures}
    if len(units) > 1:
        return "不汇总：单位不同"
    unit = units.pop()
    if unit in ("%", "‰"):
        return "不汇总：比率不能相加"
    if any(f.bound == "at_most" for f in figures):
        return "不汇总：含上限数"
    total = FigureRow("", "", "", None, (), None, sum(f.value for f in figures), unit,
                      any(f.approx for f in figures),
                      "at_least" if any(f.bound == "at_least" for f in figures) else None,
                      "achieved", False, "")  # fmt: skip
    notes = [f"{len(per_town)}/{towns} 个地区给出数字"]
    if total.approx and not all(f.approx for f in figures):
        notes.append("含约数")
    return f"{total.label}（{'，'.join(notes)}）"


def kind_links(found: Figures, state: SearchRequest) -> list[Link]:
    return [
        Link(label, url(state, "figures.table", kind="" if kind == DEFAULT_KIND else kind),
             found.counts.get(kind), selected=found.kind == kind)
        for kind, label in KIND_CHOICES.items()
    ]  # fmt: skip


def indicator_links(found: Figures, state: SearchRequest) -> list[Link]:
    current = found.indicator.name if found.indicator else ""
    return [
        Link(i.label, url(state, "figures.table", q="", named=(), indicator=i.name),
             selected=current == i.name)
        for i in INDICATORS
    ]  # fmt: skip
