"""Per-segment derived data: what search needs of every document, computed once at build time.

A Whoosh segment never changes once written, so what search derives from its stored fields
(normalised texts with their character and pair postings, heading paths, parts, positions,
report ids) is written beside it as `<segment id>.derived` by the build that wrote the segment.
A generation that reuses the segment hard-links the file with it; Whoosh removes it with the
segment after a merge (its name follows the segment's). The file is an array file
(indexer/arrayfile.py): every worker memory-maps it read-only, so the pages are shared through
the page cache and opening a generation reads a header instead of the stored fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import arrayfile
from .analysis import normalize
from .schema import DUPLICATE, PARAGRAPH, PATH_SEPARATOR, REPORT
from .textindex import TextIndex
from .whoosh_fixes import deleted_docs

SUFFIX = ".derived"
OTHER, PARA, REP = 0, 1, 2  # document kinds in `kind`
FILE_KEYS = ("kind", "report_id", "title", "issuer", "province", "city", "county", "town", "year",
             "position", "source", "fingerprint", "digest", "filestat")  # fmt: skip
COLUMNS = ("kind", "rid", "position", "section", "head")


@dataclass
class SegmentData:
    """One segment's documents by local number, deleted ones included."""

    kind: np.ndarray  # int8: OTHER, PARA or REP
    rid: np.ndarray  # int32 index into `report_ids`, -1 for none
    position: np.ndarray  # int32
    section: np.ndarray  # int16 index into `sections`
    head: np.ndarray  # int32 index into `heads`' texts
    text: TextIndex  # every document's normalised text (empty unless a paragraph)
    heads: TextIndex  # the segment's distinct normalised heading paths ("" first)
    report_ids: list[str]
    sections: list[str]
    reports: list[tuple[int, dict]]  # (local number, stored fields) of report and duplicate docs

    @property
    def lengths(self) -> np.ndarray:
        """Each document's normalised text length."""
        return np.diff(self.text.starts) - 1

    @property
    def head_lengths(self) -> np.ndarray:
        """Each distinct heading path's normalised length."""
        return np.diff(self.heads.starts) - 1


def compute(leaf) -> SegmentData:
    """Derive a segment's data from its stored fields (deleted documents included)."""
    n = leaf.doc_count_all()
    kind = np.zeros(n, dtype=np.int8)
    rid = np.full(n, -1, dtype=np.int32)
    position = np.zeros(n, dtype=np.int32)
    section = np.zeros(n, dtype=np.int16)
    head = np.zeros(n, dtype=np.int32)
    tables: dict[str, dict[str, int]] = {"rid": {}, "section": {"": 0}, "head": {"": 0}}
    texts, reports = [], []
    for docnum in range(n):
        fields = leaf.stored_fields(docnum)
        texts.append("")
        if fields.get("kind") in (REPORT, DUPLICATE):
            kind[docnum] = REP if fields["kind"] == REPORT else OTHER
            reports.append((docnum, {k: fields.get(k) for k in FILE_KEYS}))
        elif fields.get("kind") == PARAGRAPH:
            kind[docnum] = PARA
            texts[-1] = normalize(fields.get("text") or "")
            path = (fields.get("section_path") or "").replace(PATH_SEPARATOR, "|")
            head[docnum] = _code(tables["head"], normalize(path))
            section[docnum] = _code(tables["section"], fields.get("section") or "")
            position[docnum] = fields.get("position") or 0
        if fields.get("report_id"):
            rid[docnum] = _code(tables["rid"], fields["report_id"])
    return SegmentData(kind, rid, position, section, head, TextIndex.of(texts),
                       TextIndex.of(list(tables["head"])), list(tables["rid"]),
                       list(tables["section"]), reports)  # fmt: skip


def _code(table: dict[str, int], value: str) -> int:
    return table.setdefault(value, len(table))


def path_for(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}{SUFFIX}"


def write(path: Path, data: SegmentData) -> None:
    meta = {"report_ids": data.report_ids, "sections": data.sections, "reports": data.reports}
    arrays = {name: getattr(data, name) for name in COLUMNS}
    arrays.update(data.text.arrays("text.") | data.heads.arrays("heads."))
    arrayfile.write(path, arrays, meta)


def read(path: Path) -> SegmentData:
    arrays, meta = arrayfile.open_arrays(path)
    return SegmentData(
        *(arrays[name] for name in COLUMNS),
        TextIndex.from_arrays(arrays, "text."), TextIndex.from_arrays(arrays, "heads."),
        meta["report_ids"], meta["sections"], [tuple(r) for r in meta["reports"]],
    )  # fmt: skip


def write_missing(folder: Path, reader) -> int:
    """Derive every segment of a generation that has no derived file yet; returns how many."""
    written = 0
    for leaf, _ in reader.leaf_readers():
        path = path_for(folder, leaf.segment().segment_id())
        if not path.exists():
            write(path, compute(leaf))
            written += 1
    return written


def load(folder: Path | None, leaf) -> SegmentData:
    """A segment's derived data: its file when there is one, else computed now."""
    if folder is not None:
        path = path_for(folder, leaf.segment().segment_id())
        if path.exists():
            return read(path)
    return compute(leaf)


def _file_entries(folder: Path | None, leaf) -> list[tuple[int, dict]]:
    """A segment's report and duplicate documents; from its file, only the header is read."""
    if folder is not None:
        path = path_for(folder, leaf.segment().segment_id())
        if path.exists():
            return [tuple(r) for r in arrayfile.read_meta(path)["reports"]]
    return compute(leaf).reports


def file_documents(folder: Path | None, reader) -> list[dict]:
    """The live report and duplicate documents of a generation: one per corpus file."""
    found = []
    for leaf, _ in reader.leaf_readers():
        gone = set(deleted_docs(leaf).tolist())
        found += [f for local, f in _file_entries(folder, leaf) if local not in gone]
    return found
