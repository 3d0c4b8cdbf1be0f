"""Real titles from 30 regions (tests/data/titles.jsonl, copied from shared/dev): exact titles, no wrong values."""

from __future__ import annotations

import json

import pytest

from indexer.parse import parse_text
from tests.conftest import DATA

BODY = "一、主要举措和成效\n（一）加强组织领导。全年召开法治建设专题会议3次，推进依法行政工作。\n"
RECORDS = [
    json.loads(line) for line in (DATA / "titles.jsonl").read_text(encoding="utf-8").splitlines()
]
LEVELS = ("province", "city", "county", "town")


def parsed(record):
    return parse_text(record["title"] + "\n" + BODY, "t")


@pytest.mark.parametrize("record", RECORDS, ids=[r["title"][:12] for r in RECORDS])
def test_never_a_wrong_value(record):
    report = parsed(record)
    assert report.year in (record["year"], None)
    for level in LEVELS:
        assert getattr(report.region, level) in (record[level], None), level
    if report.level is not None:
        assert report.level == record["level"]


def test_how_many_titles_are_extracted_exactly():
    exact_title = sum(parsed(r).title == r["title"] for r in RECORDS)
    exact_year = sum(parsed(r).year == r["year"] for r in RECORDS)
    print(f"\ntitles exact: {exact_title}/{len(RECORDS)}, years exact: {exact_year}/{len(RECORDS)}")
    assert exact_title == len(RECORDS)
    assert exact_year >= len(RECORDS) - 1  # 重庆市人民政府's title names no year
