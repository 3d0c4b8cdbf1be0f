"""The year facet: the report's year (2023, 2021-2023, 2023年, 二〇二三年 as typed)."""

from __future__ import annotations

from ..filters import MAX_YEAR, MIN_YEAR, parse_years
from .base import CodedFacet

assert (MIN_YEAR, MAX_YEAR) == (1949, 2100), "the pattern below spells this range"
YEAR = r"(?:19(?:49|[5-9][0-9])|20[0-9][0-9]|2100)"
YEARS = rf"{YEAR}(?:[-－–—~～至到]{YEAR})?"


class YearFacet(CodedFacet):
    name, title, chip = "year", "年份", "年份"
    keys = ("year", "年份", "年度")
    description = "年份或区间，如 2023、2021-2023（1949–2100），逗号分隔多个；可重复"

    def schema(self) -> dict:
        return {"type": "string", "maxLength": 64, "pattern": rf"^{YEARS}(?:[,，、 ]+{YEARS})*$"}

    def parse(self, value: str) -> tuple:
        return parse_years(value)

    def value_of(self, info) -> int | None:
        return info.year or None

    def label(self, value) -> str:
        return f"{value}年"

    def order(self, values: list) -> list:
        return sorted(values, reverse=True)
