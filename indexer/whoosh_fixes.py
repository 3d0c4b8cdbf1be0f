"""A targeted fix for whoosh-reloaded, applied when the index is written.

Writing postings asks for each posting's field length; for a field that keeps no lengths (our
n-gram field) whoosh answers by checking the disk for the missing length column: one `stat` per
posting, about half of a build's time. The answer cannot change for a written segment, so the
missing column is remembered.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3PerDocReader

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
