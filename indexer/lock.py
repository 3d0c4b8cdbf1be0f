"""One build at a time per index root: a POSIX record lock the kernel releases when the build dies.

`fcntl.lockf` locks belong to the process, not to its open file: the parse workers a build forks
do not inherit them, so a build killed with SIGKILL never leaves a lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".build.lock"
POLL = 0.2  # seconds between tries while waiting


class BuildBusy(RuntimeError):
    """Another build holds the lock; the message is Chinese and says what to do."""


@contextmanager
def build_lock(root: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the root's build lock; wait up to `wait` seconds for it, then raise BuildBusy."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, root, wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _acquire(fd: int, root: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "未知"
                raise BuildBusy(
                    f"另一个索引构建正在进行（进程 {holder}，索引 {root}）；"
                    "请等它结束后再运行，或加 --wait 秒数 等待它结束"
                ) from None
            time.sleep(POLL)
