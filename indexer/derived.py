"""Per-segment derived data: what search needs of every body unit, computed once at build time.

A Whoosh segment holds one document per report (indexer/schema.py). What search derives from
it is laid out per body unit ("row"): its report document, position, part, heading path and kind,
its normalised text with that text's character and pair postings (indexer/textindex.py), and
what a hit shows (the text as written, its id, its heading path). It is written beside the
segment as `<segment id>.derived` by the build that wrote the segment; a generation that reuses
the segment hard-links the file with it, and Whoosh removes it with the segment after a merge
(its name follows the segment's). The file is an array file (indexer/arrayfile.py): every worker
memory-maps it read-only, so its pages are shared through the page cache, and opening a
generation reads headers instead of stored fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import arrayfile, indicators
from .analysis import normalize
from .model import HEADING
from .schema import DUPLICATE, PATH_SEPARATOR, REPORT
from .textindex import TextIndex
from .whoosh_fixes import deleted_docs

SUFFIX = ".derived"
TEXT_UNIT, HEADING_UNIT = 0, 1  # a row's kind of body unit, in `unit`
FILE_KEYS = ("kind", "report_id", "title", "issuer", "province", "city", "county", "town", "year",
             "position", "source", "fingerprint", "digest", "filestat")  # fmt: skip
COLUMNS = ("owner", "position", "section", "head", "unit")
Forms = list[tuple[str, str, tuple]]  # per body unit: normalised text, heading path, indicators


@dataclass(frozen=True)
class Strings:
    """Strings end to end as UTF-8, with offsets: one lookup decodes one string."""

    blob: np.ndarray  # uint8
    offsets: np.ndarray  # int64, len + 1

    @classmethod
    def of(cls, values: list[str]) -> Strings:
        encoded = [v.encode("utf-8") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __getitem__(self, i: int) -> str:
        return self.blob[self.offsets[i] : self.offsets[i + 1]].tobytes().decode("utf-8")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {prefix + "blob": self.blob, prefix + "offsets": self.offsets}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> Strings:
        return cls(arrays[prefix + "blob"], arrays[prefix + "offsets"])


@dataclass
class SegmentData:
    """One segment's body units ("rows"), those of deleted report documents included."""

    docs: int  # the segment's documents
    owner: np.ndarray  # int32: the segment-local number of the row's report document
    position: np.ndarray  # int32: 1, 2, … within its report
    section: np.ndarray  # int16: index into `sections`
    head: np.ndarray  # int32: index into `heads` (and `head_paths`)
    unit: np.ndarray  # int8: TEXT_UNIT or HEADING_UNIT
    text: TextIndex  # each row's normalised text
    heads: TextIndex  # the segment's distinct normalised heading paths ("" first)
    texts: Strings  # each row's text as written
    ids: Strings  # each row's paragraph id
    head_paths: Strings  # each heading path as written, PATH_SEPARATOR-joined
    sections: list[str]
    reports: list[tuple[int, dict]]  # (local number, FILE_KEYS) of report and duplicate docs
    figures: indicators.Table  # the standard indicators' figures, by local row

    @property
    def lengths(self) -> np.ndarray:
        """Each row's normalised text length."""
        return np.diff(self.text.starts) - 1

    @property
    def head_lengths(self) -> np.ndarray:
        """Each distinct heading path's normalised length."""
        return np.diff(self.heads.starts) - 1


def forms_of(fields: dict) -> Forms:
    """A report document's body units' normalised texts and heading paths, and the standard
    indicators' figures in its text units (what parsing processes compute, so the writing
    process need not)."""
    return [
        (norm := normalize(text), normalize(path.replace(PATH_SEPARATOR, "|")),
         () if unit == HEADING else tuple(indicators.in_unit(text, norm)))
        for _, _, unit, path, text in fields.get("paragraphs") or ()
    ]  # fmt: skip


