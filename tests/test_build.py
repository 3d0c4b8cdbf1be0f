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
    """Paragraph ids across the corpus (report#paragraph) of the paragraphs holding the phrase."""
    with open_current(root).searcher() as searcher:
        snap = (matcher := Matcher.standalone(searcher)).snapshot
        return {f"{snap.report_of(r).report_id}#{snap.shown(r).paragraph_id}"
                for r in matcher.find(phrase)}  # fmt: skip


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
    assert "一庭两所" in old_texts.snapshot.shown(old_texts.find("一庭两所")[0]).text
    assert before.doc_count() == 5 and before.stored_fields(0)["paragraphs"]
    before.close()
    # One opened after sees the new one.
    assert len(hits(root, "一庭两所")) == 1 and len(hits(root, MARKER)) == 1


def test_build_killed_midway_leaves_the_previous_index(tmp_path):
    corpus = tmp_path / "big"
    corpus.mkdir()
    for i in range(60):  # distinct bodies: copies of one report would be indexed once
        for path in CORPUS.glob("*.txt"):
            text = (
                path.read_text(encoding="utf-8-sig") + f"\n本份为测试副本第{i}号，用于中断测试。\n"
            )
            (corpus / f"{path.stem}-{i:03d}.txt").write_text(text, encoding="utf-8")
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
        time.sleep(0.01)
    time.sleep(0.3)
    writing = [g for g in root.glob("gen-*") if g != live]
    assert proc.poll() is None and not (writing[0] / "generation.json").exists(), (
        "the build finished before it could be killed; make the corpus bigger"
    )
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert current_dir(root) == live
    assert len(hits(root, "法律明白人")) == 5  # four paragraphs and a heading
    # The next build works and cleans up the abandoned generation.
    summary = build(small, root, rebuild=True)
    assert summary.reports == 5 and len(list(root.glob("gen-*"))) == 2


def test_derived_data_follows_segments_through_updates(corpus, tmp_path):
    """Each segment has its derived file; a generation assembled from them equals one derived
    from the stored fields now, after edits, additions and deletions."""
    import numpy as np

    from indexer.derived import SUFFIX
    from search.snapshot import load

    root = tmp_path / "index"
    build(corpus, root)
    wangu = corpus / "cq-dazu-wangu-2023.txt"
    wangu.write_text(wangu.read_text(encoding="utf-8").replace("一庭两所", MARKER), "utf-8")
    build(corpus, root)
    (corpus / "cq-nanan-guangyang-2023.txt").unlink()
    build(corpus, root)
    live = current_dir(root)
    with open_current(root).searcher() as searcher:
        reader = searcher.reader()
        segments = {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}
        assert {p.name.removesuffix(SUFFIX) for p in live.glob(f"*{SUFFIX}")} == segments
        cached, fresh = load(reader, ("a", 0), live), load(reader, ("b", 0), None)
    for name in ("paragraphs", "report", "position", "section", "head_id", "lengths",
                 "head_sizes", "first_doc", "region_rank", "report_nodes", "report_year"):  # fmt: skip
        assert np.array_equal(getattr(cached, name), getattr(fresh, name)), name
    texts = [cached.text(d) for d in cached.paragraphs.tolist()]
    assert texts == [fresh.text(d) for d in fresh.paragraphs.tolist()]
    assert [r.report_id for r in cached.reports] == [r.report_id for r in fresh.reports]
    assert "cq-nanan-guangyang-2023" not in cached.by_report_id
    assert any(MARKER in t for t in texts)
    assert cached.occurrences(MARKER)[0].tolist() == fresh.occurrences(MARKER)[0].tolist() != []


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(corpus, tmp_path):
    """Unchanged files are skipped by their stat; the change time still betrays any write."""
    root = tmp_path / "index"
    build(corpus, root)
    wangu = corpus / "cq-dazu-wangu-2023.txt"
    before = wangu.stat()
    text = wangu.read_text(encoding="utf-8")
    edited = text.replace("一庭两所", "一庭二所")  # same length in UTF-8
    assert len(edited.encode()) == len(text.encode()) and edited != text
    time.sleep(0.01)
    wangu.write_text(edited, encoding="utf-8")
    os.utime(wangu, ns=(before.st_atime_ns, before.st_mtime_ns))
    summary = build(corpus, root)
    assert summary.updated == 1 and hits(root, "一庭二所")
    os.utime(corpus / "cq-nanan-guangyang-2023.txt")  # touched, not changed
    again = build(corpus, root)
    assert (again.updated, again.index_dir) == (0, summary.index_dir)


def test_an_index_file_altered_in_place_is_found_and_rebuilt(corpus, tmp_path):
    """A write that keeps a file's size is caught by its checksum: files written since their
    seal are hashed again by the next build, which then rebuilds from nothing."""
    root = tmp_path / "index"
    build(corpus, root)
    segment = max(current_dir(root).glob("*.seg"), key=lambda p: p.stat().st_size)
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))  # same size, same inode
    summary = build(corpus, root)
    assert summary.repaired is not None and "校验和" in summary.repaired
    assert summary.added == 5 and len(hits(root, "一庭两所")) == 2


def test_a_new_index_in_several_segments_derives_each_as_written(corpus, tmp_path, monkeypatch):
    """Segments of a new index are committed as they fill; each one's derived data, gathered
    while its documents were added, equals what its stored fields give."""
    import numpy as np

    from indexer import build as building
    from search.snapshot import load

    monkeypatch.setattr(building, "SEGMENT_ROWS", 50)  # the 190 units: several segments
    root = tmp_path / "index"
    build(corpus, root)
    with open_current(root).searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) >= 3
        cached, fresh = load(reader, ("a", 0), current_dir(root)), load(reader, ("b", 0), None)
    for name in ("paragraphs", "report", "position", "section", "head_id", "lengths"):
        assert np.array_equal(getattr(cached, name), getattr(fresh, name)), name
    assert [cached.shown(r) for r in cached.paragraphs.tolist()] == [
        fresh.shown(r) for r in fresh.paragraphs.tolist()
    ]
    assert len(hits(root, "一庭两所")) == 2


def test_updates_merge_their_small_segments(corpus, tmp_path):
    """Each update adds a segment; once six are small they become one, and nothing is lost."""
    root = tmp_path / "index"
    build(corpus, root)
    wangu = corpus / "cq-dazu-wangu-2023.txt"
    original = wangu.read_text(encoding="utf-8")
    counts = []
    for n in range(7):
        wangu.write_text(original.replace("一庭两所", f"{MARKER}{n}"), encoding="utf-8")
        build(corpus, root)
        with open_current(root).searcher() as searcher:
            counts.append(len(searcher.reader().leaf_readers()))
        assert hits(root, f"{MARKER}{n}") and not (n and hits(root, f"{MARKER}{n - 1}"))
    assert max(counts) == 6 and 1 in counts[1:]  # six small segments became one
    assert len(hits(root, "一庭两所")) == 1 and len(hits(root, "法治")) > 10
