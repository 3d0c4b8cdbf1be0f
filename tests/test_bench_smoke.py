"""The benchmark runs end to end at a tiny size, so the script cannot rot (its figures are not checked)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402
from systems import tantivy_available  # noqa: E402


def test_synthetic_corpus_is_deterministic_and_marked(tmp_path):
    first = synth.generate(6, tmp_path / "a")
    second = synth.generate(6, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert all(synth.NOTICE in p.read_text(encoding="utf-8") for p in first)
    assert "合成数据" in (tmp_path / "a" / "README.md").read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        synth.generate(1, ROOT / "corpus" / "synthetic")


def test_benchmark_smoke_run(tmp_path):
    out = tmp_path / "benchmarks.md"
    command = [sys.executable, "bench/run.py", "--sizes", "12", "--repeat", "2", "--work",
               str(tmp_path / "work"), "--out", str(out), "--http-requests", "12", "--clients", "2"]  # fmt: skip
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "## 12 reports" in report and "## Growth" in report and "## Targets" in report
    systems = ["ours", "whoosh-jieba", "fts5-trigram", "scan"]
    if tantivy_available():
        systems.append("tantivy")
    else:
        assert "tantivy: not installed" in report
    for system in systems:
        assert f"| {system} |" in report
    recall = report.split("### Recall")[1].split("###")[0]
    header = next(line for line in recall.splitlines() if line.startswith("| query |"))
    columns = [cell.strip() for cell in header.split("|")[1:-1]]
    rows = [
        line.split("|")[1:-1]
        for line in recall.splitlines()
        if line.startswith("| ") and "---" not in line
    ]
    for row in rows[1:]:
        cells = dict(zip(columns, (cell.strip() for cell in row), strict=True))
        exact = ["tantivy"] if tantivy_available() else []
        if cells["query"] == "rare phrase":
            exact.append("ours")  # ours: exact for phrases
        for system in exact:
            assert cells[system] == "1.000 / 1.000", (cells["query"], system, cells[system])
    assert " 0 errors" in report
    assert "first answer from the replacement" in report and "The third worker" in report
