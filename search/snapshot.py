"""What search keeps per index generation: its segments' mapped text indexes and per-document
columns (report, position, part, heading path, length), assembled once when a generation is
first searched and shared by every request on it, so a query costs array operations over
document numbers, never a pass over stored fields or texts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from indexer import arrayfile, derived
from indexer.model import HEADING, SECTIONS, TEXT, Region
from indexer.schema import PATH_SEPARATOR, REPORT
from indexer.whoosh_fixes import deleted_docs

DEPTHS = 4  # province › city › county › town
NONE = -1
EMPTY = np.zeros(0, dtype=np.int64)


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
    region_path: tuple[str, ...] = ()  # `region_path(region)`, computed once


def region_path(region: Region) -> tuple[str, ...]:
    """Names from province down, without empty levels or a municipality's repeated city."""
    names: list[str] = []
    for name in (region.province, region.city, region.county, region.town):
        if name and (not names or names[-1] != name):
            names.append(name)
    return tuple(names)


@dataclass(frozen=True)
class Segment:
    """One segment's derived data and where its numbers start in the generation's."""

    data: derived.SegmentData
    base: int  # its first row number
    head_base: int  # its first heading path number
    dead: np.ndarray = field(default_factory=lambda: EMPTY)  # local rows of deleted reports

    def occurrences(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """Local live rows holding the needle, and how often: a binary search per dead row."""
        docs, counts = self.data.text.occurrences(needle)
        if not len(self.dead) or not len(docs):
            return docs, counts
        at = np.searchsorted(docs, self.dead)
        inside = at < len(docs)
        at = at[inside]
        drop = at[docs[at] == self.dead[inside]]
        if not len(drop):
            return docs, counts
        keep = np.ones(len(docs), dtype=bool)
        keep[drop] = False
        return docs[keep], counts[keep]


@dataclass(frozen=True)
class Shown:
    """What a hit or a report page shows of one body unit."""

    paragraph_id: str
    section: str
    kind: str  # text or heading
    section_path: list[str]
    text: str


@dataclass
class Snapshot:
    key: tuple[str, int]
    size: int  # row numbers run 0..size-1, rows of deleted reports included
    segments: list[Segment]
    paragraphs: np.ndarray  # sorted row numbers of live body units
    report: np.ndarray  # report code by row, NONE for a deleted report's rows
    position: np.ndarray  # paragraph position in its report
    section: np.ndarray  # index into `sections`
    lengths: np.ndarray  # normalised text length by row
    head_id: np.ndarray  # heading path number by row (paragraphs share paths)
    head_sizes: np.ndarray  # normalised length by heading path number
    is_heading: np.ndarray  # bool by row: the unit is a heading
    sections: list[str]
    reports: list[ReportInfo]  # code order = report_id order
    nodes: list[RegionNode]
    by_report_id: dict[str, int] = field(default_factory=dict)
    report_year: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    report_nodes: np.ndarray = field(default_factory=lambda: np.zeros((DEPTHS, 0), np.int32))
    region_rank: np.ndarray = field(default_factory=lambda: np.zeros(0))  # report code → order
    first_doc: np.ndarray = field(default_factory=lambda: np.zeros(0))  # report code → a paragraph
    average_length: float = 1.0  # BM25's average text length over live paragraphs
    average_head_length: float = 1.0  # and heading path length
    named: dict[str, list[int]] = field(default_factory=dict)  # node name → node codes, ascending
    short_named: dict[str, list[int]] = field(default_factory=dict)  # 大足 → 大足区's codes
    children: dict[int, np.ndarray] = field(default_factory=dict)  # node (NONE: top) → nodes
    years_present: set[int] = field(default_factory=set)  # years some report has
    sections_present: set[str] = field(default_factory=set)  # parts some body unit is in
    body_norm: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # BM25, by row
    head_norm: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # and heading
    _derived: dict = field(default_factory=dict, repr=False)  # `derived`

    def prefault(self) -> None:
        """Map every page of the segments' derived files in now (see arrayfile.prefault)."""
        for seg in self.segments:
            arrayfile.prefault(seg.data.owner)

    def derived(self, key: tuple, compute):
        """Data derived from this generation on first use (e.g. a facet's per-report codes):
        it lives and dies with the snapshot, so it never outlives its corpus state."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived.setdefault(key, compute())
        return found

    def natural(self, docs: np.ndarray) -> np.ndarray:
        """Reading order: by report, then position; the tie-breaker that keeps pages stable."""
        return self.report[docs].astype(np.int64) << 32 | self.position[docs]

    def occurrences(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """The live rows holding a normalised needle (ascending) and how often."""
        return _across((seg.occurrences(needle), seg.base) for seg in self.segments)

    def at_most(self, needle: str) -> int:
        """An upper bound of the rows holding a needle of two or more characters (deleted
        reports' rows included), from the postings' bounds alone: no positions are read."""
        return sum(seg.data.text.at_most(needle) for seg in self.segments)

    def characters(self) -> list[str]:
        """Every character some text or heading of the generation holds (matching form)."""
        codes = set()
        for seg in self.segments:
            codes.update(seg.data.text.ukeys.tolist())
            codes.update(seg.data.heads.ukeys.tolist())
        return [chr(code) for code in sorted(codes)]

    def head_occurrences(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """The heading paths (by number, ascending) holding a normalised needle, and how often."""
        return _across((seg.data.heads.occurrences(needle), seg.head_base) for seg in self.segments)

    def text(self, row: int) -> str:
        """A body unit's normalised text."""
        seg = self._segment_of(row)
        return seg.data.text.text(row - seg.base)

    def shown(self, row: int) -> Shown:
        """A body unit as written, with its id, part and heading path."""
        seg = self._segment_of(row)
        data, local = seg.data, row - seg.base
        path = data.head_paths[int(data.head[local])]
        section = int(self.section[row])
        return Shown(
            data.ids[local], self.sections[section] if section >= 0 else "",
            HEADING if data.unit[local] == derived.HEADING_UNIT else TEXT,
            path.split(PATH_SEPARATOR) if path else [], data.texts[local],
        )  # fmt: skip

    def _segment_of(self, row: int) -> Segment:
        bases = [seg.base for seg in self.segments]
        return self.segments[int(np.searchsorted(bases, row, side="right")) - 1]

    def docs_of(self, code: int) -> np.ndarray:
        """The paragraphs of one report, in reading order."""
        docs = np.flatnonzero(self.report == code)
        return docs[np.argsort(self.position[docs], kind="stable")]

    def report_of(self, row: int) -> ReportInfo:
        return self.reports[int(self.report[row])]

    def nodes_named(self, value: str) -> list[int]:
        """Region nodes a user's value names: a name at any level, or a path ending with it."""
        parts = tuple(p for p in _split_path(value) if p)
        if not parts:
            return []
        named = self.named.get(parts[-1], [])
        return [c for c in named if self.nodes[c].path[-len(parts) :] == parts]


def _across(found) -> tuple[np.ndarray, np.ndarray]:
    """Segments' (numbers, counts), each shifted by its segment's base, end to end."""
    parts = [(numbers + base, counts) for (numbers, counts), base in found if len(numbers)]
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return EMPTY, EMPTY
    return np.concatenate([n for n, _ in parts]), np.concatenate([c for _, c in parts])


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
    data is derived from the stored fields now. The texts and their postings stay in the
    segments' mapped files; only per-row columns are assembled here. Rows (body units) are
    numbered across the generation, segment after segment.
    """
    segments, reports_of = [], []
    rows = heads = 0
    for leaf in derived.segments(reader):
        data = derived.load(folder, leaf)
        segments.append(Segment(data, rows, heads))
        gone = set(deleted_docs(leaf).tolist())
        reports_of.append([(local, f) for local, f in data.reports
                           if local not in gone and f["kind"] == REPORT])  # fmt: skip
        rows, heads = rows + len(data.owner), heads + data.heads.size
    report_docs = sorted(
        (f for found in reports_of for _, f in found), key=lambda f: f["report_id"]
    )
    tree = _Tree()
    reports = [_report_info(code, f, tree) for code, f in enumerate(report_docs)]
    nodes = tree.nodes
    snap = Snapshot(
        key=key,
        size=rows,
        segments=segments,
        paragraphs=EMPTY,
        report=np.full(rows, NONE, dtype=np.int32),
        position=np.zeros(rows, dtype=np.int32),
        section=np.full(rows, NONE, dtype=np.int16),
        lengths=np.zeros(rows, dtype=np.int32),
        head_id=np.zeros(rows, dtype=np.int32),
        head_sizes=np.zeros(heads, dtype=np.float64),
        is_heading=np.zeros(rows, dtype=bool),
        sections=list(SECTIONS),
        reports=reports,
        nodes=nodes,
        by_report_id={info.report_id: info.code for info in reports},
    )
    for n, (seg, found) in enumerate(zip(segments, reports_of, strict=True)):
        owner_code = np.full(seg.data.docs + 1, NONE, dtype=np.int32)
        for local, f in found:
            owner_code[local] = snap.by_report_id[f["report_id"]]
        dead = np.flatnonzero(owner_code[seg.data.owner] == NONE).astype(seg.data.owner.dtype)
        snap.segments[n] = replace(seg, dead=dead)
        _place_segment(snap, seg, owner_code)
    _finish(snap)
    return snap


def _place_segment(snap: Snapshot, seg: Segment, owner_code: np.ndarray) -> None:
    """Copy one segment's columns into the generation's; rows of deleted reports stay NONE."""
    data, span = seg.data, slice(seg.base, seg.base + len(seg.data.owner))
    sections = np.array([_intern(snap.sections, s) for s in data.sections], dtype=np.int16)
    snap.report[span] = owner_code[data.owner]
    snap.position[span] = data.position
    snap.section[span] = sections[data.section]
    snap.lengths[span] = data.lengths
    snap.head_id[span] = data.head + seg.head_base
    snap.is_heading[span] = data.unit == derived.HEADING_UNIT
    snap.head_sizes[seg.head_base : seg.head_base + data.heads.size] = data.head_lengths


def _intern(table: list[str], value: str) -> int:
    """Index of `value` in a short table, appended when new (parts are few)."""
    try:
        return table.index(value)
    except ValueError:
        table.append(value)
        return len(table) - 1


def _finish(snap: Snapshot) -> None:
    """What follows from the placed paragraphs: years, regions, live order, ranks."""
    snap.paragraphs = np.flatnonzero(snap.report != NONE).astype(np.int32)
    docs = snap.paragraphs
    codes = snap.report[docs]
    snap.report_year = np.array([info.year or 0 for info in snap.reports], dtype=np.int32)
    lineage = np.full((len(snap.nodes) + 1, DEPTHS), NONE, dtype=np.int32)  # last row: NONE's
    for node in snap.nodes:  # parents come before their children
        lineage[node.code] = lineage[node.parent]
        lineage[node.code, node.depth] = node.code
    snap.report_nodes = np.ascontiguousarray(
        lineage[np.array([info.node for info in snap.reports], dtype=np.int64)].T
    )
    kids: dict[int, list[int]] = {}
    for node in snap.nodes:
        kids.setdefault(node.parent, []).append(node.code)
        snap.named.setdefault(node.name, []).append(node.code)
        if short_name(node.name) != node.name:
            snap.short_named.setdefault(short_name(node.name), []).append(node.code)
    snap.children = {parent: np.array(codes, dtype=np.int64) for parent, codes in kids.items()}
    snap.average_length = average_length(snap.lengths, docs)
    snap.average_head_length = average_length(snap.head_sizes[snap.head_id], docs)
    snap.body_norm = bm25_norm(snap.lengths, snap.average_length)
    snap.head_norm = bm25_norm(snap.head_sizes[snap.head_id], snap.average_head_length)
    snap.years_present = {info.year for info in snap.reports if info.year}
    used = np.bincount(snap.section[docs], minlength=len(snap.sections))
    snap.sections_present = {snap.sections[i] for i in np.flatnonzero(used).tolist()}
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else EMPTY
    firsts = np.full(len(snap.reports), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(firsts, codes[starts], docs[starts])  # a report's run starts: few, any order
    snap.first_doc = np.where(firsts == np.iinfo(np.int64).max, NONE, firsts)
    order = sorted(snap.reports, key=lambda r: (r.region_path, -(r.year or 0), r.report_id))
    snap.region_rank = np.zeros(len(snap.reports), dtype=np.int32)
    for rank, info in enumerate(order):
        snap.region_rank[info.code] = rank


B = 0.75  # BM25's length normalisation


def bm25_norm(lengths: np.ndarray, average: float) -> np.ndarray:
    """BM25's length normalisation of each row: 1 - b + b * length / average."""
    return (1 - B + B * lengths / average).astype(np.float32)


def average_length(lengths: np.ndarray, live: np.ndarray) -> float:
    """BM25's average of a length column over the live paragraphs, at least 1."""
    return max(float(lengths[live].mean()) if len(live) else 1.0, 1.0)


def _report_info(code: int, f: dict, tree: _Tree) -> ReportInfo:
    region = Region(f.get("province"), f.get("city"), f.get("county"), f.get("town"))
    path, node = tree.place(region)
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
        region_path=path,
    )


@dataclass
class _Tree:
    """The region nodes as reports are placed in them, parents before children."""

    nodes: list[RegionNode] = field(default_factory=list)
    codes: dict[tuple[str, ...], int] = field(default_factory=dict)  # path → node code
    placed: dict[tuple, tuple[tuple[str, ...], int]] = field(default_factory=dict)

    def place(self, region: Region) -> tuple[tuple[str, ...], int]:
        """A region's path and deepest node, adding missing nodes; memoised per region (a
        town's reports of several years share one)."""
        key = (region.province, region.city, region.county, region.town)
        known = self.placed.get(key)
        if known is not None:
            return known
        node, path = NONE, region_path(region)
        for depth in range(len(path)):
            prefix = path[: depth + 1]
            if prefix not in self.codes:
                self.codes[prefix] = len(self.nodes)
                self.nodes.append(RegionNode(len(self.nodes), prefix, node))
            node = self.codes[prefix]
        self.placed[key] = path, node
        return path, node
