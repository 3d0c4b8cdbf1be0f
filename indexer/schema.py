"""The index schema, defined once and used by `indexer/` to write and by `search/` to read.

One document per report (kind=report) carrying its fields and the source file's fingerprint for
incremental updates, then one per body unit (kind=paragraph) carrying its own fields and its
report's id, plus one per file skipped because its body repeats another report's
(kind=duplicate).

Only what the index itself must find is indexed: the kind, a report's or duplicate's `pid` and a
paragraph's `report_id` (an update deletes by them). Searching, ranking and filtering go through
the derived data (indexer/derived.py); everything else is stored, which keeps a build to the
cost of writing the records.
"""

from __future__ import annotations

import hashlib

from whoosh.fields import ID, STORED, Schema

from .analysis import normalize
from .model import Report

PARAGRAPH, REPORT, DUPLICATE = "paragraph", "report", "duplicate"


PATH_SEPARATOR = " › "
# Bump when analysis or schema changes: every report is then re-indexed by the next build.
INDEX_VERSION = "11"


def make_schema() -> Schema:
    return Schema(
        kind=ID(stored=True),
        pid=ID(stored=True, unique=True),  # report and duplicate documents
        report_id=ID(stored=True),
        paragraph_id=STORED,
        position=STORED,  # a paragraph's place in its report; a report's number of paragraphs
        title=STORED,
        issuer=STORED,
        province=STORED,
        city=STORED,
        county=STORED,
        town=STORED,
        year=STORED,
        section=STORED,
        unit=STORED,  # a paragraph document's kind of body unit: text or heading
        section_path=STORED,  # " › "-joined headings
        text=STORED,  # searched and ranked through its derived text index (indexer/derived.py)
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


def documents(
    report: Report, source: str, fingerprint: str, digest: str = "", filestat: str = ""
) -> list[dict]:
    """The index documents of one report: a report document, then one per paragraph."""
    common = _common(report)
    docs = [
        {
            **common,
            "kind": REPORT,
            "pid": report.report_id,
            "source": source,
            "fingerprint": fingerprint,
            "digest": digest,
            "filestat": filestat,
            "position": len(report.paragraphs),
            "meta": {k: v for k, v in report.to_json().items() if k != "paragraphs"},
        }
    ]
    for position, paragraph in enumerate(report.paragraphs, start=1):
        docs.append(
            {
                "kind": PARAGRAPH,
                "report_id": report.report_id,
                "paragraph_id": paragraph.id,
                "position": position,
                "section": paragraph.section,
                "unit": paragraph.kind,
                "section_path": PATH_SEPARATOR.join(paragraph.section_path),
                "text": paragraph.text,
            }
        )
    return docs
