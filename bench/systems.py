"""The five systems the benchmark compares, behind one small interface.

- `ours`: this project (indexer.build + search.engine);
- `tantivy`: tantivy 0.27 (Rust, through its Python binding; `pip install '.[bench]'`):
  character bigrams with positions, single characters, BM25, facets by terms aggregations;
- `whoosh-jieba`: what a newcomer would build: Whoosh with `jieba.analyse.ChineseAnalyzer`;
- `fts5-trigram`: SQLite FTS5 with the trigram tokenizer, `LIKE` for 1–2 character terms,
  facets by `GROUP BY`;
- `scan`: every paragraph in memory, Python substring search, facets counted in a loop.

Every system starts from the same files and the same parser, answers the same mix (an `Item`:
terms that must occur in one paragraph, alternatives, exclusions, a region and a year; facet
counts for region, year and section; a page of 20), and reports the set of matching paragraph
ids so that recall and precision can be measured against the scan.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.analysis import BREAK, normalize
from indexer.build import Job, build, parse_all
from indexer.corpus import corpus_files
from indexer.parse import parse_file

PAGE = 20


REGION_LEVELS = ("province", "city", "county", "town")


@dataclass(frozen=True)
class Item:
    """One query of the mix by its meaning; each system writes it in its own query language."""

    name: str
    terms: tuple[str, ...] = ()  # every term must occur in the paragraph
    any: tuple[str, ...] = ()  # at least one of these must occur (A OR B)
    none: tuple[str, ...] = ()  # none of these may occur (A -B)
    region: str = ""  # the report's province, city, county or town
    year: str = ""  # the report's year
    page: int = 1
    view: str = "paragraphs"
    phrase: bool = False  # the terms are quoted phrases
    typed: str = ""  # what a user types into ours when the fields are understood from it (2023年)

    @property
    def query(self) -> str:
        """The query in ours' language (search/query.py), filters apart."""
        if self.typed:
            return self.typed
        parts = [f'"{t}"' if self.phrase else t for t in self.terms]
        if self.any:
            alternatives = " OR ".join(self.any)
            parts.append(f"({alternatives})" if parts else alternatives)
        return " ".join(parts + [f"-{t}" for t in self.none])

    def predicate(self) -> Callable[[str, tuple[str, ...], str], bool]:
        """The exact answer as a test of one paragraph (normalised text, region names, year)."""
        terms, alternatives, unwanted = ([normalize(t) for t in ts]
                                         for ts in (self.terms, self.any, self.none))  # fmt: skip
        region, year = self.region, self.year

        def keeps(text: str, place: tuple[str, ...], when: str) -> bool:
            return (
                all(t in text for t in terms)
                and (not alternatives or any(t in text for t in alternatives))
                and not any(t in text for t in unwanted)
                and (not region or region in place)
                and (not year or year == when)
            )

        return keeps


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
    """Bytes of the files under `folder` (or of the file), tolerating files that vanish meanwhile."""
    if folder.is_file():
        return folder.stat().st_size
    total = 0
    for parent, _, files in os.walk(folder):  # os.walk skips folders that vanish
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(parent, name)).st_size
    return total


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

    def request(self, item: Item):
        from search.engine import SearchRequest

        filters = {} if item.typed else {
            "region": (item.region,) if item.region else (),
            "year": (item.year,) if item.year else (),
        }  # fmt: skip
        return SearchRequest.of(item.query, page=item.page, view=item.view, **filters)

    def run(self, item: Item) -> Answer:
        result = self.engine.search(self.request(item))
        facets = {
            f: {v.value: v.count for v in getattr(result.facets, f)}
            for f in ("region", "year", "section")
        }
        return Answer(result.total, facets, [_hit_key(h) for h in result.hits])

    def matches(self, item: Item) -> set[str]:
        """The query's paragraphs (search.evaluate) narrowed by its year and region."""
        from search.evaluate import matches

        query = self.engine.understand(item.query)
        assert not query.selection.regions and not query.selection.sections, "not in the mix"
        years = {int(item.year)} if item.year and not item.typed else set(query.selection.years)
        with self.engine.session() as session:
            snap = session.snapshot
            docs = snap.paragraphs if query.node is None else matches(query.node, session.matcher)
            found = set()
            for d in docs.tolist():
                info = snap.report_of(d)
                if (years and info.year not in years) or (
                    item.region and item.region not in info.region_path
                ):
                    continue
                found.add(f"{info.report_id}#p{snap.position[d]}")
            return found


def _hit_key(hit) -> str:
    return f"{hit.report_id}#{getattr(hit, 'paragraph_id', '')}"


# --- scan ---------------------------------------------------------------------------------------


