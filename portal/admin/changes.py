"""Changes to the corpus (add, replace, edit, delete), each made atomically and then indexed.

A change first writes its new files under hidden temporary names in their folder (fsynced), then
a journal record `ADMIN_DIR/changes/<id>.json` naming each rename and removal, then does them,
runs the incremental build and removes the record. A record left by a killed process is rolled
forward by `recover`: renames whose temporary file is still there are done, removals are done,
and the build indexes whatever the corpus now holds. Temporary files without a record (a kill
before the record was written) are removed. Either way corpus and index agree after recovery.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from indexer.model import Region
from indexer.sidecar import dump_corrections, load_corrections, sidecar_path

from .audit import Audit
from .files import clean_temporary, locked, sync_folder, write_atomic, write_temporary
from .jobs import Places, update_index
from .library import Entry, corpus_file, entries, taken_stems
from .naming import file_name
from .uploads import Staged, discard

JOURNAL = "changes"
SIDECAR_NOTE = "由管理页面写入的更正（{user}）；可手工修改，下次构建索引时生效"


@dataclass
class Outcome:
    ok: bool
    message: str
    source: str = ""
    entry: Entry | None = None  # the report as indexed after the change


@dataclass
class Plan:
    """What one change does to the corpus: (temporary, target) renames, then removals."""

    action: str
    renames: list[tuple[str, str]]
    removes: list[str]

    def record(self) -> dict:
        return {"action": self.action, "pid": os.getpid(), "renames": self.renames,
                "removes": self.removes}  # fmt: skip


def _sidecar_bytes(corrections: dict, user: str) -> bytes:
    return dump_corrections(corrections, SIDECAR_NOTE.format(user=user)).encode()


def _apply(places: Places, plan: Plan) -> Path:
    """Record the plan, then carry it out; returns the journal record to remove after the build."""
    journal = places.admin / JOURNAL / f"{secrets.token_hex(8)}.json"
    write_atomic(journal, json.dumps(plan.record(), ensure_ascii=False).encode())
    _carry_out(plan.record())
    return journal


def _carry_out(record: dict) -> None:
    folders = set()
    for tmp, target in record["renames"]:
        if Path(tmp).exists():
            os.replace(tmp, target)
            folders.add(Path(target).parent)
    for path in record["removes"]:
        Path(path).unlink(missing_ok=True)
        folders.add(Path(path).parent)
    for folder in folders:
        sync_folder(folder)


def _finish(places: Places, journal: Path, source: str) -> tuple[dict, Entry | None]:
    """Index the change, then forget its record; the build's state and the file's entry."""
    final = update_index(places)
    if final.get("status") == "done":
        journal.unlink(missing_ok=True)
    found = next((e for e in entries(places) if e.source == source), None)
    return final, found


def add(places: Places, staged: Staged, corrections: dict, user: str, region: Region,
        year: int | None, replace: Entry | None = None) -> Outcome:  # fmt: skip
    """Write a confirmed upload (and its sidecar) into the corpus, named from its confirmed
    region and year, replacing a report if asked."""
    data = staged.path.read_bytes()
    with locked(places.admin / "corpus.lock"):
        old = corpus_file(places, replace.source) if replace else None
        if old is not None and old.suffix == staged.suffix:
            target = old  # the same name: one rename replaces it
        else:  # the replaced report's name is free again
            taken = taken_stems(places) - ({old.stem, replace.report_id} if old else set())
            target = places.corpus / file_name(region, year, staged.suffix, taken)
        side = sidecar_path(target)
        renames = [(str(write_temporary(side, _sidecar_bytes(corrections, user))), str(side)),
                   (str(write_temporary(target, data)), str(target))]  # fmt: skip
        going = [old, sidecar_path(old)] if old is not None else []
        removes = [str(p) for p in going if p not in (target, side)]
        journal = _apply(places, Plan("replace" if old else "add", renames, removes))
    source = target.relative_to(places.corpus).as_posix()
    final, entry = _finish(places, journal, source)
    if entry is None or entry.status != "indexed":
        why = entry.note if entry and entry.note else final.get("message", "原因不明")
        if not old:
            _undo_add(places, target)
        return Outcome(False, f"文件未能编入索引：{why}", source)
    discard(places, staged.token)
    Audit(places.admin).record(
        user, "replace" if old else "add", source,
        before=replace.source if replace else None,
        after={"file": source, "uploaded": staged.name, "corrections": corrections},
    )  # fmt: skip
    return Outcome(True, "已收录并编入索引", source, entry)


def _undo_add(places: Places, target: Path) -> None:
    """Take back a file the index refused, so the corpus holds only what the index holds."""
    with locked(places.admin / "corpus.lock"):
        journal = _apply(places, Plan("undo", [], [str(target), str(sidecar_path(target))]))
    _finish(places, journal, "")


def edit(places: Places, source: str, corrections: dict, user: str) -> Outcome:
    """Merge corrections into a report's sidecar and re-index it."""
    with locked(places.admin / "corpus.lock"):
        path = corpus_file(places, source)
        if path is None:
            return Outcome(False, f"语料中没有文件 {source}")
        before = load_corrections(path)
        after = before | corrections
        side = sidecar_path(path)
        tmp = write_temporary(side, _sidecar_bytes(after, user))
        journal = _apply(places, Plan("edit", [(str(tmp), str(side))], []))
    final, entry = _finish(places, journal, source)
    Audit(places.admin).record(user, "edit", source, before=before, after=after)
    if entry is None or entry.status != "indexed":
        why = entry.note if entry and entry.note else final.get("message", "原因不明")
        return Outcome(False, f"更正已保存，但报告未能编入索引：{why}", source)
    return Outcome(True, "更正已保存并重新编入索引", source, entry)


def delete(places: Places, source: str, user: str) -> Outcome:
    """Remove a report's file and sidecar, then its index entries."""
    with locked(places.admin / "corpus.lock"):
        path = corpus_file(places, source)
        if path is None:
            return Outcome(False, f"语料中没有文件 {source}")
        before = {"file": source, "corrections": load_corrections(path)}
        journal = _apply(places, Plan("delete", [], [str(path), str(sidecar_path(path))]))
    final, entry = _finish(places, journal, source)
    Audit(places.admin).record(user, "delete", source, before=before)
    if final.get("status") != "done" or entry is not None:
        return Outcome(False, f"文件已删除，但索引未能更新：{final.get('message', '')}", source)
    return Outcome(True, f"已删除 {source}", source)


def recover(places: Places) -> list[str]:
    """Finish changes a killed process left half done, then index; the actions recovered."""
    folder = places.admin / JOURNAL
    with locked(places.admin / "corpus.lock"):
        stale = [(p, _read(p)) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
        stale = [(p, r) for p, r in stale if r is None or not _running(r.get("pid"))]
        for _, record in stale:
            if record:
                _carry_out(record)
        clean_temporary(places.corpus)
    if not stale:
        return []
    final = update_index(places)
    if final.get("status") == "done":
        for path, _ in stale:
            path.unlink(missing_ok=True)
    done = [record.get("action", "?") for _, record in stale if record]
    Audit(places.admin).record("system", "recover", "、".join(done), after=final.get("status"))
    return done


def _running(pid) -> bool:
    if pid == os.getpid():
        return True  # a change another request of this process is making
    if not isinstance(pid, int):
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
