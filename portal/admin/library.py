"""What the corpus holds and what the live index says of each file: the manage list, and the
checks an upload meets (same body as a report already in, same region and year)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from indexer import derived, location
from indexer.corpus import scan
from indexer.errors import ParseError
from indexer.model import Region
from indexer.schema import DUPLICATE, REPORT
from indexer.whoosh_fixes import open_index

from .jobs import Places, last_build
from .parsing import parse_isolated

LEVELS = Region.LEVELS


@dataclass
class Entry:
    """One corpus file: `status` is indexed, duplicate, failed or pending (not built yet)."""

    source: str
    status: str
    report_id: str = ""
    title: str = ""
    region: Region = field(default_factory=Region)
    year: int | None = None
    digest: str = ""
    note: str = ""  # why it failed, or which file it repeats
    warnings: list[str] = field(default_factory=list)

    @property
    def region_label(self) -> str:
        return " › ".join(dict.fromkeys(v for v in self.region.as_dict().values() if v))


STATUS_LABELS = {"indexed": "已索引", "duplicate": "重复未索引", "failed": "索引失败",
                 "pending": "待索引"}  # fmt: skip


def indexed_documents(index_root: Path) -> list[dict]:
    """The live generation's report and duplicate documents (empty before the first build)."""
    folder = location.current_dir(index_root)
    if folder is None:
        return []
    with open_index(folder).reader() as reader:
        return derived.file_documents(folder, reader)


def warnings_of(index_root: Path, report_ids: list[str]) -> dict[str, list[str]]:
    """The parse warnings the index keeps for some reports."""
    folder = location.current_dir(index_root)
    if folder is None or not report_ids:
        return {}
    with open_index(folder).searcher() as searcher:
        found = {}
        for rid in report_ids:
            doc = searcher.document(pid=rid)
            found[rid] = list((doc or {}).get("meta", {}).get("warnings", []))
        return found


def entries(places: Places) -> list[Entry]:
    """Every corpus file with its state in the index, in corpus order."""
    docs = {doc["source"]: doc for doc in indexed_documents(places.index)}
    by_digest = {d.get("digest"): d["source"] for d in docs.values() if d.get("kind") == REPORT}
    failed = dict(map(tuple, last_build(places).get("summary", {}).get("failed", [])))
    found = []
    for path, _ in scan(places.corpus):
        source = path.relative_to(places.corpus).as_posix()
        doc = docs.get(source)
        if doc is None:
            status = "failed" if source in failed else "pending"
            found.append(Entry(source, status, note=failed.get(source, "")))
        elif doc.get("kind") == DUPLICATE:
            repeats = by_digest.get(doc.get("digest"), "?")
            found.append(Entry(source, "duplicate", digest=doc.get("digest") or "",
                               note=f"正文与 {repeats} 相同"))  # fmt: skip
        else:
            found.append(_indexed_entry(source, doc))
    return found


def explain(places: Places, entry: Entry) -> None:
    """A file the index does not hold and no admin build reported: parse it to say why it
    failed (a build from the command line), or that the next build will add it."""
    if entry.status != "pending":
        return
    try:
        parse_isolated(places.corpus / entry.source)
    except ParseError as exc:
        entry.status, entry.note = "failed", exc.reason
    else:
        entry.note = "下次构建索引时编入"


def _indexed_entry(source: str, doc: dict) -> Entry:
    region = Region(**{level: doc.get(level) or None for level in LEVELS})
    return Entry(source, "indexed", doc["report_id"], doc.get("title") or "", region,
                 doc.get("year"), doc.get("digest") or "")  # fmt: skip


def same_body(places: Places, digest: str) -> Entry | None:
    return next((e for e in entries(places) if e.status == "indexed" and e.digest == digest), None)


def same_region_year(places: Places, region: Region, year: int | None) -> list[Entry]:
    if year is None or not any(region.as_dict().values()):
        return []
    return [e for e in entries(places)
            if e.status == "indexed" and e.year == year and e.region == region]  # fmt: skip


def taken_stems(places: Places) -> set[str]:
    """Names a new file may not take: every corpus file's stem and every indexed report id."""
    stems = {Path(e.source).stem for e in entries(places)}
    return stems | {doc.get("report_id") for doc in indexed_documents(places.index)}


def corpus_file(places: Places, source: str) -> Path | None:
    """The corpus file named by `source` (as listed, never a path built from user input)."""
    for path, _ in scan(places.corpus):
        if path.relative_to(places.corpus).as_posix() == source:
            return path
    return None
