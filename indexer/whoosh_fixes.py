"""Where whoosh-reloaded's internals are touched: a targeted fix, and how generations are opened.

Writing postings asks for each posting's field length; for a field that keeps no lengths (our
n-gram field) whoosh answers by checking the disk for the missing length column: one `stat` per
posting, about half of a build's time. The answer cannot change for a written segment, so the
missing column is remembered.
"""

from __future__ import annotations

import numpy as np
from whoosh import index
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.filedb.filestore import FileStorage

_original = W3PerDocReader._cached_reader


def _cached_reader(self, fieldname, column):
    missing = self.__dict__.setdefault("_missing_columns", set())
    if fieldname in missing:
        return None
    reader = _original(self, fieldname, column)
    if reader is None:
        missing.add(fieldname)
    return reader


def apply() -> None:
    W3PerDocReader._cached_reader = _cached_reader


def open_index(folder) -> index.Index:
    """Open a generation without memory-mapping its files.

    Whoosh maps segment files by default; a segment truncated on disk then kills the reading
    process with SIGBUS. Plain reads turn the same damage into an exception the engine handles.
    """
    return FileStorage(str(folder), supports_mmap=False, readonly=True).open_index()


def deleted_docs(leaf) -> np.ndarray:
    """Local numbers of a segment reader's deleted documents (Whoosh keeps them in the TOC)."""
    deleted = leaf.segment().deleted_docs() if leaf.has_deletions() else ()
    return np.fromiter(deleted, dtype=np.int64)
