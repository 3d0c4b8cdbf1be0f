"""What search keeps in memory per index generation: matching texts and per-document facet arrays.

Loaded once from the stored fields when a generation is first searched, then shared by every
request on that generation, so a query costs array operations over document numbers instead
of a pass over stored fields.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from whoosh.reading import IndexReader

from indexer.analysis import normalize
from indexer.model import SECTIONS, Region
from indexer.schema import PARAGRAPH, PATH_SEPARATOR, REPORT

DEPTHS = 4  # province › city › county › town
NONE = -1


@dataclass
class RegionNode:
    code: int
    path: tuple[str, ...]  # names from the province down; a municipality's city level is folded
    parent: int  # code of the parent node, NONE for a province

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def depth(self) -> int:
        return len(self.path) - 1


@dataclass
class ReportInfo:
    code: int
    report_id: str
    title: str
    issuer: str
    region: Region
    year: int | None
    paragraphs: int
    source: str
    node: int  # deepest region node, NONE when the region is unknown

    @property
    def region_path(self) -> tuple[str, ...]:
        return region_path(self.region)


def region_path(region: Region) -> tuple[str, ...]:
    """Names from province down, without empty levels or a municipality's repeated city."""
    names: list[str] = []
    for name in region.as_dict().values():
        if name and (not names or names[-1] != name):
            names.append(name)
    return tuple(names)


class Lru:
    """A small thread-safe least-recently-used cache for one generation's repeated work."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, compute):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclass
class Snapshot:
    key: tuple[str, int]
    size: int  # document numbers run 0..size-1, deleted and report documents included
    paragraphs: np.ndarray  # sorted document numbers of live paragraphs
    texts: list[str | None]  # normalised paragraph text by document number
    lengths: np.ndarray  # normalised text length by document number
    head_id: np.ndarray  # index into `heads` by document number (paragraphs share heading paths)
    heads: list[str]  # distinct normalised heading paths
    head_lengths: np.ndarray  # normalised heading path length by document number
    report: np.ndarray  # report code by document number
    position: np.ndarray  # paragraph position in its report
    year: np.ndarray  # 0 when unknown
    section: np.ndarray  # index into `sections`
    node_at: np.ndarray  # shape (DEPTHS, size): region node code at each depth
    sections: list[str]
    reports: list[ReportInfo]  # code order = report_id order
    nodes: list[RegionNode]
    by_report_id: dict[str, int] = field(default_factory=dict)
    live_texts: list[str] = field(default_factory=list)  # `texts` in `paragraphs` order
    natural: np.ndarray = field(default_factory=lambda: np.zeros(0))  # rank by (report, position)
    region_rank: np.ndarray = field(default_factory=lambda: np.zeros(0))  # report code → order
    first_doc: np.ndarray = field(default_factory=lambda: np.zeros(0))  # report code → a paragraph
    finds: Lru = field(default_factory=lambda: Lru(512))  # phrase → matching paragraphs
    results: Lru = field(default_factory=lambda: Lru(32))  # query and filters → ranked matches

    def forget(self) -> None:
        """Drop what has been cached (benchmarks measure queries never seen before)."""
        self.finds.clear()
        self.results.clear()

    def docs_of(self, code: int) -> np.ndarray:
        """The paragraphs of one report, in reading order."""
        docs = np.flatnonzero(self.report == code)
        return docs[np.argsort(self.position[docs], kind="stable")]

    def report_of(self, docnum: int) -> ReportInfo:
        return self.reports[int(self.report[docnum])]

    def nodes_named(self, value: str) -> list[int]:
        """Region nodes a user's value names: a name at any level, or a path ending with it."""
        parts = tuple(p for p in _split_path(value) if p)
        if not parts:
            return []
        return [n.code for n in self.nodes if n.path[-len(parts) :] == parts]


def _split_path(value: str) -> list[str]:
    for sep in ("›", ">", "/", "／"):
        value = value.replace(sep, "\0")
    return [part.strip() for part in value.split("\0")]


