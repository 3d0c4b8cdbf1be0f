"""Figures behind the words: the values the reports give for a term or a standard indicator.

A term's figures are read at query time from the paragraphs the search finds for it (with the
request's filters and scope), sentence by sentence (indexer/figures.py); a standard indicator's
were read at build time (indexer/indicators.py) and are gathered here from the segments. Every
figure carries its kind, from its paragraph's outline part: achieved, planned, problem, other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from indexer.figures import KINDS, figures_in, fold, holds, kind_of, sentences, telling
from indexer.indicators import APPROX as APPROX_BIT
from indexer.indicators import BY_NAME, COMBINED, INDICATORS, Indicator, Table, bound_of
from indexer.model import Region

from .errors import BadRequest
from .facets import Facets
from .filters import Selection
from .query import Query
from .snapshot import NONE, ReportInfo, Shown, Snapshot

ALL = "all"
DEFAULT_KIND = "achieved"
KIND_LABELS = {"achieved": "成效", "planned": "计划", "problem": "不足", "other": "其他"}
KIND_NAMES = {**{k: k for k in KINDS}, **{v: k for k, v in KIND_LABELS.items()},
              ALL: ALL, "全部": ALL}  # fmt: skip
MAX_ROWS = 5_000  # paragraphs read for a term's figures; more are cut, with a message
CHECK_EVERY = 256
FIGURE_BYTES = 400  # a figure's objects and its sentence, about
BOUND_SIGNS = {"at_least": "≥", "at_most": "≤"}


def number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.4f}".rstrip("0").rstrip(".")


def kind_named(value: str) -> str:
    """A kind as typed (achieved, 计划, all …; empty: achieved); raises BadRequest."""
    value = (value or "").strip().lower() or DEFAULT_KIND
    if value not in KIND_NAMES:
        raise BadRequest(f"类型「{value}」无效，可选 achieved（成效）、planned（计划）、"
                         "problem（不足）、other（其他）或 all（全部）")  # fmt: skip
    return KIND_NAMES[value]


def indicator_named(value: str) -> Indicator | None:
    """A standard indicator by name (empty: none); raises BadRequest naming the choices."""
    value = (value or "").strip()
    if not value:
        return None
    if value not in BY_NAME:
        raise BadRequest(f"指标「{value}」不存在，可选：{'、'.join(BY_NAME)}")
    return BY_NAME[value]


@dataclass(frozen=True)
class FigureRow:
    """One figure with where it stands: report, paragraph, sentence, kind."""

    report_id: str
    paragraph_id: str
    title: str
    region: Region
    region_path: tuple[str, ...]
    year: int | None
    value: float | None  # None: the sentence gives no value of the term's own
    unit: str
    approx: bool
    bound: str | None  # at_least, at_most
    kind: str
    combined: bool  # the number is shared with other nouns: never the term's own value
    sentence: str

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.combined

    @property
    def label(self) -> str:
        """40 人, 约30,000 份, ≥95%: the value as the sentence gives it (shown values only)."""
        sign = ("约" if self.approx else "") + BOUND_SIGNS.get(self.bound, "")
        unit = self.unit if self.unit in ("%", "‰") else (f" {self.unit}" if self.unit else "")
        return f"{sign}{number(self.value)}{unit}"

    def to_json(self) -> dict:
        return {
            "report_id": self.report_id, "paragraph_id": self.paragraph_id,
            "region": self.region.as_dict(), "year": self.year, "value": self.value,
            "unit": self.unit, "approx": self.approx, "bound": self.bound, "kind": self.kind,
            "combined": self.combined, "sentence": self.sentence,
        }  # fmt: skip


@dataclass(frozen=True)
class Extracted:
    """A term's figures under one selection, as the engine caches them."""

    rows: tuple[FigureRow, ...]
    cut: int  # paragraphs left unread beyond MAX_ROWS (0: none)

    @property
    def nbytes(self) -> int:
        return FIGURE_BYTES * len(self.rows)


@dataclass
class Place:
    """A report the filters admit: the towns × years grid lists them all."""

    report_id: str
    title: str
    region: Region
    region_path: tuple[str, ...]
    year: int | None


@dataclass
class Figures:
    query: Query
    selection: Selection
    term: str  # the query's text, or the indicator's name
    kind: str  # achieved, planned, problem, other or all
    indicator: Indicator | None = None
    figures: list[FigureRow] = field(default_factory=list)  # of the kind, in region order
    places: list[Place] = field(default_factory=list)  # every report the filters admit
    counts: dict[str, int] = field(default_factory=dict)  # shown values by kind (and all)
    facets: Facets = field(default_factory=Facets)  # the matching paragraphs, as search counts
    messages: list[str] = field(default_factory=list)
    generation: str = ""

    def to_json(self) -> dict:
        return {
            "term": self.term,
            "indicator": self.indicator.name if self.indicator else None,
            "kind": self.kind,
            "messages": self.messages,
            "generation": self.generation,
            "figures": [f.to_json() for f in self.figures],
        }


def _row(
    shown: Shown, info: ReportInfo, sentence: str, value, unit, approx, bound, combined
) -> FigureRow:
    return FigureRow(
        info.report_id, shown.paragraph_id, info.title, info.region, info.region_path, info.year,
        value, unit, approx, bound, kind_of(shown.section), combined, sentence.strip(),
    )  # fmt: skip