class Scan:
    name = "scan"

    def build(self, corpus: Path, folder: Path) -> None:
        self.rows = [_scanned(r) for r in records(corpus)]

    def update(self, corpus: Path, folder: Path, changed: list[Path]) -> None:
        stems = {p.stem for p in changed}
        self.rows = [row for row in self.rows if row[2].report_id not in stems]
        for path in changed:
            self.rows += [_scanned(r) for r in report_records(path)]

    def open(self, folder: Path) -> None:
        pass

    def clear_cache(self) -> None:
        pass

    def _found(self, item: Item) -> list[Record]:
        keeps = item.predicate()
        return [r for text, place, r in self.rows if keeps(text, place, r.year)]

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


def _scanned(r: Record) -> tuple[str, tuple[str, ...], Record]:
    return normalize(r.text), (r.province, r.city, r.county, r.town), r


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

        def term(text: str) -> str:
            if len(text) >= 3:
                args.append('"' + text.replace('"', '""') + '"')
                return "rowid IN (SELECT rowid FROM f WHERE f MATCH ?)"
            args.append(f"%{text}%")  # the trigram tokenizer cannot look up 1–2 characters
            return "text LIKE ?"

        clauses += [term(t) for t in item.terms]
        if item.any:
            clauses.append("(" + " OR ".join(term(t) for t in item.any) + ")")
        clauses += [f"NOT {term(t)}" for t in item.none]
        if item.region:
            clauses.append("(" + " OR ".join(f"{level} = ?" for level in REGION_LEVELS) + ")")
            args += [item.region] * len(REGION_LEVELS)
        if item.year:
            clauses.append("year = ?")
            args.append(item.year)
        return " AND ".join(clauses) or "1", args

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
            province=ID(stored=True, sortable=True), city=ID, county=ID, town=ID,
            year=ID(stored=True, sortable=True), section=ID(stored=True, sortable=True),
            text=TEXT(analyzer=ChineseAnalyzer()),
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
                "city": r.city or "-", "county": r.county or "-", "town": r.town or "-",
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

    def _query(self, item: Item):
        """QueryParser syntax for the text (`NOT` for exclusions), term queries for filters."""
        from whoosh import query as wq

        parts = [f'"{t}"' if item.phrase else t for t in item.terms]
        if item.any:
            parts.append("(" + " OR ".join(item.any) + ")")
        parts += [f"NOT {t}" for t in item.none]
        found = [self.parser.parse(" ".join(parts))] if parts else []
        if item.region:
            found.append(wq.Or([wq.Term(level, item.region) for level in REGION_LEVELS]))
        if item.year:
            found.append(wq.Term("year", item.year))
        return found[0] if len(found) == 1 else wq.And(found)

    def run(self, item: Item) -> Answer:
        query = self._query(item)
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
        results = self.searcher.search(self._query(item), limit=None)
        return {hit["pid"] for hit in results}


# --- tantivy -----------------------------------------------------------------------------------


def tantivy_available() -> bool:
    return importlib.util.find_spec("tantivy") is not None


def bigrams(text: str) -> str:
    """Normalised text as whitespace-separated tokens: each run between breaks as its overlapping
    2-grams (a 1-character run as itself), runs separated by a BREAK token, so consecutive
    bigrams are consecutive characters and no phrase matches across a break."""
    return f" {BREAK} ".join(
        " ".join(map(str.__add__, run, run[1:])) or run for run in text.split(BREAK)
    )


