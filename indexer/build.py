"""Build or update the Whoosh index from a corpus folder: incremental by default, atomic on rebuild."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from whoosh import index

from . import derived, location
from .corpus import fingerprint, scan
from .errors import ParseError
from .lock import build_lock
from .model import Report
from .parse import parse_file
from .schema import (
    DUPLICATE,
    INDEX_VERSION,
    REPORT,
    SCHEMA,
    body_digest,
    document,
    duplicate_marker,
    duplicate_pid,
)
from .whoosh_fixes import merge_small, open_index

log = logging.getLogger("indexer.build")
Progress = Callable[[Iterator], Iterator]
ProgressFactory = Callable[[int], Progress]  # given the number of files to parse


def no_progress(total: int) -> Progress:
    return iter


@dataclass
class Summary:
    reports: int = 0  # reports in the index after the build
    paragraphs: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, Chinese reason)
    seconds: float = 0.0
    index_dir: str = ""
    index_bytes: int = 0
    repaired: str | None = None  # why the live generation was unusable and rebuilt whole
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, file it repeats)


@dataclass
class Job:
    path: Path
    source: str  # path relative to the corpus: the report's identity for incremental updates
    filestat: str  # size, times and inode of the file and its sidecar: cheap to compare

    @cached_property
    def fingerprint(self) -> str:
        """The content hash, read only when the file's stat changed."""
        return f"{INDEX_VERSION}:{fingerprint(self.path)}"


class Entry(NamedTuple):
    """What the index holds of one corpus file."""

    fingerprint: str
    report_id: str  # empty for a file skipped as a duplicate
    digest: str
    filestat: str


def _unchanged(job: Job, entry: Entry | None) -> bool:
    if entry is None:
        return False
    return entry.filestat == job.filestat or entry.fingerprint == job.fingerprint


def _parse(job: Job) -> tuple[Job, Report | None, str | None]:
    try:
        return job, parse_file(job.path), None
    except ParseError as exc:
        return job, None, exc.reason
    except Exception as exc:  # a parser bug must not stop the other files
        return job, None, f"解析时出现内部错误：{type(exc).__name__}: {exc}"


@dataclass
class Prepared:
    """A file parsed and made ready to index, in the parsing process: its document and its
    body units' derived forms (indexer/derived.py), or why it cannot be indexed."""

    job: Job
    report_id: str = ""
    digest: str = ""
    document: dict = field(default_factory=dict)
    forms: derived.Forms = field(default_factory=list)
    reason: str | None = None


def _prepare(job: Job) -> Prepared:
    job, report, reason = _parse(job)
    if report is None:
        return Prepared(job, reason=reason)
    digest = body_digest(report)
    doc = document(report, job.source, job.fingerprint, digest, job.filestat)
    return Prepared(job, report.report_id, digest, doc, derived.forms_of(doc))


def parse_all(
    jobs: list[Job], workers: int, progress: Progress
) -> Iterator[tuple[Job, Report | None, str | None]]:
    """Parse files on all cores; results arrive in job order."""
    return _on_all_cores(_parse, jobs, workers, progress)


def _on_all_cores(task: Callable, jobs: list[Job], workers: int, progress: Progress) -> Iterator:
    if workers <= 1 or len(jobs) < 8:
        yield from progress(map(task, jobs))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from progress(pool.map(task, jobs, chunksize=4))


def _indexed(ix: index.Index, folder: Path) -> dict[str, Entry]:
    """source → what the index holds of it, read from the segments' derived data.

    A file skipped as a duplicate is there too, with an empty report_id, so it is not parsed again.
    """
    with ix.reader() as reader:
        return {
            doc["source"]: Entry(
                doc.get("fingerprint") or "",
                doc["report_id"] if doc.get("kind") == REPORT else "",
                doc.get("digest") or "",
                doc.get("filestat") or "",
            )
            for doc in derived.file_documents(folder, reader)
        }


