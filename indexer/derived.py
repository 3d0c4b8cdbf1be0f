"""Per-segment derived data: what search needs of every document, computed once at build time.

A Whoosh segment never changes once written, so what search derives from its stored fields
(normalised texts, heading paths, parts, positions, report ids) is written beside it as
`<segment id>.derived.npz` by the build that wrote the segment. A generation that reuses the
segment hard-links the file with it; Whoosh removes it with the segment after a merge (its name
follows the segment's). Loading a generation then reads arrays instead of unpickling and
normalising every stored document again, so a worker opens a new generation in a fraction of
the time and an incremental build derives only the segments it wrote.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .analysis import normalize
from .schema import DUPLICATE, PARAGRAPH, PATH_SEPARATOR, REPORT
from .whoosh_fixes import deleted_docs

SUFFIX = ".derived.npz"
OTHER, PARA, REP = 0, 1, 2  # document kinds in `kind`
FILE_KEYS = ("kind", "report_id", "title", "issuer", "province", "city", "county", "town", "year",
             "position", "source", "fingerprint", "digest", "filestat")  # fmt: skip


@dataclass
class SegmentData:
    """One segment's documents by local number, deleted ones included."""

    kind: np.ndarray  # int8: OTHER, PARA or REP
    rid: np.ndarray  # int32 index into `report_ids`, -1 for none
    position: np.ndarray  # int32
    section: np.ndarray  # int16 index into `sections`
    head: np.ndarray  # int32 index into `heads`
    offsets: np.ndarray  # int64, len + 1: character offsets of each text in `text`
    text: str  # every document's normalised text, one after the other
    report_ids: list[str]
    sections: list[str]
    heads: list[str]  # normalised heading paths
    reports: list[tuple[int, dict]]  # (local number, stored fields) of report and duplicate docs

    def texts(self) -> list[str]:
        bounds = self.offsets.tolist()
        return [self.text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


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
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(t) for t in texts])
    return SegmentData(kind, rid, position, section, head, offsets, "".join(texts),
                       list(tables["rid"]), list(tables["section"]), list(tables["head"]),
                       reports)  # fmt: skip


def _code(table: dict[str, int], value: str) -> int:
    return table.setdefault(value, len(table))


def path_for(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}{SUFFIX}"


def write(path: Path, data: SegmentData) -> None:
    """Temporary file, then rename: a killed build never leaves half a file under the real name."""
    meta = {"report_ids": data.report_ids, "sections": data.sections, "heads": data.heads,
            "reports": data.reports}  # fmt: skip
    buffer = io.BytesIO()
    np.savez(
        buffer, kind=data.kind, rid=data.rid, position=data.position, section=data.section,
        head=data.head, offsets=data.offsets,
        text=np.frombuffer(data.text.encode("utf-8"), dtype=np.uint8),
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
    )  # fmt: skip
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, path)


def _meta(npz) -> dict:
    return json.loads(npz["meta"].tobytes().decode("utf-8"))


def read(path: Path) -> SegmentData:
    with np.load(path, allow_pickle=False) as npz:
        meta = _meta(npz)
        return SegmentData(
            npz["kind"], npz["rid"], npz["position"], npz["section"], npz["head"],
            npz["offsets"], npz["text"].tobytes().decode("utf-8"), meta["report_ids"],
            meta["sections"], meta["heads"], [tuple(r) for r in meta["reports"]],
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
    """A segment's report and duplicate documents; from its file, only the small metadata part
    is read (an npz member is read when asked for)."""
    if folder is not None:
        path = path_for(folder, leaf.segment().segment_id())
        if path.exists():
            with np.load(path, allow_pickle=False) as npz:
                return [tuple(r) for r in _meta(npz)["reports"]]
    return compute(leaf).reports


def file_documents(folder: Path | None, reader) -> list[dict]:
    """The live report and duplicate documents of a generation: one per corpus file."""
    found = []
    for leaf, _ in reader.leaf_readers():
        gone = set(deleted_docs(leaf).tolist())
        found += [f for local, f in _file_entries(folder, leaf) if local not in gone]
    return found
