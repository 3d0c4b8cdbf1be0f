"""`python -m indexer inspect PATH --json`: the contract other tools rely on."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import CORPUS, ROOT

CONTRACT = {
    "report_id",
    "title",
    "issuer",
    "region",
    "year",
    "issued",
    "doc_number",
    "warnings",
    "paragraphs",
}


def inspect(*args):
    return subprocess.run(
        [sys.executable, "-m", "indexer", "inspect", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_inspect_json_contract():
    done = inspect(CORPUS / "cq-dazu-wangu-2023.txt", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) >= CONTRACT
    assert set(data["region"]) == {"province", "city", "county", "town"}
    assert data["doc_number"] == "万古委文〔2024〕2号"
    assert all(
        set(p) == {"id", "section", "section_path", "text", "kind"} for p in data["paragraphs"]
    )


def test_same_file_same_id_every_run():
    ids = {
        json.loads(inspect(CORPUS / "cq-nanan-guangyang-2023.txt", "--json").stdout)["report_id"]
        for _ in range(2)
    }
    assert ids == {"cq-nanan-guangyang-2023"}


def test_unreadable_file_exits_nonzero_with_a_message(tmp_path):
    bad = tmp_path / "空白.txt"
    bad.write_bytes(b"")
    done = inspect(bad, "--json")
    assert done.returncode != 0
    assert "空白.txt" in done.stderr and "空" in done.stderr
    assert done.stdout == ""


def test_missing_file(tmp_path):
    done = inspect(tmp_path / "nope.txt")
    assert done.returncode != 0 and "不存在" in done.stderr


def test_folder_summary_keeps_going_past_bad_files(tmp_path):
    for path in CORPUS.glob("*.txt"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "recipe.txt").write_text("红烧肉的做法\n五花肉切块焯水。\n", encoding="utf-8")
    done = inspect(tmp_path, "--json")
    data = json.loads(done.stdout)
    assert len(data["reports"]) == 5
    assert sorted(f["file"].rsplit("/", 1)[-1] for f in data["failed"]) == [
        "junk.txt",
        "recipe.txt",
    ]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in f["reason"]) for f in data["failed"])
