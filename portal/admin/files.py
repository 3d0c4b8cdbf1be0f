"""Durable file writes shared by the admin's stores and the corpus: temporary file, fsync, rename.

A temporary file is named `.fazhi-tmp-…`: hidden, so the corpus scan (indexer/corpus.py) never
reads one as a report, and `clean_temporary` removes what a killed write left behind.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".fazhi-tmp-"


def temporary_beside(path: Path) -> Path:
    return path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(6)}-{path.name}")


def write_temporary(path: Path, data: bytes) -> Path:
    """Write `data` next to `path` under a hidden temporary name, fsynced; return that name."""
    tmp = temporary_beside(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(write_temporary(path, data), path)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make the renames in a folder durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean_temporary(folder: Path) -> list[Path]:
    """Remove temporary files a killed write left in a folder (the admin writes only at the
    corpus's top level); return them."""
    found = list(folder.glob(f"{TEMP_PREFIX}*")) if folder.is_dir() else []
    for path in found:
        path.unlink(missing_ok=True)
    return found


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if missing), shared by every worker process."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
