"""Where the index lives: a root folder of immutable generations and a `current` link to the live one.

A generation is a folder `gen-*` that a build writes and, once finished, never changes again. It
is finished when its manifest (`generation.json`: every file's size and SHA-256) is written; only
then can `current` point at it. Readers therefore see one whole corpus state per generation.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from whoosh import index

from .whoosh_fixes import open_index

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX = ROOT / "var" / "index"
ENV_VAR = "FAZHI_INDEX"
CURRENT = "current"
PREFIX = "gen-"
MANIFEST = "generation.json"


def index_root(path: Path | str | None = None) -> Path:
    """The flag wins, then $FAZHI_INDEX, then var/index in the repo (ignored by git)."""
    return Path(path or os.environ.get(ENV_VAR) or DEFAULT_INDEX)


def current_name(root: Path) -> str | None:
    """The name of the generation `current` points at (one readlink: cheap enough per request)."""
    try:
        return os.readlink(root / CURRENT)
    except OSError:
        return None


def current_dir(root: Path) -> Path | None:
    name = current_name(root)
    if name is None:
        return None
    target = root / name
    return target if target.is_dir() and index.exists_in(str(target)) else None


def open_current(root: Path) -> index.Index:
    folder = current_dir(root)
    if folder is None:
        raise FileNotFoundError(f"{root} 中还没有索引，请先运行 python -m indexer build")
    return open_index(folder)


def new_generation(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"{PREFIX}{time.time_ns()}"
    folder.mkdir()
    return folder


def clone(live: Path, folder: Path) -> None:
    """Start a generation from the live one: segment files are immutable, so they are hard-linked;
    the table of contents (which also records deletions) is copied."""
    for path in live.iterdir():
        if not path.is_file() or path.name == MANIFEST or path.name.endswith("LOCK"):
            continue
        if path.suffix == ".toc":
            shutil.copy2(path, folder / path.name)
        else:
            try:
                os.link(path, folder / path.name)
            except OSError:  # another file system or no hard links: copy instead
                shutil.copy2(path, folder / path.name)


def _written(st: os.stat_result) -> list[int]:
    """A file's inode, size and modification time: any write to it changes them (a hard link
    does not), so a file whose stat still equals its seal's needs no checksum to be trusted."""
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _index_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST and "LOCK" not in p.name
    )


def seal(folder: Path, previous: Path | None = None) -> None:
    """Write the manifest that marks a generation finished (temporary file, fsync, rename).

    A file hard-linked from `previous` (the generation the build started from, whose checksums
    the build has just verified) keeps its checksum instead of being read again.
    """
    known = _linked_checksums(folder, previous)
    files = {
        p.name: {"size": p.stat().st_size, "sha256": known.get(p.name) or _digest(p),
                 "written": _written(p.stat())}
        for p in _index_files(folder)
    }  # fmt: skip
    tmp = folder / f".{MANIFEST}.tmp"
    with tmp.open("w", encoding="utf-8") as out:
        json.dump({"files": files, "sealed": time.time()}, out, ensure_ascii=False, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, folder / MANIFEST)


def _linked_checksums(folder: Path, previous: Path | None) -> dict[str, str]:
    sealed = manifest(previous) if previous is not None else None
    if not sealed:
        return {}
    known = {}
    for name, info in sealed.get("files", {}).items():
        try:
            same = (folder / name).stat().st_ino == (previous / name).stat().st_ino
        except OSError:
            continue
        if same:
            known[name] = info.get("sha256")
    return known


def manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def damage(folder: Path, hashes: bool = False, sealed: dict | None = None) -> str | None:
    """What is wrong with a generation's files (None when they are as sealed), in Chinese.

    Sizes are checked always (a stat per file); contents only with `hashes` (the build does), and
    only of files written since they were sealed (`_written`).
    `sealed` is the manifest when the caller has already read it.
    """
    sealed = sealed or manifest(folder)
    if sealed is None:
        return f"索引文件夹 {folder.name} 缺少清单 {MANIFEST}（未完成或旧版的索引）"
    for name, info in sealed.get("files", {}).items():
        path = folder / name
        try:
            st = path.stat()
        except OSError:
            return f"索引文件 {name} 缺失"
        if st.st_size != info.get("size"):
            return (
                f"索引文件 {name} 大小不符（应为 {info.get('size')} 字节，实为 {st.st_size} 字节）"
            )
        if hashes and _written(st) != info.get("written") and _digest(path) != info.get("sha256"):
            return f"索引文件 {name} 内容已损坏（校验和不符）"
    return None


def switch_to(root: Path, folder: Path) -> None:
    """Point `current` at a sealed generation in one atomic rename, then prune old ones.

    Only a build holding the build lock calls this, so no other generation is being written.
    The previous generation is kept: requests that began before the switch may still read it.
    """
    previous = current_name(root)
    tmp = root / f".{CURRENT}-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(folder.name)
    os.replace(tmp, root / CURRENT)
    prune(root, keep={folder.name, previous})


def prune(root: Path, keep: set[str | None]) -> None:
    """Remove every generation but `keep` (and whatever `current` names)."""
    keep = {*keep, current_name(root)}
    for old in root.glob(f"{PREFIX}*"):
        if old.name not in keep:
            discard(old)


def prune_unfinished(root: Path) -> None:
    """Remove what killed builds left behind: unsealed generations and temporary links."""
    live = current_name(root)
    for folder in root.glob(f"{PREFIX}*"):
        if folder.name != live and manifest(folder) is None:
            discard(folder)
    for tmp in root.glob(f".{CURRENT}-*"):
        tmp.unlink(missing_ok=True)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