class Collector:
    """A segment's derived data, gathered from its documents' fields in document-number order."""

    def __init__(self) -> None:
        self.docs = 0
        self.rows: dict[str, list] = {name: [] for name in COLUMNS}
        self.norms: list[str] = []
        self.texts: list[str] = []
        self.ids: list[str] = []
        self.reports: list[tuple[int, dict]] = []
        self.heads: dict[tuple[str, str], int] = {("", ""): 0}  # (normalised, as written) → code
        self.sections: dict[str, int] = {"": 0}
        self.figures: list[tuple[int, indicators.Found]] = []

    def __len__(self) -> int:
        """Rows gathered so far."""
        return len(self.texts)

    def add(self, fields: dict, forms: Forms | None = None) -> None:
        """The next document; `forms` are its `forms_of(fields)` when already computed."""
        local, self.docs = self.docs, self.docs + 1
        if fields.get("kind") not in (REPORT, DUPLICATE):
            return
        self.reports.append((local, {k: fields.get(k) for k in FILE_KEYS}))
        paragraphs = fields.get("paragraphs") or ()
        for position, ((pid, section, unit, path, text), (norm, head, found)) in enumerate(
            zip(paragraphs, forms or forms_of(fields), strict=True), start=1
        ):
            rows = self.rows
            rows["owner"].append(local)
            rows["position"].append(position)
            rows["section"].append(self.sections.setdefault(section or "", len(self.sections)))
            rows["head"].append(self.heads.setdefault((head, path), len(self.heads)))
            rows["unit"].append(HEADING_UNIT if unit == HEADING else TEXT_UNIT)
            self.figures += [(len(self.texts), f) for f in found]
            self.norms.append(norm)
            self.texts.append(text)
            self.ids.append(pid)

    def data(self) -> SegmentData:
        types = {"owner": np.int32, "position": np.int32, "section": np.int16,
                 "head": np.int32, "unit": np.int8}  # fmt: skip
        columns = {name: np.array(values, dtype=types[name]) for name, values in self.rows.items()}
        return SegmentData(
            self.docs, **columns, text=TextIndex.of(self.norms),
            heads=TextIndex.of([norm for norm, _ in self.heads]), texts=Strings.of(self.texts),
            ids=Strings.of(self.ids), head_paths=Strings.of([path for _, path in self.heads]),
            sections=list(self.sections), reports=self.reports,
            figures=indicators.Table.of(self.figures),
        )  # fmt: skip


def compute(leaf) -> SegmentData:
    """Derive a segment's data from its stored fields (deleted documents included)."""
    collector = Collector()
    for docnum in range(leaf.doc_count_all()):
        collector.add(leaf.stored_fields(docnum))
    return collector.data()


def path_for(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}{SUFFIX}"


def write(path: Path, data: SegmentData) -> None:
    meta = {"docs": data.docs, "sections": data.sections, "reports": data.reports,
            "figure_units": data.figures.units}  # fmt: skip
    arrays = {name: getattr(data, name) for name in COLUMNS}
    arrays |= data.text.arrays("text.") | data.heads.arrays("heads.")
    arrays |= data.texts.arrays("texts.") | data.ids.arrays("ids.")
    arrays |= data.head_paths.arrays("head_paths.") | data.figures.arrays("fig.")
    arrayfile.write(path, arrays, meta)


def read(path: Path) -> SegmentData:
    arrays, meta = arrayfile.open_arrays(path)
    texts = Strings.from_arrays(arrays, "texts.")
    unit = arrays["unit"]
    figures = (
        indicators.Table.from_arrays(arrays, "fig.", meta["figure_units"])
        if "fig.row" in arrays
        else _figures_of(texts, unit)  # a file written before indicators were read
    )
    return SegmentData(
        meta["docs"], *(arrays[name] for name in COLUMNS),
        text=TextIndex.from_arrays(arrays, "text."), heads=TextIndex.from_arrays(arrays, "heads."),
        texts=texts, ids=Strings.from_arrays(arrays, "ids."),
        head_paths=Strings.from_arrays(arrays, "head_paths."), sections=meta["sections"],
        reports=[tuple(r) for r in meta["reports"]], figures=figures,
    )  # fmt: skip


def _figures_of(texts: Strings, unit: np.ndarray) -> indicators.Table:
    """The indicators' figures of a segment's text units, read from their texts now."""
    found = [(row, f) for row in np.flatnonzero(unit == TEXT_UNIT).tolist()
             for f in indicators.in_unit(texts[row])]  # fmt: skip
    return indicators.Table.of(found)


def segments(reader) -> list:
    """The reader's segment readers; an empty index has none (Whoosh gives it one reader
    without a segment)."""
    return [leaf for leaf, _ in reader.leaf_readers() if leaf.segment() is not None]


def write_missing(folder: Path, reader, collected: list[Collector] | None = None) -> int:
    """Derive every segment of a generation that has no derived file yet; returns how many.

    `collected` holds what was derived while a new index's documents were added, one Collector
    per segment in the order they were committed; each segment numbers its documents in the
    order they were added, so its data need not be read back from the segment.
    """
    missing = [leaf for leaf in segments(reader)
               if not path_for(folder, leaf.segment().segment_id()).exists()]  # fmt: skip
    collected = [c for c in collected or [] if c.docs]  # segments already written are not missing
    known = len(collected) == len(missing) and all(
        leaf.doc_count_all() == c.docs for leaf, c in zip(missing, collected, strict=False)
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
            st = path.stat()
            return _header_entries(str(path), st.st_ino, st.st_size, st.st_mtime_ns)
    return compute(leaf).reports


@lru_cache(maxsize=64)
def _header_entries(path: str, *identity: int) -> list[tuple[int, dict]]:
    """A derived file's report entries, read once per file: the files never change, and one
    build reads the same segments' entries twice (what is indexed, then the summary)."""
    return [tuple(r) for r in arrayfile.read_meta(Path(path))["reports"]]


def file_documents(folder: Path | None, reader) -> list[dict]:
    """The live report and duplicate documents of a generation: one per corpus file."""
    found = []
    for leaf in segments(reader):
        gone = set(deleted_docs(leaf).tolist())
        found += [f for local, f in _file_entries(folder, leaf) if local not in gone]
    return found
