"""Where whoosh-reloaded's internals are touched: how generations are opened, what a segment
reader says of its deleted documents, and the merge policy of updates."""

from __future__ import annotations

import numpy as np
from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import IndexWriter

SMALL_DOCS, SMALL_SEGMENTS = 500, 6  # updates merge segments under 500 reports, once 6


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


def merge_small(writer: IndexWriter, segments: list) -> list:
    """Merge the segments under SMALL_DOCS documents once there are SMALL_SEGMENTS of them;
    keep every other segment as it is. (Whoosh's merge policy interface.)"""
    from whoosh.reading import SegmentReader

    small = [seg for seg in segments if seg.doc_count_all() < SMALL_DOCS]
    if len(small) < SMALL_SEGMENTS:
        return segments
    for seg in small:
        with SegmentReader(writer.storage, writer.schema, seg) as reader:
            writer.add_reader(reader)
    return [seg for seg in segments if seg.doc_count_all() >= SMALL_DOCS]
