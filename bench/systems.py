"""The four systems the benchmark compares, behind one small interface.

- `ours`: this project (indexer.build + search.engine);
- `whoosh-jieba`: what a newcomer would build: Whoosh with `jieba.analyse.ChineseAnalyzer`;
- `fts5-trigram`: SQLite FTS5 with the trigram tokenizer, `LIKE` for 1–2 character terms,
  facets by `GROUP BY`;
- `scan`: every paragraph in memory, Python substring search, facets counted in a loop.

Every system starts from the same files and the same parser, answers the same mix (all terms in
one paragraph, facet counts for region, year and section, a page of 20), and reports the set of
matching paragraph ids so that recall and precision can be measured against the scan.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer.analysis import normalize
from indexer.build import Job, build, parse_all
from indexer.corpus import corpus_files
from indexer.parse import parse_file

PAGE = 20


@dataclass(frozen=True)
class Item:
    name: str
    terms: tuple[str, ...]  # every term must occur in the paragraph
    page: int = 1
    view: str = "paragraphs"
    phrase: bool = False  # one term, quoted: recall/precision must be exactly 1.0 for ours

    @property
    def query(self) -> str:
        return f'"{self.terms[0]}"' if self.phrase else " ".join(self.terms)


@dataclass
class Answer:
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    page: list[str] = field(default_factory=list)


@dataclass
class Record:
    pid: str
    report_id: str
    province: str
    city: str
    county: str
    town: str
    year: str
    section: str
    text: str


def records(corpus: Path, workers: int = 2) -> list[Record]:
    """Every paragraph of the corpus, parsed by the project's parser on all cores."""
    jobs = [Job(p, p.name, "") for p in corpus_files(corpus)]
    return [r for _, report, _ in parse_all(jobs, workers, iter) if report for r in _of(report)]


def report_records(path: Path) -> list[Record]:
    return _of(parse_file(path))


def _of(report) -> list[Record]:
    region = report.region.as_dict()
    return [
        Record(
            f"{report.report_id}#{p.id}",
            report.report_id,
            region["province"] or "",
            region["city"] or "",
            region["county"] or "",
            region["town"] or "",
            str(report.year or ""),
            p.section,
            p.text,
        )  # fmt: skip
        for p in report.paragraphs
    ]


def folder_bytes(folder: Path) -> int:
    if folder.is_file():
        return folder.stat().st_size
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# --- ours ---------------------------------------------------------------------------------------


class Ours:
    name = "ours"

    def build(self, corpus: Path, folder: Path) -> None:
        build(corpus, folder, rebuild=True)

    def update(self, corpus: Path, folder: Path, changed: list[Path]) -> None:
        build(corpus, folder)

    def open(self, folder: Path) -> None:
        from search.engine import Engine

        self.engine = Engine(folder)
        self.engine.warm()

    def clear_cache(self) -> None:
        self.engine.forget()

    def run(self, item: Item) -> Answer:
        from search.engine import SearchRequest

        request = SearchRequest(q=item.query, page=item.page, view=item.view)
        result = self.engine.search(request)
        facets = {
            f: {v.value: v.count for v in getattr(result.facets, f)}
            for f in ("region", "year", "section")
        }
        return Answer(result.total, facets, [_hit_key(h) for h in result.hits])

    def matches(self, item: Item) -> set[str]:
        from search.evaluate import matches
        from search.query import parse

        with self.engine.session() as session:
            snap = session.snapshot
            docs = matches(parse(item.query).node, session.matcher)
            return {f"{snap.report_of(d).report_id}#p{snap.position[d]}" for d in docs.tolist()}


def _hit_key(hit) -> str:
    return f"{hit.report_id}#{getattr(hit, 'paragraph_id', '')}"


# --- scan ---------------------------------------------------------------------------------------


