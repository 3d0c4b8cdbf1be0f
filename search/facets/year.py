"""The year facet: the report's year (2023, 2021-2023, 2023年, 二〇二三年 as typed)."""

from __future__ import annotations

from ..filters import parse_years
from .base import CodedFacet


class YearFacet(CodedFacet):
    name, title, chip = "year", "年份", "年份"
    keys = ("year", "年份", "年度")

    def parse(self, value: str) -> tuple:
        return parse_years(value)

    def value_of(self, info) -> int | None:
        return info.year or None

    def label(self, value) -> str:
        return f"{value}年"

    def order(self, values: list) -> list:
        return sorted(values, reverse=True)
