"""The region a curator chooses: a division of the table (indexer/data/divisions.csv) by its label
`重庆市 › 大足区`, or a name that only one division has; the town is typed (towns are not in the
table)."""

from __future__ import annotations

import re
from functools import cache

from indexer.model import Region
from indexer.regions import current_divisions

SEPARATOR = " › "
SPLIT = re.compile(r"\s*(?:›|>|/|\s)\s*")
TOWN = re.compile(r"^[\u4e00-\u9fff]{1,18}(?:街道|镇|乡|苏木)$")
SUGGESTIONS = 20


def label(region: Region) -> str:
    """Province › city › county, a municipality's city not repeated."""
    names = [region.province, region.city, region.county]
    shown = [n for i, n in enumerate(names) if n and n not in names[:i]]
    return SEPARATOR.join(shown)


@cache
def _labels() -> dict[str, Region]:
    return {label(region): region for _, region in current_divisions()}


def _squash(text: str) -> str:
    return "".join(SPLIT.split(text.strip()))


def suggestions(typed: str, limit: int = SUGGESTIONS) -> list[str]:
    """Labels containing what was typed, those starting with it or ending with it first."""
    key = _squash(typed)
    if not key:
        return []
    found = [name for name in _labels() if key in _squash(name)]
    found.sort(key=lambda name: (not _last(name).startswith(key), len(name)))
    return found[:limit]


def _last(name: str) -> str:
    return name.rsplit(SEPARATOR, 1)[-1]


def resolve(typed: str) -> tuple[Region | None, list[str]]:
    """(the region, []) for an exact label or a name only one division has; else (None, the
    labels it could mean), empty when it names no division."""
    key = _squash(typed)
    labels = _labels()
    for name, region in labels.items():
        if _squash(name) == key:
            return Region(**region.as_dict()), []
    named = [name for name in labels if _last(name) == key or _squash(name).endswith(key)]
    if len(named) == 1:
        return Region(**labels[named[0]].as_dict()), []
    return None, named[:SUGGESTIONS]