class Scan:
    name = "scan"

    def build(self, corpus: Path, folder: Path) -> None:
        self.rows = [(normalize(r.text), r) for r in records(corpus)]

    def update(self, corpus: Path, folder: Path, changed: list[Path]) -> None:
        stems = {p.stem for p in changed}
        self.rows = [row for row in self.rows if row[1].report_id not in stems]
        for path in changed:
            self.rows += [(normalize(r.text), r) for r in report_records(path)]

    def open(self, folder: Path) -> None:
        pass

    def clear_cache(self) -> None:
        pass

    def _found(self, item: Item) -> list[Record]:
        needles = [normalize(t) for t in item.terms]
        return [r for text, r in self.rows if all(n in text for n in needles)]

    def run(self, item: Item) -> Answer:
        found = self._found(item)
        facets = {
            "region": dict(Counter(r.province for r in found)),
            "year": dict(Counter(r.year for r in found)),
            "section": dict(Counter(r.section for r in found)),
        }
        return Answer(len(found), facets, _page(found, item))

    def matches(self, item: Item) -> set[str]:
        return {r.pid for r in self._found(item)}


def _page(found: list[Record], item: Item) -> list[str]:
    start = (item.page - 1) * PAGE
    if item.view == "reports":
        counts = Counter(r.report_id for r in found)
        return [rid for rid, _ in counts.most_common()[start : start + PAGE]]
    return [r.pid for r in found[start : start + PAGE]]


# --- SQLite FTS5 trigram ------------------------------------------------------------------------


