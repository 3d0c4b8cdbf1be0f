"""Build or update the Whoosh index from a corpus folder: incremental by default, atomic on rebuild."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index
from whoosh.writing import IndexWriter

from . import location, whoosh_fixes
from .corpus import corpus_files, fingerprint
from .errors import ParseError
from .model import Report
from .parse import parse_file
from .schema import INDEX_VERSION, REPORT, SCHEMA, documents

log = logging.getLogger("indexer.build")
whoosh_fixes.apply()
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


@dataclass
class Job:
    path: Path
    source: str  # path relative to the corpus: the report's identity for incremental updates
    fingerprint: str


def _parse(job: Job) -> tuple[Job, Report | None, str | None]:
    try:
        return job, parse_file(job.path), None
    except ParseError as exc:
        return job, None, exc.reason
    except Exception as exc:  # a parser bug must not stop the other files
        return job, None, f"解析时出现内部错误：{type(exc).__name__}: {exc}"


def parse_all(
    jobs: list[Job], workers: int, progress: Progress
) -> Iterator[tuple[Job, Report | None, str | None]]:
    """Parse files on all cores; results arrive in job order."""
    if workers <= 1 or len(jobs) < 8:
        yield from progress(map(_parse, jobs))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from progress(pool.map(_parse, jobs, chunksize=4))


def _indexed(ix: index.Index) -> dict[str, tuple[str, str]]:
    """source → (fingerprint, report_id) of the reports already in the index."""
    with ix.searcher() as searcher:
        return {
            doc["source"]: (doc["fingerprint"], doc["report_id"])
            for doc in searcher.documents(kind=REPORT)
        }


def build(
    corpus: Path,
    root: Path | None = None,
    rebuild: bool = False,
    progress: ProgressFactory = no_progress,
    workers: int | None = None,
) -> Summary:
    """Index every report in `corpus`; only changed files are re-parsed unless `rebuild`."""
    started = time.perf_counter()
    root = location.index_root(root)
    workers = workers or min(2, os.cpu_count() or 1)
    jobs = [
        Job(p, p.relative_to(corpus).as_posix(), f"{INDEX_VERSION}:{fingerprint(p)}")
        for p in corpus_files(corpus)
    ]
    live = location.current_dir(root)
    summary = Summary()
    if rebuild or live is None or not _current_schema(live):
        folder = location.new_generation(root)
        try:
            ix = index.create_in(str(folder), SCHEMA)
            _write(ix, jobs, {}, summary, workers, progress)
        except BaseException:
            location.discard(folder)
            raise
        location.switch_to(root, folder)
    else:
        ix = index.open_dir(str(live))
        _write(ix, jobs, _indexed(ix), summary, workers, progress)
    _finish(summary, root, started)
    return summary


def _current_schema(folder: Path) -> bool:
    """An index written with other fields is rebuilt whole: fields cannot be added in place."""
    return set(index.open_dir(str(folder)).schema.names()) == set(SCHEMA.names())


def _write(
    ix, jobs: list[Job], indexed: dict, summary: Summary, workers: int, progress: ProgressFactory
) -> None:
    todo = [job for job in jobs if indexed.get(job.source, ("",))[0] != job.fingerprint]
    summary.unchanged = len(jobs) - len(todo)
    present = {job.source for job in jobs}
    big = not indexed and len(todo) >= 50  # a new index: analyse on every core; updates stay small
    writer = ix.writer(limitmb=256, procs=workers, multisegment=True) if big else ix.writer()
    try:
        for source, (_, report_id) in indexed.items():
            if source not in present:
                writer.delete_by_term("report_id", report_id)
                summary.removed += 1
        ids = {rid: src for src, (_, rid) in indexed.items() if src in present}
        for job, report, reason in parse_all(todo, workers, progress(len(todo))):
            _add(writer, job, report, reason, indexed, ids, summary)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def _add(
    writer: IndexWriter, job: Job, report, reason, indexed: dict, ids: dict, summary: Summary
) -> None:
    if job.source in indexed:
        writer.delete_by_term("report_id", indexed[job.source][1])
        ids.pop(indexed[job.source][1], None)
    if report is not None and ids.get(report.report_id, job.source) != job.source:
        reason = f"报告编号 {report.report_id} 与 {ids[report.report_id]} 重复，请改文件名或在更正文件中指定 report_id"
    if reason is not None:
        summary.failed.append((job.source, reason))
        log.warning("✗ %s：%s", job.source, reason)
        summary.removed += job.source in indexed
        return
    ids[report.report_id] = job.source
    for doc in documents(report, job.source, job.fingerprint):
        writer.add_document(**doc)
    if job.source in indexed:
        summary.updated += 1
    else:
        summary.added += 1


def _finish(summary: Summary, root: Path, started: float) -> None:
    folder = location.current_dir(root)
    ix = index.open_dir(str(folder))
    with ix.searcher() as searcher:
        counts = [doc["position"] for doc in searcher.documents(kind=REPORT)]
    summary.reports, summary.paragraphs = len(counts), sum(counts)
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
