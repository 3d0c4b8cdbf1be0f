"""The live index generation of a long-running process, followed as builds publish new ones.

Every request starts by reading the `current` link (one readlink). When it names a generation
other than the one loaded, the new one is opened and its snapshot loaded before the request
goes on; the old one is closed once the last request still using it ends. A request therefore
answers from exactly one sealed generation, and from the newest one at the time it started.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.searching import Searcher

from indexer.location import current_name, damage, manifest
from indexer.whoosh_fixes import open_index

from .errors import IndexDamaged, IndexMissing
from .snapshot import Snapshot, load

log = logging.getLogger("search.generations")
RUN_BUILD = "请运行 python -m indexer build（或 make run）"


@dataclass
class Generation:
    """One sealed generation opened for reading: its index, snapshot and idle searchers."""

    name: str
    folder: Path
    index: object
    snapshot: Snapshot
    sealed: dict  # the manifest: each file's size, checked before every request
    idle: list[Searcher] = field(default_factory=list)
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def damage(self) -> str | None:
        return damage(self.folder, sealed=self.sealed)

    def take(self) -> Searcher:
        with self.lock:
            self.users += 1
            if self.idle:
                return self.idle.pop()
        return self.index.searcher()

    def give_back(self, searcher: Searcher) -> None:
        with self.lock:
            self.users -= 1
            if not self.retired:
                self.idle.append(searcher)
                return
            last = self.users == 0
        searcher.close()
        if last:
            self.close()

    def retire(self) -> None:
        """No new request will use this generation; close it when the last one ends."""
        with self.lock:
            self.retired = True
        self.close()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for searcher in idle:
            searcher.close()


def open_generation(root: Path, name: str) -> Generation:
    """Open and load a generation; a missing or damaged one raises with a Chinese message."""
    folder = root / name
    if not folder.is_dir():
        raise IndexMissing(f"索引 {root} 的 current 指向不存在的 {name}；{RUN_BUILD}")
    sealed = manifest(folder)
    problem = damage(folder, sealed=sealed)
    if problem is not None:
        raise IndexDamaged(f"{problem}；{RUN_BUILD} 重建索引")
    try:
        ix = open_index(folder)
        with ix.searcher() as searcher:
            reader = searcher.reader()
            snap = load(reader, (str(folder), reader.generation()), folder)
    except Exception as exc:
        log.exception("cannot open generation %s", folder)
        raise IndexDamaged(
            f"索引 {name} 无法读取（{type(exc).__name__}）；{RUN_BUILD} 重建索引"
        ) from exc
    return Generation(name, folder, ix, snap, sealed)


class Live:
    """The generation `current` names, loaded once per change and shared by every request."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._generation: Generation | None = None
        self._lock = threading.Lock()  # one load at a time; others wait for it

    def warm(self) -> bool:
        """Load now (before gunicorn forks); searchers are not kept, files must not cross a fork."""
        try:
            generation = self._latest()
        except (IndexMissing, IndexDamaged) as exc:
            log.warning("index not loaded at start-up: %s", exc)
            return False
        generation.close()
        return True

    @contextmanager
    def use(self) -> Iterator[tuple[Generation, Searcher]]:
        generation = self._latest()
        searcher = generation.take()
        try:
            yield generation, searcher
        except (IndexMissing, IndexDamaged):
            raise
        except Exception as exc:
            problem = generation.damage()
            if problem is not None:
                raise IndexDamaged(f"{problem}；{RUN_BUILD} 重建索引") from exc
            raise
        finally:
            generation.give_back(searcher)

    def _latest(self) -> Generation:
        name = current_name(self.root)
        if name is None:
            raise IndexMissing(f"{self.root} 中还没有索引；{RUN_BUILD}")
        loaded = self._generation
        if loaded is not None and loaded.name == name:
            problem = loaded.damage()  # a stat per file: damage shows on the next request
            if problem is not None:
                raise IndexDamaged(f"{problem}；{RUN_BUILD} 重建索引")
            return loaded
        with self._lock:
            loaded = self._generation
            if loaded is None or loaded.name != name:
                fresh = open_generation(self.root, name)
                if loaded is not None:
                    loaded.retire()
                self._generation = loaded = fresh
        return loaded