class Fts5:
    name = "fts5-trigram"
    COLUMNS = "pid, report_id, province, city, county, town, year, section, text"

    def build(self, corpus: Path, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "fts.sqlite"
        path.unlink(missing_ok=True)
        db = sqlite3.connect(path)
        db.executescript(
            f"CREATE TABLE p(rowid INTEGER PRIMARY KEY, {self.COLUMNS});"
            "CREATE INDEX p_report ON p(report_id);"
            "CREATE VIRTUAL TABLE f USING fts5(text, content='p', content_rowid='rowid', tokenize='trigram');"
        )
        rows = records(corpus)
        db.executemany(f"INSERT INTO p({self.COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", map(_row, rows))
        db.execute("INSERT INTO f(f) VALUES ('rebuild')")
        db.commit()
        db.close()

    def update(self, corpus: Path, folder: Path, changed: list[Path]) -> None:
        db = sqlite3.connect(folder / "fts.sqlite")
        for path in changed:
            old = db.execute(
                "SELECT rowid, text FROM p WHERE report_id = ?", (path.stem,)
            ).fetchall()
            db.executemany("INSERT INTO f(f, rowid, text) VALUES ('delete', ?, ?)", old)
            db.execute("DELETE FROM p WHERE report_id = ?", (path.stem,))
            for r in report_records(path):
                cur = db.execute(
                    f"INSERT INTO p({self.COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", _row(r)
                )
                db.execute("INSERT INTO f(rowid, text) VALUES (?, ?)", (cur.lastrowid, r.text))
        db.commit()
        db.close()

    def open(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "fts.sqlite", check_same_thread=False)

    def clear_cache(self) -> None:
        pass

    def _where(self, item: Item) -> tuple[str, list]:
        clauses, args = [], []
        for term in item.terms:
            if len(term) >= 3:
                clauses.append("rowid IN (SELECT rowid FROM f WHERE f MATCH ?)")
                args.append('"' + term.replace('"', '""') + '"')
            else:  # the trigram tokenizer cannot look up 1- and 2-character terms
                clauses.append("text LIKE ?")
                args.append(f"%{term}%")
        return " AND ".join(clauses), args

    def run(self, item: Item) -> Answer:
        where, args = self._where(item)
        total = self.db.execute(f"SELECT count(*) FROM p WHERE {where}", args).fetchone()[0]
        facets = {
            name: dict(
                self.db.execute(
                    f"SELECT {col}, count(*) FROM p WHERE {where} GROUP BY {col}", args
                ).fetchall()
            )
            for name, col in (("region", "province"), ("year", "year"), ("section", "section"))
        }
        offset = (item.page - 1) * PAGE
        if item.view == "reports":
            sql = f"SELECT report_id FROM p WHERE {where} GROUP BY report_id ORDER BY count(*) DESC LIMIT {PAGE} OFFSET {offset}"
        else:
            sql = f"SELECT pid FROM p WHERE {where} ORDER BY rowid LIMIT {PAGE} OFFSET {offset}"
        page = [row[0] for row in self.db.execute(sql, args)]
        return Answer(total, facets, page)

    def matches(self, item: Item) -> set[str]:
        where, args = self._where(item)
        return {row[0] for row in self.db.execute(f"SELECT pid FROM p WHERE {where}", args)}


def _row(r: Record) -> tuple:
    return (r.pid, r.report_id, r.province, r.city, r.county, r.town, r.year, r.section, r.text)


# --- Whoosh with jieba's ChineseAnalyzer --------------------------------------------------------


class WhooshJieba:
    """The stock setup from jieba's README: ChineseAnalyzer on a TEXT field, QueryParser, groupedby."""

    name = "whoosh-jieba"

    def schema(self):
        from jieba.analyse import ChineseAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        return Schema(
            pid=ID(stored=True, unique=True), report_id=ID(stored=True, sortable=True),
            province=ID(stored=True, sortable=True), year=ID(stored=True, sortable=True),
            section=ID(stored=True, sortable=True), text=TEXT(analyzer=ChineseAnalyzer()),
        )  # fmt: skip

    def build(self, corpus: Path, folder: Path) -> None:
        from whoosh import index

        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        ix = index.create_in(str(folder), self.schema())
        writer = ix.writer()
        for r in records(corpus):
            writer.add_document(**self._doc(r))
        writer.commit()

    def _doc(self, r: Record) -> dict:
        return {"pid": r.pid, "report_id": r.report_id, "province": r.province or "-",
                "year": r.year or "-", "section": r.section or "-", "text": r.text}  # fmt: skip

    def update(self, corpus: Path, folder: Path, changed: list[Path]) -> None:
        from whoosh import index

        writer = index.open_dir(str(folder)).writer()
        for path in changed:
            writer.delete_by_term("report_id", path.stem)
            for r in report_records(path):
                writer.add_document(**self._doc(r))
        writer.commit()

    def open(self, folder: Path) -> None:
        from whoosh import index
        from whoosh.qparser import QueryParser

        self.ix = index.open_dir(str(folder))
        self.parser = QueryParser("text", self.ix.schema)
        self.searcher = self.ix.searcher()

    def clear_cache(self) -> None:
        pass

    def run(self, item: Item) -> Answer:
        query = self.parser.parse(item.query)
        groups = ["province", "year", "section"] + (["report_id"] if item.view == "reports" else [])
        page = self.searcher.search_page(query, item.page, pagelen=PAGE, groupedby=groups)
        results = page.results
        facets = {
            name: {k: len(v) for k, v in results.groups(field).items()}
            for name, field in (("region", "province"), ("year", "year"), ("section", "section"))
        }
        if item.view == "reports":
            ranked = sorted(results.groups("report_id").items(), key=lambda kv: -len(kv[1]))
            start = (item.page - 1) * PAGE
            return Answer(len(results), facets, [k for k, _ in ranked[start : start + PAGE]])
        return Answer(len(results), facets, [hit["pid"] for hit in page])

    def matches(self, item: Item) -> set[str]:
        results = self.searcher.search(self.parser.parse(item.query), limit=None)
        return {hit["pid"] for hit in results}


SYSTEMS = {cls.name: cls for cls in (Ours, WhooshJieba, Fts5, Scan)}


def cpu_count() -> int:
    return os.cpu_count() or 1
