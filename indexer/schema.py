"""The index schema, defined once and used by `indexer/` to write and by `search/` to read.

One document per report (kind=report): its fields, the source file's fingerprint for
incremental updates, and its body units in reading order; plus one per file skipped because its
body repeats another report's (kind=duplicate).

Only what the index itself must find is indexed: the kind and the `pid` (an update deletes by
it). Searching, ranking, filtering and showing paragraphs go through the derived data
(indexer/derived.py); the index holds the record, one document per report, which keeps a build
to the cost of parsing.
"""

from __future__ import annotations

import hashlib

from whoosh.fields import ID, STORED, Schema

from .analysis import normalize
from .model import Report

REPORT, DUPLICATE = "report", "duplicate"


PATH_SEPARATOR = " › "
# Bump when analysis or schema changes: every report is then re-indexed by the next build.
INDEX_VERSION = "13"


def make_schema() -> Schema:
    return Schema(
        kind=ID(stored=True),
        pid=ID(stored=True, unique=True),  # the report id; duplicate:<file> for a duplicate
        report_id=STORED,
        position=STORED,  # the report's number of body units
        title=STORED,
        issuer=STORED,
        province=STORED,
        city=STORED,
        county=STORED,
        town=STORED,
        year=STORED,
        paragraphs=STORED,  # body units, each a tuple of PARAGRAPH_FIELDS
        source=STORED,
        fingerprint=STORED,
        digest=STORED,  # SHA-256 of the normalised body: the same report under two names
        filestat=STORED,  # the source file's stat when indexed (indexer/corpus.py)
        meta=STORED,  # the report's parsed metadata (the inspect contract without paragraphs)
    )


SCHEMA = make_schema()


def _common(report: Report) -> dict:
    fields = {
        "report_id": report.report_id,
        "title": report.title or "",
        "issuer": report.issuer or "",
        **{level: name for level, name in report.region.as_dict().items() if name},
    }
    if report.year is not None:
        fields["year"] = report.year
    return fields


def body_digest(report: Report) -> str:
    """Equal for two files whose body text is the same once normalised."""
    body = "\n".join(normalize(p.text) for p in report.paragraphs)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def duplicate_pid(source: str) -> str:
    return f"duplicate:{source}"


def duplicate_marker(source: str, fingerprint: str, digest: str, filestat: str = "") -> dict:
    """Remembers a file skipped because its body repeats another's, so it is not parsed again."""
    return {
        "kind": DUPLICATE, "pid": duplicate_pid(source), "source": source,
        "fingerprint": fingerprint, "digest": digest, "filestat": filestat,
    }  # fmt: skip


PARAGRAPH_FIELDS = ("paragraph_id", "section", "unit", "section_path", "text")


def document(
    report: Report, source: str, fingerprint: str, digest: str = "", filestat: str = ""
) -> dict:
    """The index document of one report: its fields, and its body units as `paragraphs`, one
    tuple of PARAGRAPH_FIELDS each (the section path joined with PATH_SEPARATOR)."""
    return {
        **_common(report),
        "kind": REPORT,
        "pid": report.report_id,
        "source": source,
        "fingerprint": fingerprint,
        "digest": digest,
        "filestat": filestat,
        "position": len(report.paragraphs),
        "meta": report.metadata(),
        "paragraphs": [
            (p.id, p.section, p.kind, PATH_SEPARATOR.join(p.section_path), p.text)
            for p in report.paragraphs
        ],
    }
