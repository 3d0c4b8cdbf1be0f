"""Plain dataclasses for the parsed domain: Region, Paragraph, Report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SECTIONS = (
    "前言",
    "主要举措和成效",
    "第一责任人职责",
    "存在的不足和原因",
    "下一年度工作安排",
    "其他需要报告的情况",
)


@dataclass
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    town: str | None = None

    LEVELS = ("province", "city", "county", "town")

    def as_dict(self) -> dict[str, str | None]:
        return {level: getattr(self, level) for level in self.LEVELS}


TEXT, HEADING = "text", "heading"  # what a searchable unit of the body is


@dataclass
class Paragraph:
    """One searchable unit of the body: a paragraph of text, or a heading (kind=HEADING).

    A heading's `section_path` ends with the heading itself.
    """

    id: str
    text: str
    section: str
    section_path: list[str] = field(default_factory=list)
    kind: str = TEXT


@dataclass
class Dropped:
    """A source line left out of the body, with the Chinese reason (title block, page chrome, …)."""

    line: str
    reason: str


@dataclass
class Report:
    report_id: str
    title: str | None
    issuers: list[str]
    region: Region
    year: int | None
    issued: str | None
    doc_number: str | None
    level: str | None
    paragraphs: list[Paragraph]
    source: str = ""
    format: str = ""
    sha256: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (field, Chinese warning)
    low_confidence: list[str] = field(default_factory=list)  # fields inferred with low confidence
    corrected: list[str] = field(default_factory=list)  # fields set by the curator's sidecar
    dropped: list[Dropped] = field(default_factory=list)  # lines not in any paragraph, with why

    @property
    def issuer(self) -> str | None:
        return "、".join(self.issuers) or None

    @property
    def warnings(self) -> list[str]:
        return [message for _, message in self.notes]

    def to_json(self) -> dict:
        """The `inspect --json` contract."""
        return self.metadata() | {"paragraphs": [asdict(p) for p in self.paragraphs]}

    @classmethod
    def from_json(cls, data: dict, notes: list | None = None) -> Report:
        """The report `to_json()` wrote; `notes` (field, warning) restores the warnings' fields,
        which the contract leaves out."""
        report = cls(
            data["report_id"], data["title"], list(data["issuers"]), Region(**data["region"]),
            data["year"], data["issued"], data["doc_number"], data["level"],
            [Paragraph(**p) for p in data["paragraphs"]], data["source"], data["format"],
            data["sha256"],
        )  # fmt: skip
        report.notes = (
            [tuple(n) for n in notes] if notes is not None else [("", w) for w in data["warnings"]]
        )
        report.low_confidence = list(data["low_confidence"])
        report.corrected = list(data["corrected"])
        report.dropped = [Dropped(**d) for d in data["dropped"]]
        return report

    def metadata(self) -> dict:
        """`to_json()` without the paragraphs."""
        return {
            "report_id": self.report_id,
            "title": self.title,
            "issuer": self.issuer,
            "issuers": list(self.issuers),
            "region": self.region.as_dict(),
            "year": self.year,
            "issued": self.issued,
            "doc_number": self.doc_number,
            "level": self.level,
            "source": self.source,
            "format": self.format,
            "sha256": self.sha256,
            "warnings": list(self.warnings),
            "low_confidence": list(self.low_confidence),
            "corrected": list(self.corrected),
            "dropped": [asdict(d) for d in self.dropped],
        }