def build(
    corpus: Path,
    root: Path | None = None,
    rebuild: bool = False,
    progress: ProgressFactory = no_progress,
    workers: int | None = None,
    wait: float = 0.0,
) -> Summary:
    """Index every report in `corpus` into a new generation; only changed files are re-parsed
    unless `rebuild`. One build at a time: waits up to `wait` seconds, else raises BuildBusy."""
    started = time.perf_counter()
    root = location.index_root(root)
    workers = workers or min(2, os.cpu_count() or 1)
    summary = Summary()
    with build_lock(root, wait):
        location.prune_unfinished(root)
        jobs = [Job(p, p.relative_to(corpus).as_posix(), stat) for p, stat in scan(corpus)]
        live = _usable(location.current_dir(root), summary)
        folder = location.new_generation(root)
        try:
            changed, collected = _fill(folder, live, rebuild, jobs, summary, workers, progress)
            if changed:
                with open_index(folder).reader() as reader:
                    derived.write_missing(folder, reader, collected)
                location.seal(folder, None if rebuild else live)
        except BaseException:
            location.discard(folder)
            raise
        if changed:
            location.switch_to(root, folder)
        else:
            location.discard(folder)  # nothing changed: the live generation stays
    _finish(summary, root, started)
    return summary


def _usable(live: Path | None, summary: Summary) -> Path | None:
    """The live generation if an update can start from it; None means build from nothing."""
    if live is None:
        return None
    problem = location.damage(live, hashes=True)
    if problem is None:
        try:
            if set(open_index(live).schema.names()) == set(SCHEMA.names()):
                return live
            return None  # fields cannot be added in place: rebuild whole
        except Exception as exc:  # unreadable table of contents
            problem = f"索引无法打开（{type(exc).__name__}）"
    summary.repaired = problem
    log.warning("⚠ 现有索引不可用：%s；将完整重建", problem)
    return None


def _fill(
    folder: Path, live: Path | None, rebuild: bool, jobs: list[Job], summary: Summary,
    workers: int, progress: ProgressFactory,
) -> tuple[bool, list[derived.Collector] | None]:  # fmt: skip
    """Write the new generation; False when an update found nothing to change. A new index
    also returns its documents' derived data, gathered as they were added."""
    if rebuild or live is None:
        collected: list[derived.Collector] = []
        ix = index.create_in(str(folder), SCHEMA)
        _write(ix, jobs, {}, summary, workers, progress, collected)
        return True, collected
    location.clone(live, folder)
    ix = index.open_dir(str(folder))
    return _write(ix, jobs, _indexed(ix, folder), summary, workers, progress), None


def _write(
    ix, jobs: list[Job], indexed: dict, summary: Summary, workers: int, progress: ProgressFactory,
    collected: list[derived.Collector] | None = None,
) -> bool:  # fmt: skip
    """Apply the corpus to an index; False (nothing written) when every file is unchanged.

    One writer in this process, the files parsed on every core meanwhile: with only ids
    indexed, writing a document costs less than parsing it, so more writers would only add the
    cost of shipping documents between processes.
    """
    present = {job.source for job in jobs}
    todo = [job for job in jobs if not _unchanged(job, indexed.get(job.source))]
    todo += _orphaned_duplicates(jobs, todo, indexed, present)
    summary.unchanged = len(jobs) - len(todo)
    if not todo and present >= set(indexed):
        return False
    writer = Recording(ix, collected)
    try:
        for source, entry in indexed.items():
            if source not in present:
                _delete(writer, source, entry.report_id)
                summary.removed += entry.report_id != ""
        kept = {src: entry for src, entry in indexed.items() if src in present}
        seen = Seen({e.report_id: src for src, e in kept.items() if e.report_id},
                    {e.digest: src for src, e in kept.items() if e.digest})  # fmt: skip
        for prepared in _on_all_cores(_prepare, todo, workers, progress(len(todo))):
            _add(writer, prepared, indexed, seen, summary)
            writer.next_segment()
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return True


SEGMENT_ROWS = 250_000  # a new index is written in segments of about this many body units


