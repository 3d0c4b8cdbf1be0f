"""Incremental updates, atomic rebuilds, and builds killed half-way."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from indexer.build import build
from indexer.location import current_dir, open_current
from search.matching import Matcher
from tests.conftest import CORPUS, ROOT

MARKER = "示范性独角兽短语"


def hits(root, phrase):
    with open_current(root).searcher() as searcher:
        return {searcher.stored_fields(d)["pid"] for d in Matcher.standalone(searcher).find(phrase)}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def test_unchanged_files_are_skipped(corpus, tmp_path):
    root = tmp_path / "index"
    first = build(corpus, root)
    again = build(corpus, root)
    assert (first.added, again.added, again.unchanged, again.updated) == (5, 0, 5, 0)
    assert str(current_dir(root)) == first.index_dir and (again.reports, again.paragraphs) == (
        5,
        190,  # body units: 99 text paragraphs and 91 headings
    )


def test_edit_add_delete(corpus, tmp_path):
    root = tmp_path / "index"
    build(corpus, root)
    wangu = corpus / "cq-dazu-wangu-2023.txt"
    text = wangu.read_text(encoding="utf-8")
    wangu.write_text(text.replace("一庭两所", MARKER), encoding="utf-8")
    summary = build(corpus, root)
    assert (summary.updated, summary.unchanged) == (1, 4)
    assert {pid.split("#")[0] for pid in hits(root, MARKER)} == {"cq-dazu-wangu-2023"}
    assert {pid.split("#")[0] for pid in hits(root, "一庭两所")} == {"cq-shapingba-qingmuguan-2022"}

    guangyang = (corpus / "cq-nanan-guangyang-2023.txt").read_text(encoding="utf-8")
    (corpus / "new-town-2023.txt").write_text(guangyang.replace("广阳镇", "新城镇"), "utf-8")
    summary = build(corpus, root)
    assert (summary.added, summary.reports) == (1, 6)
    assert "new-town-2023#p19" in hits(root, "法律明白人")

    (corpus / "new-town-2023.txt").unlink()
    wangu.unlink()
    summary = build(corpus, root)
    assert (summary.removed, summary.reports, summary.paragraphs) == (2, 4, 190 - 28)
    assert hits(root, MARKER) == set()
    assert not any(pid.startswith("new-town") for pid in hits(root, "法律明白人"))


def test_the_same_report_under_two_names_is_indexed_once(corpus, tmp_path):
    root = tmp_path / "index"
    shutil.copy(corpus / "cq-dazu-wangu-2023.txt", corpus / "zz-copy.txt")
    summary = build(corpus, root)
    assert summary.reports == 5 and summary.duplicates == [
        ("zz-copy.txt", "cq-dazu-wangu-2023.txt")
    ]
    again = build(corpus, root)
    assert again.index_dir == summary.index_dir, "an unchanged duplicate must not be re-indexed"
    assert again.duplicates == summary.duplicates
    (corpus / "cq-dazu-wangu-2023.txt").unlink()  # the copy now stands for the report
    summary = build(corpus, root)
    assert summary.reports == 5 and summary.duplicates == []
    assert {pid.split("#")[0] for pid in hits(root, "一庭两所")} == {
        "cq-shapingba-qingmuguan-2022",
        "zz-copy",
    }


def test_a_file_that_turns_bad_is_reported_and_removed(corpus, tmp_path):
    root = tmp_path / "index"
    build(corpus, root)
    (corpus / "cq-dazu-wangu-2023.txt").write_bytes(b"")
    (corpus / "junk.txt").write_bytes(bytes(range(256)) * 10)
    summary = build(corpus, root)
    assert sorted(f for f, _ in summary.failed) == ["cq-dazu-wangu-2023.txt", "junk.txt"]
    assert summary.reports == 4 and hits(root, "万古") == set()


def test_rebuild_switches_atomically(corpus, tmp_path):
    root = tmp_path / "index"
    build(corpus, root)
    before = open_current(root).searcher()
    old_texts = Matcher.standalone(before)
    (corpus / "cq-dazu-wangu-2023.txt").write_text(
        (corpus / "cq-dazu-wangu-2023.txt").read_text(encoding="utf-8").replace("一庭两所", MARKER),
        encoding="utf-8",
    )
    summary = build(corpus, root, rebuild=True)
    assert summary.added == 5
    # The searcher opened before the rebuild still answers from the old index.
    assert len(old_texts.find("一庭两所")) == 2
    assert before.doc_count() > 0 and before.stored_fields(old_texts.find("一庭两所")[0])
    before.close()
    # One opened after sees the new one.
    assert len(hits(root, "一庭两所")) == 1 and len(hits(root, MARKER)) == 1


def test_build_killed_midway_leaves_the_previous_index(tmp_path):
    corpus = tmp_path / "big"
    corpus.mkdir()
    for i in range(60):
        for path in CORPUS.glob("*.txt"):
            shutil.copy(path, corpus / f"{path.stem}-{i:03d}.txt")
    small = tmp_path / "small"
    shutil.copytree(CORPUS, small)
    root = tmp_path / "index"
    build(small, root)
    live = current_dir(root)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "indexer",
            "build",
            "--rebuild",
            "--corpus",
            str(corpus),
            "--index",
            str(root),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    # Wait until the rebuild is visibly under way (a new generation folder exists), then kill it.
    deadline = time.time() + 60
    while time.time() < deadline and len(list(root.glob("gen-*"))) < 2:
        time.sleep(0.05)
    time.sleep(1.0)
    assert proc.poll() is None, (
        "the build finished before it could be killed; make the corpus bigger"
    )
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert current_dir(root) == live
    assert len(hits(root, "法律明白人")) == 5  # four paragraphs and a heading
    # The next build works and cleans up the abandoned generation.
    summary = build(small, root, rebuild=True)
    assert summary.reports == 5 and len(list(root.glob("gen-*"))) == 2
