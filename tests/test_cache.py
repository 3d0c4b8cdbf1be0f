"""The engine's cache: bounded in bytes, keyed by generation."""

from __future__ import annotations

import numpy as np

from search.cache import OBJECT_BYTES, Cache


def array(kib: int) -> np.ndarray:
    return np.zeros(kib * 1024, dtype=np.uint8)


def test_least_recently_used_entries_go_once_the_bytes_are_spent():
    entry = 100 * 1024 + 2 * OBJECT_BYTES  # a tuple of one 100 KiB array, as `nbytes` counts it
    cache = Cache(3 * entry)
    computed = []

    def get(key):
        return cache.get(("gen-1", key), lambda: computed.append(key) or (array(100),))

    for key in "abc":
        get(key)
    get("a")  # used again: "b" is now the oldest
    get("d")
    assert len(cache) == 3 and cache.used == 3 * entry
    get("b")  # gone, computed again
    get("a")  # still there
    assert computed == ["a", "b", "c", "d", "b"]


def test_a_new_generation_drops_the_old_ones_entries():
    cache = Cache(1 << 20)
    cache.get(("gen-1", "法治"), lambda: (array(10),))
    cache.get(("gen-1", "调解"), lambda: (array(10),))
    cache.get(("gen-2", "法治"), lambda: (array(10),))
    assert len(cache) == 1
    assert cache.get(("gen-2", "法治"), lambda: "computed again") != "computed again"
    assert cache.get(("gen-1", "法治"), lambda: "computed again") == "computed again"


def test_a_value_larger_than_the_bound_is_returned_but_not_kept():
    cache = Cache(10 * 1024)
    value = cache.get(("gen-1", "big"), lambda: (array(20),))
    assert len(value[0]) == 20 * 1024 and len(cache) == 0 and cache.used == 0


def test_clear_empties_it():
    cache = Cache(1 << 20)
    cache.get(("gen-1", "a"), lambda: (array(1),))
    cache.clear()
    assert len(cache) == 0 and cache.used == 0