class Recording:
    """The build's index writer. For a new index (`collected` given) it also gathers each added
    document's derived data, and starts a new segment every SEGMENT_ROWS body units (Whoosh
    keeps at most 2 GB of stored values per segment; smaller segments also bound the memory
    deriving one takes). An update merges its small segments only (`merge_small`), so it never
    rewrites a large segment and its derived data."""

    def __init__(self, ix: index.Index, collected: list[derived.Collector] | None) -> None:
        self.ix = ix
        self.collected = collected
        self.writer = ix.writer(limitmb=256)
        if collected is not None:
            collected.append(derived.Collector())

    def add_document(self, forms=None, **fields) -> None:
        if self.collected is not None:
            self.collected[-1].add(fields, forms)
        self.writer.add_document(**fields)

    def delete_by_term(self, fieldname: str, text: str) -> None:
        self.writer.delete_by_term(fieldname, text)

    def next_segment(self) -> None:
        """Between two reports: commit this segment and open the next once this one is full."""
        if self.collected is not None and len(self.collected[-1]) >= SEGMENT_ROWS:
            self.writer.commit(merge=False)
            with self.ix.reader() as reader:  # the committed segment's data, written now
                derived.write_missing(Path(self.ix.storage.folder), reader, self.collected)
            self.collected[:] = [derived.Collector()]  # and its documents' data let go
            self.writer = self.ix.writer(limitmb=256)

    def commit(self) -> None:
        if self.collected is not None:
            self.writer.commit(merge=False)
        else:
            self.writer.commit(mergetype=merge_small)

    def cancel(self) -> None:
        self.writer.cancel()


def _orphaned_duplicates(
    jobs: list[Job], todo: list[Job], indexed: dict, present: set
) -> list[Job]:
    """Unchanged duplicates of a file that changes or goes: parse them again, one may now count."""
    going = {src for src in indexed if src not in present} | {job.source for job in todo}
    digests = {indexed[src].digest for src in going if src in indexed and indexed[src].report_id}
    queued = {job.source for job in todo}
    return [
        job for job in jobs
        if job.source not in queued and job.source in indexed
        and not indexed[job.source].report_id and indexed[job.source].digest in digests
    ]  # fmt: skip


def _delete(writer: Recording, source: str, report_id: str) -> None:
    """A report's document (its pid is its id), or a duplicate's marker."""
    writer.delete_by_term("pid", report_id or duplicate_pid(source))


@dataclass
class Seen:
    """What the new generation already holds: report ids and body digests, each with its file."""

    ids: dict[str, str]
    digests: dict[str, str]

    def forget(self, source: str) -> None:
        for table in (self.ids, self.digests):
            for key in [k for k, v in table.items() if v == source]:
                del table[key]


def _add(
    writer: Recording, prepared: Prepared, indexed: dict, seen: Seen, summary: Summary
) -> None:
    job, reason, digest, report_id = (
        prepared.job,
        prepared.reason,
        prepared.digest,
        prepared.report_id,
    )
    if job.source in indexed:
        _delete(writer, job.source, indexed[job.source].report_id)
        seen.forget(job.source)
    if reason is None and seen.digests.get(digest, job.source) != job.source:
        summary.removed += job.source in indexed and indexed[job.source].report_id != ""
        writer.add_document(**duplicate_marker(job.source, job.fingerprint, digest, job.filestat))
        return
    if reason is None and seen.ids.get(report_id, job.source) != job.source:
        reason = f"报告编号 {report_id} 与 {seen.ids[report_id]} 重复，请改文件名或在更正文件中指定 report_id"
    if reason is not None:
        summary.failed.append((job.source, reason))
        log.warning("✗ %s：%s", job.source, reason)
        summary.removed += job.source in indexed
        return
    seen.ids[report_id] = job.source
    seen.digests[digest] = job.source
    writer.add_document(prepared.forms, **prepared.document)
    if job.source in indexed:
        summary.updated += 1
    else:
        summary.added += 1


def _finish(summary: Summary, root: Path, started: float) -> None:
    folder = location.current_dir(root)
    with open_index(folder).reader() as reader:
        docs = derived.file_documents(folder, reader)
    reports = [doc for doc in docs if doc.get("kind") == REPORT]
    by_digest = {doc.get("digest"): doc["source"] for doc in reports}
    summary.duplicates = [
        (doc["source"], by_digest.get(doc.get("digest"), "?"))
        for doc in docs if doc.get("kind") == DUPLICATE
    ]  # fmt: skip
    summary.reports = len(reports)
    summary.paragraphs = sum(doc["position"] for doc in reports)
    summary.index_dir = str(folder)
    summary.index_bytes = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    summary.seconds = time.perf_counter() - started


def terminal_progress(total: int) -> Progress:
    """A progress bar on a terminal, plain log lines otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        return lambda items: tqdm(items, total=total, unit="份", desc="解析与索引", file=sys.stderr)

    def lines(items: Iterator) -> Iterator:
        step = max(1, total // 10)
        for done, item in enumerate(items, start=1):
            if done % step == 0 or done == total:
                print(f"已处理 {done}/{total} 份", file=sys.stderr, flush=True)
            yield item

    return lines
