"""The comparison table (towns × years) and its bar chart, laid out on the server as plain numbers:
each bar's share of the largest count, which the page draws as a bar that wide."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.compare import Comparison
from search.figures import Figures
from search.request import SearchRequest

from .state import url

MAX_BARS = 40
MIN_SHARE = 0.5  # percent: a town with a match always shows a sliver of a bar


@dataclass
class Cell:
    count: int | None  # None: no report from this town for that year
    url: str | None = None
    figures: list[str] = field(default_factory=list)  # the achieved values given for the term


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: int
    url: str  # all matches of this town


@dataclass
class Bar:
    label: str
    total: int
    share: float  # percent of the largest total, the bar's width
    url: str


@dataclass
class Chart:
    bars: list[Bar]
    cut: int  # towns left out of the chart


@dataclass
class Table:
    years: list[int]
    rows: list[Row] = field(default_factory=list)  # towns that mention the term
    silent: list[Row] = field(default_factory=list)  # towns in the filter that never do
    chart: Chart | None = None


def comparison_table(
    comparison: Comparison, state: SearchRequest, figures: Figures | None = None
) -> Table:
    """`figures`: the term's achieved figures, shown beside each cell's count (plans never are)."""
    years = sorted({r.year for r in comparison.rows if r.year}, reverse=True)
    given: dict[tuple, list[str]] = {}
    for f in figures.figures if figures else ():
        if f.shown and f.kind == "achieved":
            given.setdefault((f.region_path, f.year), []).append(f.label)
    towns: dict[tuple[str, ...], dict[int | None, int]] = {}
    for row in comparison.rows:
        counts = towns.setdefault(row.region_path, {})
        counts[row.year] = counts.get(row.year, 0) + row.count
    table = Table(years)
    for path, counts in towns.items():
        region = "/".join(path)
        town = state.with_filters(region=[region] if region else [])
        cells = [
            Cell(counts[y], url(town.with_filters(year=[str(y)])) if counts[y] else None,
                 given.get((path, y), []))
            if y in counts
            else Cell(None)
            for y in years
        ]  # fmt: skip
        total = sum(counts.values())
        row = Row(" › ".join(path) or "地区不详", cells, total, url(town))
        (table.rows if total else table.silent).append(row)
    table.chart = _chart(table.rows) if table.rows else None
    return table


def _chart(rows: list[Row]) -> Chart:
    ranked = sorted(rows, key=lambda r: -r.total)[:MAX_BARS]
    most = max(r.total for r in ranked)
    bars = [
        Bar(" › ".join(row.label.split(" › ")[-2:]), row.total,
            max(MIN_SHARE, round(100 * row.total / most, 2)), row.url)
        for row in ranked
    ]  # fmt: skip
    return Chart(bars, len(rows) - len(bars))