class Tantivy:
    """tantivy 0.27. `bi`: character bigrams with positions, so a term of ≥ 2 characters is one
    bigram or a phrase query over consecutive bigrams (exact substring semantics); `ch`: single
    characters for 1-character terms; BM25 over those; filters and facets on fast fields, the
    facet counts and the reports view by terms aggregations.

    A terms aggregation keeps each segment's top N only; the reports view's top 20 is exact
    because every report's paragraphs lie in one segment: one indexing thread, a commit (a
    segment boundary) between reports every BATCH reports, and a heap far larger than a batch
    needs, so tantivy never cuts a segment inside a batch; merges keep segments whole."""

    name = "tantivy"
    BATCH = 500  # reports per commit
    HEAP = 512_000_000  # bytes of indexing memory: several times what a batch takes
    FAST = (*REGION_LEVELS, "section", "report_id")

    def schema(self):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("pid", stored=True, tokenizer_name="raw", index_option="basic")
        for name in self.FAST:
            builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
        builder.add_unsigned_field("year", indexed=True, fast=True)
        builder.add_text_field("bi", tokenizer_name="whitespace", index_option="position")
        builder.add_text_field("ch", tokenizer_name="whitespace", index_option="freq")
        return builder.build()

    def _doc(self, r: Record):
        import tantivy

        text = normalize(r.text)
        fields = {"pid": r.pid, "report_id": r.report_id, "province": r.province, "city": r.city,
                  "county": r.county, "town": r.town, "section": r.section}  # fmt: skip
        doc = tantivy.Document(
            **{k: v for k, v in fields.items() if v},
            bi=bigrams(text), ch=" ".join(text.replace(BREAK, "")),
        )  # fmt: skip
        doc.add_unsigned("year", int(r.year or 0))
        return doc

    def _write(self, folder: Path, rows: list[Record], delete: list[str] = ()) -> None:
        """Add paragraphs in report order, committing between reports every BATCH reports."""
        import tantivy

        index = tantivy.Index(self.schema(), path=str(folder), reuse=True)
        writer = index.writer(heap_size=self.HEAP, num_threads=1)
        for report_id in delete:
            writer.delete_documents_by_term("report_id", report_id)
        reports, last = 0, None
        for r in rows:
            if r.report_id != last:
                reports, last = reports + 1, r.report_id
                if reports % self.BATCH == 0:
                    writer.commit()
            writer.add_document(self._doc(r))
        writer.commit()
        writer.wait_merging_threads()

    def build(self, corpus: Path, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self._write(folder, records(corpus))

    def update(self, corpus: Path, folder: Path, changed: list[Path]) -> None:
        rows = [r for path in changed for r in report_records(path)]
        self._write(folder, rows, [path.stem for path in changed])

    def open(self, folder: Path) -> None:
        import tantivy

        self.index = tantivy.Index.open(str(folder))
        self.fields = self.index.schema
        self.searcher = self.index.searcher()

    def clear_cache(self) -> None:
        self.searcher = self.index.searcher()  # a new searcher: a fresh document store cache

    def _needle(self, text: str):
        """Paragraphs whose normalised text holds `text` normalised, as a substring."""
        from tantivy import Query

        needle = normalize(text)
        if not needle:  # nothing searchable: every paragraph holds it, as for the scan
            return Query.all_query()
        if BREAK not in needle:
            if len(needle) == 1:
                return Query.term_query(self.fields, "ch", needle)
            grams = bigrams(needle).split()
            if len(grams) == 1:
                return Query.term_query(self.fields, "bi", grams[0])
            return Query.phrase_query(self.fields, "bi", grams)
        runs = needle.split(BREAK)
        words, patterns = [], []  # literal tokens, and regular expressions for the same
        for i, run in enumerate(runs):
            if i:
                words.append(BREAK)
                patterns.append(re.escape(BREAK))
            if len(run) > 1 or 0 < i < len(runs) - 1:  # a middle run is a whole run
                words += bigrams(run).split()
                patterns += map(re.escape, bigrams(run).split())
            else:  # one character ending (or starting) a longer run, or a run of its own
                words.append(None)
                patterns.append(f".?{re.escape(run)}" if i == 0 else f"{re.escape(run)}.?")
        if None not in words:
            return Query.phrase_query(self.fields, "bi", words)
        return Query.regex_phrase_query(self.fields, "bi", patterns)

    def _query(self, item: Item):
        from tantivy import Occur, Query

        clauses = [(Occur.Must, self._needle(t)) for t in item.terms]
        if item.any:
            alternatives = [(Occur.Should, self._needle(t)) for t in item.any]
            clauses.append((Occur.Must, Query.boolean_query(alternatives)))
        if item.region:
            levels = [(Occur.Should, Query.term_query(self.fields, level, item.region))
                      for level in REGION_LEVELS]  # fmt: skip
            clauses.append((Occur.Must, Query.const_score_query(Query.boolean_query(levels), 0.0)))
        if item.year:
            year = Query.term_query(self.fields, "year", int(item.year))
            clauses.append((Occur.Must, Query.const_score_query(year, 0.0)))
        if not clauses:
            clauses.append((Occur.Must, Query.all_query()))
        clauses += [(Occur.MustNot, self._needle(t)) for t in item.none]
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    def run(self, item: Item) -> Answer:
        query = self._query(item)
        start = (item.page - 1) * PAGE
        reports = item.view == "reports"
        found = self.searcher.search(query, limit=PAGE, offset=0 if reports else start, count=True)
        wanted = {"region": "province", "year": "year", "section": "section"}
        aggs = {name: {"terms": {"field": f, "size": 1000}} for name, f in wanted.items()}
        if reports:
            aggs["reports"] = {"terms": {"field": "report_id", "size": start + PAGE}}
        counted = self.searcher.aggregate(query, aggs)
        facets = {name: {str(b["key"]): b["doc_count"] for b in counted[name]["buckets"]}
                  for name in wanted}  # fmt: skip
        if reports:
            page = [b["key"] for b in counted["reports"]["buckets"][start:]]
        else:
            page = [self.searcher.doc(address).get_first("pid") for _, address in found.hits]
        return Answer(found.count, facets, page)

    def matches(self, item: Item) -> set[str]:
        query = self._query(item)
        total = self.searcher.search(query, limit=1, count=True).count
        hits = self.searcher.search(query, limit=max(1, total), count=False).hits
        return {self.searcher.doc(address).get_first("pid") for _, address in hits}


SYSTEMS = {cls.name: cls for cls in (Ours, Tantivy, WhooshJieba, Fts5, Scan)}


def cpu_count() -> int:
    return os.cpu_count() or 1
