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


def forms_of(fields: dict) -> tuple[str, str] | None:
    """A paragraph document's normalised text and heading path (None for other documents)."""
    if fields.get("kind") != PARAGRAPH:
        return None
    path = (fields.get("section_path") or "").replace(PATH_SEPARATOR, "|")
    return normalize(fields.get("text") or ""), normalize(path)


class Collector:
    """A segment's derived data, gathered from its documents' fields in document-number order."""

    def __init__(self) -> None:
        self.kind: list[int] = []
        self.rid: list[int] = []
        self.position: list[int] = []
        self.section: list[int] = []
        self.head: list[int] = []
        self.texts: list[str] = []
        self.reports: list[tuple[int, dict]] = []
        self.tables: dict[str, dict[str, int]] = {"rid": {}, "section": {"": 0}, "head": {"": 0}}

    def __len__(self) -> int:
        return len(self.kind)

    def add(self, fields: dict, forms: tuple[str, str] | None = None) -> None:
        """The next document; `forms` are its `forms_of(fields)` when already computed."""
        kind, text, position, section, head = OTHER, "", 0, 0, 0
        if fields.get("kind") in (REPORT, DUPLICATE):
            kind = REP if fields["kind"] == REPORT else OTHER
            self.reports.append((len(self.kind), {k: fields.get(k) for k in FILE_KEYS}))
        elif fields.get("kind") == PARAGRAPH:
            text, path = forms or forms_of(fields)
            kind, head = PARA, _code(self.tables["head"], path)
            section = _code(self.tables["section"], fields.get("section") or "")
            position = fields.get("position") or 0
        report_id = fields.get("report_id")
        self.rid.append(_code(self.tables["rid"], report_id) if report_id else -1)
        self.kind.append(kind)
        self.texts.append(text)
        self.position.append(position)
        self.section.append(section)
        self.head.append(head)

    def data(self) -> SegmentData:
        return SegmentData(
            np.array(self.kind, dtype=np.int8), np.array(self.rid, dtype=np.int32),
            np.array(self.position, dtype=np.int32), np.array(self.section, dtype=np.int16),
            np.array(self.head, dtype=np.int32), TextIndex.of(self.texts),
            TextIndex.of(list(self.tables["head"])), list(self.tables["rid"]),
            list(self.tables["section"]), self.reports,
        )  # fmt: skip


def compute(leaf) -> SegmentData:
    """Derive a segment's data from its stored fields (deleted documents included)."""
    collector = Collector()
    for docnum in range(leaf.doc_count_all()):
        collector.add(leaf.stored_fields(docnum))
    return collector.data()


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


def write_missing(folder: Path, reader, collected: list[Collector] | None = None) -> int:
    """Derive every segment of a generation that has no derived file yet; returns how many.

    `collected` holds what was derived while a new index's documents were added, one Collector
    per segment in the order they were committed; each segment numbers its documents in the
    order they were added, so its data need not be read back from the segment.
    """
    missing = [leaf for leaf, _ in reader.leaf_readers()
               if not path_for(folder, leaf.segment().segment_id()).exists()]  # fmt: skip
    collected = [c for c in collected or [] if len(c)]
    known = len(collected) == len(missing) and all(
        leaf.doc_count_all() == len(c) for leaf, c in zip(missing, collected, strict=False)
    )  # fmt: skip
    for n, leaf in enumerate(missing):
        data = collected[n].data() if known else compute(leaf)
        write(path_for(folder, leaf.segment().segment_id()), data)
    return len(missing)


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
