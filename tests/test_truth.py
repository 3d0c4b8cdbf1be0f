"""The truth test: every line of every report's raw file is findable, or was left out on purpose.

The lines are derived from the raw files here, independently of the parser: decode, split at line
ends, strip, drop empty lines, cut each line at sentence ends. Each sentence is probed by its word
runs (CJK, letters, digits; every other character cuts a run, so no run spans punctuation that
breaks adjacency in the index) with an exact quoted search through the search contract, limited to
that report. A line is found when every probe is; otherwise it must be listed in the report's
`dropped` (furniture, filled by the page-chrome work).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from search.engine import Engine, SearchRequest
from tests.conftest import CORPUS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LINE_END = re.compile(r"\r\n|[\r\n\f\v\u2028\u2029]")
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
WORD_RUN = re.compile(r"\w+")
MIN_PROBE = 4  # runs at least this long are each probed; shorter lines probe their longest run
HEAD_TAIL_MAX = 80  # a title-block or closing line is short
WORD_ARTEFACT = re.compile(r"\[(?:bookmark|image|anchor):[^\]]*\]")  # Word export marks, not text


def raw_files() -> list[Path]:
    return sorted([*CORPUS.glob("*.txt"), *FIXTURES.glob("*/*.txt")])


def raw_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    text = WORD_ARTEFACT.sub("", text)
    lines = (line.strip(" \t\u3000\u00a0\ufeff") for line in LINE_END.split(text))
    return [line for line in lines if line]


def probes(line: str) -> list[str]:
    """The phrases searched for a line: each long word run of each sentence, else its longest."""
    out: list[str] = []
    for sentence in SENTENCE_END.split(line):
        runs = WORD_RUN.findall(sentence.replace("_", " "))
        if not runs:
            continue
        long = [run for run in runs if len(run) >= MIN_PROBE]
        longest = max(runs, key=len)
        out.extend(long or ([longest] if len(longest) >= 2 else []))
    return out


@dataclass
class Outcome:
    report_id: str
    lines: list[str]
    found: list[bool]
    dropped: set[str] = field(default_factory=set)

    def missing(self) -> list[int]:
        return [
            i for i, ok in enumerate(self.found) if not ok and self.lines[i] not in self.dropped
        ]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    from indexer.build import build
    from indexer.parse import parse_file, report_id_for

    root = tmp_path_factory.mktemp("truth")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in raw_files():
        shutil.copy(path, corpus / path.name)
    build(corpus, root / "index")
    engine = Engine(root / "index")
    out = {}
    for path in raw_files():
        rid = report_id_for(path)
        lines = raw_lines(path)
        dropped = {d.line.strip() for d in parse_file(path).dropped}
        found = [_findable(engine, rid, _undropped(line, dropped)) for line in lines]
        out[path.name] = Outcome(rid, lines, found, dropped)
    return out


def _undropped(line: str, dropped: set[str]) -> str:
    """What of a line is body text when its front was dropped as page facts."""
    glued = [d for d in dropped if d and line.startswith(d) and line != d]
    return line[len(max(glued, key=len)) :] if glued else line


def _findable(engine: Engine, report_id: str, line: str) -> bool:
    for probe in probes(line):
        result = engine.search(SearchRequest(q=f'"{probe}"', all=True))
        if not any(hit.report_id == report_id for hit in result.hits):
            return False
    return True


def test_probes_are_derived_without_the_parser():
    assert probes("（一）全面推进依法行政规范化") == ["全面推进依法行政规范化"]
    assert probes("四、下一步计划") == ["下一步计划"]
    assert probes("2.开展执法人员轮训，全年培训不少于4期。") == [
        "开展执法人员轮训",
        "全年培训不少于4期",
    ]
    assert probes("— 1 —") == []


def test_every_body_line_is_findable_or_dropped(outcomes):
    total = sum(len(o.lines) for o in outcomes.values())
    found = sum(sum(o.found) for o in outcomes.values())
    print(f"\nbody lines findable: {found} of {total}")
    problems = {}
    for name, outcome in outcomes.items():
        lost = [outcome.lines[i] for i in outcome.missing()]
        if lost:
            problems[name] = lost
    for name, lost in problems.items():
        print(name, *lost, sep="\n  ")
    assert problems == {}
