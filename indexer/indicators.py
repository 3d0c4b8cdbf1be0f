"""The standard indicators every report is read for at build time (indexer/derived.py keeps their
figures per segment): a name, the wordings that name it, and the units its values count in.

A figure of an indicator is a figure `indexer.figures` finds for one of its wordings; a value in
another unit (法律顾问 … 68件 are contracts, not advisers) is kept as a mention without a value.
Wordings are tried longest first, and a mention inside one already read (纠纷 inside 矛盾纠纷,
普法宣传 inside 普法宣传活动) is not read again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .analysis import normalize
from .figures import AT_LEAST, AT_MOST, Figure, figures_in, sentences, telling


@dataclass(frozen=True)
class Indicator:
    name: str  # as in URLs: ?indicator=法律明白人
    label: str  # as shown: 法律明白人（人数）
    terms: tuple[str, ...]  # wordings, longest first
    units: tuple[str, ...]  # the units its values count in


PEOPLE, CASES, RATE = ("名", "人", "位"), ("件", "起", "宗", "件次"), ("%",)
INDICATORS: tuple[Indicator, ...] = (
    Indicator("法律明白人", "法律明白人（人数）", ("法律明白人",), PEOPLE),
    Indicator("持证执法人员", "持证执法人员（人数）",
              ("取得行政执法证件人员", "持证行政执法人员", "持证执法人员"), PEOPLE),
    Indicator("法律顾问", "法律顾问（人数）", ("法律顾问",), PEOPLE),
    Indicator("行政复议案件", "行政复议案件（件）", ("行政复议案件",), CASES),
    Indicator("行政诉讼案件", "行政诉讼案件（件）", ("行政诉讼案件", "行政应诉案件"), CASES),
    Indicator("行政机关负责人出庭应诉率", "行政机关负责人出庭应诉率（%）",
              ("到庭应诉率", "出庭应诉率", "出庭率"), RATE),
    Indicator("合法性审查", "合法性审查（件/次）", ("合法性审查",), ("件", "次", "份", "件次")),
    Indicator("矛盾纠纷调解", "矛盾纠纷调解（件）", ("矛盾纠纷", "纠纷"), CASES),
    Indicator("调解成功率", "调解成功率（%）", ("调解成功率",), RATE),
    Indicator("普法宣传活动", "普法宣传活动（场/次）",
              ("普法宣传活动", "法治宣传活动", "普法宣传"), ("场", "次", "场次")),
)  # fmt: skip
BY_NAME = {indicator.name: indicator for indicator in INDICATORS}
_NORMALISED = [tuple(normalize(t) for t in i.terms) for i in INDICATORS]

# Per figure, its qualifiers as bits.
APPROX, ABOVE, BELOW, COMBINED = 1, 2, 4, 8
BOUND_BITS = {AT_LEAST: ABOVE, AT_MOST: BELOW}


@dataclass(frozen=True)
class Found:
    """An indicator's figure in one body unit: which indicator, the figure, and its sentence's
    span in the unit's text."""

    indicator: int  # index into INDICATORS
    figure: Figure
    start: int
    end: int


def in_unit(text: str, norm: str | None = None) -> list[Found]:
    """Every indicator's figures in one body unit (`norm`: its normalised text, when known)."""
    norm = normalize(text) if norm is None else norm
    present = [code for code, wordings in enumerate(_NORMALISED)
               if any(wording in norm for wording in wordings)]  # fmt: skip
    found = []
    for at, sentence in sentences(text) if present else ():
        for code in present:
            found += [Found(code, f, at, at + len(sentence))
                      for f in _read(sentence, INDICATORS[code])]  # fmt: skip
    return found


def _read(sentence: str, indicator: Indicator) -> list[Figure]:
    taken: list[Figure] = []
    for term in indicator.terms:
        for figure in figures_in(sentence, term):
            if any(figure.start < t.end and t.start < figure.end for t in taken):
                continue
            if figure.shown and figure.unit not in indicator.units:
                figure = replace(figure, value=None, unit="", approx=False, bound=None)
            taken.append(figure)
    return telling(sorted(taken, key=lambda f: f.start))


def flags(figure: Figure) -> int:
    bits = APPROX if figure.approx else 0
    bits |= BOUND_BITS.get(figure.bound, 0)
    return bits | (COMBINED if figure.combined else 0)


def bound_of(bits: int) -> str | None:
    return AT_LEAST if bits & ABOVE else AT_MOST if bits & BELOW else None


@dataclass
class Table:
    """Indicator figures as columns: one entry per figure, in row order."""

    row: np.ndarray  # int32: the body unit (segment-local in a derived file)
    indicator: np.ndarray  # int16
    value: np.ndarray  # float64, NaN for a mention without a value
    unit: np.ndarray  # int16: index into `units`
    flags: np.ndarray  # int8: APPROX, ABOVE, BELOW, COMBINED
    start: np.ndarray  # int32: the sentence's span in the unit's text
    end: np.ndarray
    units: list[str]

    COLUMNS = ("row", "indicator", "value", "unit", "flags", "start", "end")
    TYPES = (np.int32, np.int16, np.float64, np.int16, np.int8, np.int32, np.int32)

    @classmethod
    def of(cls, found: list[tuple[int, Found]]) -> Table:
        """From (row, Found) pairs in row order."""
        units: dict[str, int] = {"": 0}
        columns = [[] for _ in cls.COLUMNS]
        for row, f in found:
            value = np.nan if f.figure.value is None else f.figure.value
            unit = units.setdefault(f.figure.unit, len(units))
            for column, v in zip(columns, (row, f.indicator, value, unit, flags(f.figure),
                                           f.start, f.end), strict=True):  # fmt: skip
                column.append(v)
        arrays = [np.array(c, dtype=t) for c, t in zip(columns, cls.TYPES, strict=True)]
        return cls(*arrays, units=list(units))

    def __len__(self) -> int:
        return len(self.row)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {prefix + name: getattr(self, name) for name in self.COLUMNS}

    @classmethod
    def from_arrays(cls, arrays: dict, prefix: str, units: list[str]) -> Table:
        return cls(*(arrays[prefix + name] for name in cls.COLUMNS), units=units)