def load(reader: IndexReader, key: tuple[str, int]) -> Snapshot:
    """Read every stored document of a generation once and lay it out as arrays.

    Stored fields are streamed, never held all at once: a worker's peak memory is what it keeps.
    """
    size = reader.doc_count_all()
    report_docs = sorted(
        (reader.stored_fields(d) for d in reader.postings("kind", REPORT).all_ids()),
        key=lambda f: f["report_id"],
    )
    nodes: list[RegionNode] = []
    node_codes: dict[tuple[str, ...], int] = {}
    reports = [_report_info(code, f, nodes, node_codes) for code, f in enumerate(report_docs)]
    snap = Snapshot(
        key=key,
        size=size,
        paragraphs=np.zeros(0, dtype=np.int64),
        texts=[None] * size,
        lengths=np.zeros(size, dtype=np.float64),
        head_id=np.zeros(size, dtype=np.int32),
        heads=[""],
        head_lengths=np.zeros(0),
        report=np.full(size, NONE, dtype=np.int32),
        position=np.zeros(size, dtype=np.int32),
        year=np.zeros(size, dtype=np.int32),
        section=np.full(size, NONE, dtype=np.int16),
        node_at=np.full((DEPTHS, size), NONE, dtype=np.int32),
        sections=list(SECTIONS),
        reports=reports,
        nodes=nodes,
        by_report_id={info.report_id: info.code for info in reports},
    )
    head_ids: dict[str, int] = {"": 0}
    live = []
    for docnum, fields in reader.iter_docs():
        if fields.get("kind") == PARAGRAPH and fields.get("report_id") in snap.by_report_id:
            _place(snap, docnum, fields, head_ids)
            live.append(docnum)
    snap.head_lengths = np.array([len(h) for h in snap.heads], dtype=np.float64)[snap.head_id]
    snap.paragraphs = np.array(sorted(live), dtype=np.int64)
    snap.live_texts = [snap.texts[d] for d in snap.paragraphs.tolist()]
    live_order = np.lexsort((snap.position[snap.paragraphs], snap.report[snap.paragraphs]))
    snap.natural = np.zeros(size, dtype=np.int64)
    snap.natural[snap.paragraphs[live_order]] = np.arange(len(live_order))
    snap.first_doc = np.full(len(reports), NONE, dtype=np.int64)
    for docnum in reversed(snap.paragraphs.tolist()):
        snap.first_doc[snap.report[docnum]] = docnum
    order = sorted(reports, key=lambda r: (r.region_path, -(r.year or 0), r.report_id))
    snap.region_rank = np.zeros(len(reports), dtype=np.int32)
    for rank, info in enumerate(order):
        snap.region_rank[info.code] = rank
    return snap


def _report_info(code: int, f: dict, nodes: list, node_codes: dict) -> ReportInfo:
    region = Region(f.get("province"), f.get("city"), f.get("county"), f.get("town"))
    node = NONE
    path = region_path(region)
    for depth in range(len(path)):
        prefix = path[: depth + 1]
        if prefix not in node_codes:
            node_codes[prefix] = len(nodes)
            nodes.append(RegionNode(len(nodes), prefix, node))
        node = node_codes[prefix]
    return ReportInfo(
        code=code,
        report_id=f["report_id"],
        title=" ".join((f.get("title") or "").split()),  # one line for lists and headers
        issuer=f.get("issuer") or "",
        region=region,
        year=f.get("year"),
        paragraphs=f.get("position") or 0,
        source=f.get("source") or "",
        node=node,
    )


def _place(snap: Snapshot, docnum: int, fields: dict, head_ids: dict[str, int]) -> None:
    info = snap.reports[snap.by_report_id[fields["report_id"]]]
    text = normalize(fields.get("text") or "")
    head = normalize((fields.get("section_path") or "").replace(PATH_SEPARATOR, "|"))
    if head not in head_ids:
        head_ids[head] = len(snap.heads)
        snap.heads.append(head)
    snap.texts[docnum], snap.lengths[docnum] = text, len(text)
    snap.head_id[docnum] = head_ids[head]
    snap.report[docnum] = info.code
    snap.position[docnum] = fields.get("position") or 0
    snap.year[docnum] = info.year or 0
    section = fields.get("section") or ""
    if section not in snap.sections:
        snap.sections.append(section)
    snap.section[docnum] = snap.sections.index(section)
    node = info.node
    while node != NONE:
        snap.node_at[snap.nodes[node].depth, docnum] = node
        node = snap.nodes[node].parent


_CACHE: dict[tuple[str, int], Snapshot] = {}
_CACHE_LOCK = threading.Lock()


def snapshot_for(reader: IndexReader, folder: str) -> Snapshot:
    """The snapshot of the generation a reader reads; built on first use, then shared."""
    key = (folder, reader.generation())
    with _CACHE_LOCK:
        snap = _CACHE.get(key)
        if snap is None:
            snap = load(reader, key)
            for old in [k for k in _CACHE if k[0] == folder or len(_CACHE) > 3]:
                del _CACHE[old]
            _CACHE[key] = snap
    return snap
