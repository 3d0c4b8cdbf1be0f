"""The engine's one cache: answers keyed by index generation, bounded in bytes.

Keys begin with the generation's key, so an answer never outlives the corpus state it was
computed from: entries of a generation that is no longer live are dropped as soon as a request
on a newer one stores something. Sizes are what the entry's arrays hold (numpy `nbytes`) plus a
small allowance per object, which is where nearly all of an answer's memory is.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

OBJECT_BYTES = 64


class Cache:
    def __init__(self, limit_bytes: int) -> None:
        self.limit = limit_bytes
        self.used = 0
        self._items: OrderedDict = OrderedDict()  # key → (value, bytes)
        self._generation = None  # the generation of the entries kept
        self._lock = threading.Lock()

    def get(self, key: tuple, compute: Callable):
        """The cached value for `key` (whose first element is the generation), else computed."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = compute()
        size = nbytes(value)
        if size > self.limit:
            return value
        with self._lock:
            self._drop_other_generations(key[0])
            if key not in self._items:
                self._items[key] = (value, size)
                self.used += size
            while self.used > self.limit:
                _, (_, freed) = self._items.popitem(last=False)
                self.used -= freed
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.used = 0

    def __len__(self) -> int:
        return len(self._items)

    def _drop_other_generations(self, generation) -> None:
        if generation == self._generation:
            return
        self._generation = generation
        stale = [k for k in self._items if k[0] != generation]
        for k in stale:
            self.used -= self._items.pop(k)[1]


def nbytes(value) -> int:
    """What a cached value holds: its own `nbytes` (arrays, or objects that sum theirs), the
    items of a tuple, or an allowance for anything else."""
    if isinstance(value, tuple):
        return OBJECT_BYTES + sum(nbytes(v) for v in value)
    size = getattr(value, "nbytes", None)
    return OBJECT_BYTES + (size if isinstance(size, int) else 0)