def of_term(snap: Snapshot, docs: np.ndarray, needles: list[str], check) -> Extracted:
    """The figures every sentence of the matching paragraphs gives for the query's terms."""
    needles = [n for n in dict.fromkeys(needles) if n and "|" not in n]
    rows: list[FigureRow] = []
    texts = docs[~snap.is_heading[docs]]
    for n, row in enumerate(texts[:MAX_ROWS].tolist()):
        if n % CHECK_EVERY == 0:
            check()
        shown, info = snap.shown(row), snap.report_of(row)
        folded = fold(shown.text)  # as long as the text: a sentence's offsets hold in both
        for at, sentence in sentences(shown.text):
            piece = folded[at : at + len(sentence)]
            found = [f for needle in needles if holds(piece, needle)
                     for f in figures_in(sentence, needle)]  # fmt: skip
            for f in telling(found):
                rows.append(_row(shown, info, sentence, f.value, f.unit, f.approx, f.bound,
                                 f.combined))  # fmt: skip
    return Extracted(tuple(rows), max(0, len(texts) - MAX_ROWS))


@dataclass
class IndicatorTable:
    """Every segment's indicator figures with generation-wide row numbers and one unit table."""

    table: Table

    @property
    def nbytes(self) -> int:
        return sum(getattr(self.table, c).nbytes for c in Table.COLUMNS)


def indicator_table(snap: Snapshot) -> Table:
    """The generation's indicator figures, assembled once per snapshot."""

    def build() -> IndicatorTable:
        units: dict[str, int] = {"": 0}
        parts = []
        for seg in snap.segments:
            t = seg.data.figures
            codes = np.array([units.setdefault(u, len(units)) for u in t.units], dtype=np.int16)
            parts.append((t.row.astype(np.int64) + seg.base, t, codes[t.unit] if len(t) else
                          t.unit))  # fmt: skip
        columns = {name: [] for name in Table.COLUMNS}
        for rows, t, unit in parts:
            columns["row"].append(rows)
            columns["unit"].append(unit)
            for name in ("indicator", "value", "flags", "start", "end"):
                columns[name].append(getattr(t, name))
        joined = [np.concatenate(columns[name]) if columns[name] else np.zeros(0, dtype=typ)
                  for name, typ in zip(Table.COLUMNS, Table.TYPES, strict=True)]  # fmt: skip
        return IndicatorTable(Table(*joined, units=list(units)))

    return snap.derived(("indicator figures",), build).table


def of_indicator(snap: Snapshot, indicator: Indicator, admitted: np.ndarray) -> list[FigureRow]:
    """An indicator's figures in the admitted paragraphs (`admitted`: bool by row)."""
    t = indicator_table(snap)
    code = INDICATORS.index(indicator)
    live = snap.report[t.row] != NONE if len(t) else np.zeros(0, dtype=bool)
    chosen = np.flatnonzero((t.indicator == code) & live & admitted[t.row])
    return [_indicator_row(snap, t, i) for i in chosen.tolist()]


def of_report(snap: Snapshot, code: int) -> list[tuple[Indicator, list[FigureRow]]]:
    """Each standard indicator's figures in one report, in reading order."""
    t = indicator_table(snap)
    mine = np.flatnonzero(snap.report[t.row] == code) if len(t) else np.zeros(0, dtype=np.int64)
    mine = mine[np.argsort(snap.position[t.row[mine]], kind="stable")]
    found = [(INDICATORS[int(t.indicator[i])], _indicator_row(snap, t, i)) for i in mine.tolist()]
    return [(ind, [f for i, f in found if i is ind]) for ind in INDICATORS
            if any(i is ind for i, _ in found)]  # fmt: skip


def _indicator_row(snap: Snapshot, t: Table, i: int) -> FigureRow:
    row, bits = int(t.row[i]), int(t.flags[i])
    value = float(t.value[i])
    shown = snap.shown(row)
    return _row(shown, snap.report_of(row), shown.text[int(t.start[i]) : int(t.end[i])],
                None if math.isnan(value) else value, t.units[int(t.unit[i])],
                bool(bits & APPROX_BIT), bound_of(bits), bool(bits & COMBINED))  # fmt: skip


def counts(rows: list[FigureRow]) -> dict[str, int]:
    """Shown values per kind, and of every kind."""
    shown = [r.kind for r in rows if r.shown]
    return {ALL: len(shown), **{kind: shown.count(kind) for kind in KINDS}}


def in_region_order(snap: Snapshot, rows: list[FigureRow]) -> list[FigureRow]:
    rank = {info.report_id: int(snap.region_rank[info.code]) for info in snap.reports}
    return sorted(rows, key=lambda f: rank.get(f.report_id, 0))  # stable: reading order kept


def places(snap: Snapshot, admitted: np.ndarray) -> list[Place]:
    """Every report admitted (`admitted`: bool by report code), in region order."""
    return [
        Place(info.report_id, info.title, info.region, info.region_path, info.year)
        for info in sorted(snap.reports, key=lambda r: snap.region_rank[r.code])
        if admitted[info.code]
    ]
