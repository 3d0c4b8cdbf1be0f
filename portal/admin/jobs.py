"""Index builds started from the admin pages: an incremental build a change waits for, and the
full rebuild that runs in the background, one at a time, its state in `ADMIN_DIR/rebuild.json`."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from indexer.location import ROOT

from .files import locked, write_atomic

REBUILD_STATE = "rebuild.json"
LAST_BUILD = "last-build.json"  # the newest build's summary: the files that failed, and why
BUILD_WAIT = 600  # seconds a change waits for another build (a rebuild) to finish


@dataclass
class Places:
    """Where the admin works: the corpus folder, the index root and its own folder."""

    corpus: Path
    index: Path
    admin: Path


def _command(places: Places, rebuild: bool, state: Path | None) -> list[str]:
    command = [sys.executable, "-m", "portal.admin.runner", "--corpus", str(places.corpus),
               "--index", str(places.index), "--wait", str(BUILD_WAIT)]  # fmt: skip
    if state is not None:
        command += ["--state", str(state)]
    return command + (["--rebuild"] if rebuild else [])


def update_index(places: Places) -> dict:
    """Run an incremental build and wait for it; its final state (status, summary or message)."""
    done = subprocess.run(
        _command(places, False, None), cwd=ROOT, capture_output=True, text=True, check=False
    )
    try:
        final = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["没有输出"]
        final = {"status": "failed", "message": f"索引程序异常退出（{done.returncode}）：{tail[0]}"}
    if final.get("status") == "done":
        write_atomic(places.admin / LAST_BUILD, json.dumps(final, ensure_ascii=False).encode())
    return final


def last_build(places: Places) -> dict:
    return _read(places.admin / LAST_BUILD) or {}


def rebuild_state(places: Places) -> dict | None:
    """The rebuild job's state; a job whose process is gone without finishing is `interrupted`."""
    state = _read(places.admin / REBUILD_STATE)
    if state and state.get("status") == "running" and not _alive(state.get("pid")):
        state = state | {"status": "interrupted"}
    return state


def start_rebuild(places: Places) -> str | None:
    """Start the background rebuild; a Chinese reason when one is already running."""
    state_file = places.admin / REBUILD_STATE
    with locked(places.admin / "rebuild.lock"):
        state = rebuild_state(places)
        if state and state.get("status") == "running":
            return f"已有完整重建正在进行（进程 {state.get('pid')}），请等它结束"
        write_atomic(state_file, json.dumps({"status": "running", "pid": None}).encode())
        process = subprocess.Popen(
            _command(places, True, state_file), cwd=ROOT, start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if (_read(state_file) or {}).get("pid") is None:  # the job has not written yet
            write_atomic(state_file, json.dumps({"status": "running", "pid": process.pid}).encode())
    threading.Thread(target=_reap, args=(process, places), daemon=True).start()
    return None


def _reap(process: subprocess.Popen, places: Places) -> None:
    """Wait for the job (no zombie is left), then keep its summary as the newest build's."""
    process.wait()
    state = _read(places.admin / REBUILD_STATE)
    if state and state.get("status") == "done":
        write_atomic(places.admin / LAST_BUILD, json.dumps(state, ensure_ascii=False).encode())


def _alive(pid) -> bool:
    """A process that runs (a zombie has finished)."""
    if not isinstance(pid, int):
        return pid is None  # the job is being started
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
