"""Real body headings (tests/data/headings.jsonl, copied from shared/dev) nest at their published levels."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from indexer.join import join_lines
from indexer.parse import build_paragraphs
from tests.conftest import DATA

FILLERS = [
    "全年召开专题会议3次。",
    "推进依法行政工作，取得明显成效。",
    "制定工作方案，明确责任分工，狠抓落实。",
]


def groups() -> dict[str, list[tuple[int, str]]]:
    by_report: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for line in (DATA / "headings.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["level"] > 0:  # level 0 is a report title, not a body heading
            by_report[record["url"]].append((record["level"], record["heading"]))
    return dict(by_report)


GROUPS = groups()


@pytest.mark.parametrize("url", sorted(GROUPS))
def test_headings_nest_at_their_levels(url):
    """Each heading, followed by a paragraph, gives that paragraph a path as deep as the heading's level."""
    headings = GROUPS[url]
    lines = []
    for i, (_, heading) in enumerate(headings):
        lines += [heading, FILLERS[i % len(FILLERS)]]
    units = build_paragraphs(join_lines(lines))
    paragraphs = [p for p in units if p.kind == "text"]
    assert [p.text for p in units if p.kind == "heading"] == [h for _, h in headings]
    assert len(paragraphs) == len(headings)
    depths = [len(p.section_path) for p in paragraphs]
    offsets = {depth - level for depth, (level, _) in zip(depths, headings, strict=True)}
    assert len(offsets) == 1, (depths, [level for level, _ in headings])
    for paragraph, (_, heading) in zip(paragraphs, headings, strict=True):
        assert paragraph.section_path[-1] == heading.rstrip("。")


def test_every_heading_is_recognised():
    from indexer.headings import parse_heading

    missed = [h for hs in GROUPS.values() for _, h in hs if parse_heading(h) is None]
    assert missed == []
