"""Where the index lives: a root folder whose `current` link names the live generation."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from whoosh import index

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX = ROOT / "var" / "index"
ENV_VAR = "FAZHI_INDEX"
CURRENT = "current"


def index_root(path: Path | str | None = None) -> Path:
    """The flag wins, then $FAZHI_INDEX, then var/index in the repo (ignored by git)."""
    return Path(path or os.environ.get(ENV_VAR) or DEFAULT_INDEX)


def current_dir(root: Path) -> Path | None:
    link = root / CURRENT
    target = link.resolve() if link.is_symlink() else None
    return target if target and index.exists_in(str(target)) else None


def open_current(root: Path) -> index.Index:
    folder = current_dir(root)
    if folder is None:
        raise FileNotFoundError(f"{root} 中还没有索引，请先运行 python -m indexer build")
    return index.open_dir(str(folder))


def new_generation(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"gen-{time.time_ns()}"
    folder.mkdir()
    return folder


def switch_to(root: Path, folder: Path) -> None:
    """Point `current` at a finished generation in one atomic rename, then prune old ones."""
    previous = current_dir(root)
    tmp = root / f".{CURRENT}-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(folder.name)
    os.replace(tmp, root / CURRENT)
    keep = {folder.resolve(), previous}  # searchers opened before the switch keep reading it
    for old in root.glob("gen-*"):
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
