"""What search keeps in memory per index generation: matching texts and per-document facet arrays.

Loaded once from the stored fields when a generation is first searched, then shared by every
request on that generation, so a query costs array operations over document numbers instead
of a pass over stored fields.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from indexer import derived
from indexer.model import SECTIONS, Region
from indexer.schema import REPORT
from indexer.whoosh_fixes import deleted_docs

from .positions import CharIndex

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
    natural: np.ndarray = field(default_factory=lambda: np.zeros(0))  # rank by (report, position)
    region_rank: np.ndarray = field(default_factory=lambda: np.zeros(0))  # report code → order
    first_doc: np.ndarray = field(default_factory=lambda: np.zeros(0))  # report code → a paragraph
    chars: CharIndex | None = None  # where each character of `texts` occurs
    head_chars: CharIndex | None = None  # where each character of `heads` occurs
    average_length: float = 1.0  # BM25's average text length over live paragraphs
    average_head_length: float = 1.0  # and heading path length
    named: dict[str, list[int]] = field(default_factory=dict)  # node name → node codes, ascending
    short_named: dict[str, list[int]] = field(default_factory=dict)  # 大足 → 大足区's codes
    finds: Lru = field(default_factory=lambda: Lru(512))  # phrase → matching paragraphs
    results: Lru = field(default_factory=lambda: Lru(32))  # query and filters → ranked matches

    def forget(self) -> None:
        """Drop what has been cached (benchmarks measure queries never seen before)."""
        self.finds.clear()
        self.results.clear()

    @property
    def live_texts(self) -> list[str]:
        """`texts` in `paragraphs` order; only the scan without a character index reads it."""
        return [self.texts[d] for d in self.paragraphs.tolist()]

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
        named = self.named.get(parts[-1], [])
        return [c for c in named if self.nodes[c].path[-len(parts) :] == parts]


# Administrative suffixes a short name leaves out (大足区 → 大足, 河南省 → 河南).
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "街道办事处", "街道", "省", "市",
            "区", "县", "镇", "乡")  # fmt: skip


def short_name(name: str) -> str:
    """A region name without its administrative suffix, when at least two characters remain."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _split_path(value: str) -> list[str]:
    for sep in ("›", ">", "/", "／"):
        value = value.replace(sep, "\0")
    return [part.strip() for part in value.split("\0")]


def load(reader: IndexReader, key: tuple[str, int], folder: Path | None = None) -> Snapshot:
    """Lay a generation out as arrays, from its segments' derived data (indexer/derived.py).

    `folder` is the generation's folder; without it (or for a segment without its file) the
    data is derived from the stored fields now.
    """
    size = reader.doc_count_all()
    parts = [(derived.load(folder, leaf), base, deleted_docs(leaf))
             for leaf, base in reader.leaf_readers()]  # fmt: skip
    live = np.ones(size, dtype=bool)
    report_docs = []
    for data, base, deleted in parts:
        live[base + deleted] = False
        report_docs += [f for local, f in data.reports
                        if live[base + local] and f["kind"] == REPORT]  # fmt: skip
    report_docs.sort(key=lambda f: f["report_id"])
    nodes: list[RegionNode] = []
    node_codes: dict[tuple[str, ...], int] = {}
    reports = [_report_info(code, f, nodes, node_codes) for code, f in enumerate(report_docs)]
    snap = Snapshot(
        key=key,
        size=size,
        paragraphs=np.zeros(0, dtype=np.int64),
        texts=[""] * size,
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
    for data, base, _ in parts:
        _place_segment(snap, data, base, live)
    _finish(snap)
    return snap


def _place_segment(snap: Snapshot, data: derived.SegmentData, base: int, live: np.ndarray) -> None:
    """Copy one segment's live paragraphs into the generation's arrays."""
    n = len(data.kind)
    span = slice(base, base + n)
    codes = np.array([snap.by_report_id.get(r, NONE) for r in data.report_ids] + [NONE],
                     dtype=np.int32)  # fmt: skip
    report = codes[data.rid]  # rid -1 picks the trailing NONE
    keep = (data.kind == derived.PARA) & live[span] & (report != NONE)
    heads = np.array([_intern(snap.heads, h) for h in data.heads], dtype=np.int32)
    sections = np.array([_intern(snap.sections, s) for s in data.sections], dtype=np.int16)
    index = np.flatnonzero(keep)
    docs = index + base
    snap.report[docs] = report[index]
    snap.position[docs] = data.position[index]
    snap.head_id[docs] = heads[data.head[index]]
    snap.section[docs] = sections[data.section[index]]
    snap.lengths[docs] = np.diff(data.offsets)[index]
    texts = data.texts()
    for local, docnum in zip(index.tolist(), docs.tolist(), strict=True):
        snap.texts[docnum] = texts[local]


def _intern(table: list[str], value: str) -> int:
    """Index of `value` in a short table, appended when new (heads and sections are few)."""
    try:
        return table.index(value)
    except ValueError:
        table.append(value)
        return len(table) - 1


def _finish(snap: Snapshot) -> None:
    """What follows from the placed paragraphs: years, regions, live order, ranks."""
    snap.paragraphs = np.flatnonzero(snap.report != NONE).astype(np.int64)
    docs = snap.paragraphs
    codes = snap.report[docs]
    years = np.array([info.year or 0 for info in snap.reports] or [0], dtype=np.int32)
    snap.year[docs] = years[codes]
    at = np.full((DEPTHS, max(len(snap.reports), 1)), NONE, dtype=np.int32)
    for info in snap.reports:
        node = info.node
        while node != NONE:
            at[snap.nodes[node].depth, info.code] = node
            node = snap.nodes[node].parent
    snap.node_at[:, docs] = at[:, codes]
    snap.head_lengths = np.array([len(h) for h in snap.heads], dtype=np.float64)[snap.head_id]
    snap.chars = CharIndex.of(snap.texts)
    for node in snap.nodes:
        snap.named.setdefault(node.name, []).append(node.code)
        if short_name(node.name) != node.name:
            snap.short_named.setdefault(short_name(node.name), []).append(node.code)
    snap.head_chars = CharIndex.of(snap.heads)
    snap.average_length = average_length(snap.lengths, docs)
    snap.average_head_length = average_length(snap.head_lengths, docs)
    live_order = np.lexsort((snap.position[docs], codes))
    snap.natural = np.zeros(snap.size, dtype=np.int64)
    snap.natural[docs[live_order]] = np.arange(len(live_order))
    firsts = np.full(len(snap.reports), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(firsts, codes, docs)
    snap.first_doc = np.where(firsts == np.iinfo(np.int64).max, NONE, firsts)
    order = sorted(snap.reports, key=lambda r: (r.region_path, -(r.year or 0), r.report_id))
    snap.region_rank = np.zeros(len(snap.reports), dtype=np.int32)
    for rank, info in enumerate(order):
        snap.region_rank[info.code] = rank


def average_length(lengths: np.ndarray, live: np.ndarray) -> float:
    """BM25's average of a length column over the live paragraphs, at least 1."""
    return max(float(lengths[live].mean()) if len(live) else 1.0, 1.0)


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
