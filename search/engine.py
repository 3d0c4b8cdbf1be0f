"""Answer a search request over the current index: the one entry point the CLI and the site use."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis import normalize, words
from indexer.location import index_root

from . import facets, figures, ranking, related, scopes, suggest
from .cache import Cache
from .compare import Comparison, count_reports
from .errors import BadRequest, OverBudget
from .evaluate import marks, matches
from .filters import DEFAULT_SCOPE, Selection, names_in, scope_named
from .generations import Live
from .matching import Matcher
from .query import Query, Term, TermUse, conjoined, parse
from .reports import Catalog, ReportView, catalog, report_view
from .request import SearchRequest
from .results import VIEWS, Hit, ReportHit, SearchResult
from .snapshot import Snapshot
from .snippets import snippet

MAX_PER_PAGE = 100
EXPORT_LIMIT = 20_000  # rows of an `all=True` answer (CSV, API) unless configured otherwise
CACHE_BYTES = 64 << 20  # the engine's cache of answers, unless configured otherwise
BEST_PARAGRAPHS = 3
MIN_ORDERED = 200  # a partial display order covers at least this many hits (the next pages)
_EMPTY = np.zeros(0, dtype=np.int64)  # paragraphs shown under each report in the reports view


@dataclass
class Session:
    """One request's view of the index: a searcher and the snapshot of one generation."""

    searcher: Searcher
    snapshot: Snapshot
    matcher: Matcher
    generation: str
    cache: Cache
    deadline: float = math.inf  # time.monotonic() by which the request must be done

    def check(self) -> None:
        """Raise OverBudget once the request's time budget is spent (called between steps)."""
        if time.monotonic() > self.deadline:
            raise OverBudget(
                "检索超时：这个请求超出了时间限制，请缩小检索范围（加地区、年份或部分条件）后重试"
            )


class Engine:
    """Searches the live index generation; safe to share between threads.

    `budget` is each request's time limit in seconds; `export_limit` caps `all=True` results;
    `cache_bytes` bounds the one cache of answers, which is keyed by generation.
    """

    def __init__(
        self, root: Path | str | None = None, budget: float = math.inf,
        export_limit: int = EXPORT_LIMIT, cache_bytes: int = CACHE_BYTES,
    ) -> None:  # fmt: skip
        self.root = index_root(root)
        self.budget = budget
        self.export_limit = export_limit
        self.cache = Cache(cache_bytes)
        self.live = Live(self.root)

    def forget(self) -> None:
        """Drop every cached answer (benchmarks measure queries never seen before)."""
        self.cache.clear()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One request on the generation that is live when it starts, whatever happens after."""
        with self.live.use() as (generation, searcher):
            snap = generation.snapshot  # loading a new generation is not the request's budget
            yield Session(
                searcher, snap, Matcher(snap, self.cache), generation.name, self.cache,
                time.monotonic() + self.budget,
            )  # fmt: skip

    def warm(self) -> bool:
        """Load the live generation (its mapped pages touched), jieba's dictionary, the facets'
        per-report data, the indicators' figures and the generation's speller now (before
        gunicorn forks its workers), so no worker pays for them on its first request."""
        words("法治")
        if not self.live.warm():
            return False
        with self.session() as session:
            session.snapshot.prefault()
            facets.prepare(session.snapshot)
            figures.indicator_table(session.snapshot)
            _speller(session)
        return True

    def understand(self, q: str) -> Query:
        """The query as the index understands it: plain words naming a region, year or part
        of the index become filters (`Query.named`; ambiguous ones in `Query.ambiguous`)."""
        with self.session() as session:
            return parse(q, names_in(session.snapshot))

    def search(self, request: SearchRequest) -> SearchResult:
        base = selection_of(request)
        _check_view(request)
        with self.session() as session:
            query, selection, scope = _understood(session, request, base)
            result = SearchResult(
                query, selection, request.view, request.sort, request.page,
                0 if request.all else request.per_page, messages=list(query.notes),
            )  # fmt: skip
            result.problem = _problem(query, selection)
            if result.problem:
                result.messages.append(result.problem)
                return result
            result.browsing = query.node is None
            result.generation = session.generation
            result.scope = scope
            any_exact = _run(session, query, selection, scope, request, result, self.export_limit)
            if not result.browsing and suggest.wanted(result.total, any_exact):
                result.suggestions = self._suggestions(session, query, base, request.q)
        return result

    def _suggestions(
        self, session: Session, query: Query, base: Selection, q: str
    ) -> list[suggest.Suggestion]:
        """Whole queries near `q` that find something, counted on this request's generation."""
        snap, matcher = session.snapshot, session.matcher
        speller = lambda: _speller(session)  # noqa: E731 - built once per generation, when needed
        return suggest.suggestions(matcher, speller, query, base, q, names_in(snap))

    def compare(self, request: SearchRequest, with_figures: bool = False) -> Comparison:
        """Matching paragraphs per report, for every report the filters admit (zeros included);
        `with_figures`: also the term's figures (the page shows them; the exports do not)."""
        base = selection_of(request)
        with self.session() as session:
            query, selection, scope = _understood(session, request, base)
            comparison = Comparison(query, selection, messages=list(query.notes))
            problem = _problem(query, selection)
            if problem:
                comparison.messages.append(problem)
                return comparison
            selection, unknown = facets.resolve(session.snapshot, selection)
            comparison.selection = selection
            comparison.messages.extend(unknown)
            loose = _matches(query, session, scope)
            session.check()
            masks = facets.Masks.of(session.snapshot, loose, selection)
            comparison.rows = count_reports(session.snapshot, masks.chosen(loose), selection)
            if with_figures and request.q:  # beside the counts, from the same generation
                comparison.figures = _figures(session, request.changed(kind="", indicator=""), base)
        return comparison

    def figures(self, request: SearchRequest) -> figures.Figures:
        """The figures the admitted reports give for the query's terms, or for a standard
        indicator (`request.indicator`, then narrowed to paragraphs matching `q` if it has terms),
        of the request's kind; with every admitted report, for the towns giving none."""
        base = selection_of(request)
        with self.session() as session:
            return _figures(session, request, base)

    def report(self, report_id: str, q: str = "") -> ReportView | None:
        """One report, every paragraph, the query's terms marked and its matches flagged."""
        query = parse(q)
        with self.session() as session:
            code = session.snapshot.by_report_id.get(report_id)
            if code is None:
                return None
            matched = _EMPTY if query.problem else _matches(query, session)
            needles = [n for terms in _highlight_terms(query) for n in terms]
            view = report_view(session.searcher, session.snapshot, code, matched, needles)
            view.indicators = figures.of_report(session.snapshot, code)
            return view

    def catalog(self, request: SearchRequest) -> Catalog:
        """All reports, narrowed by region and year."""
        selection = selection_of(request)
        with self.session() as session:
            selection, unknown = facets.resolve(session.snapshot, selection)
            found = catalog(session.snapshot, selection)
            found.messages.extend(unknown)
            return found


def _understood(
    session: Session, request: SearchRequest, base: Selection
) -> tuple[Query, Selection, str]:
    """The request's query as this generation reads it, its filters with the box's, and the
    scope (typed in the box, else the parameter's; raises BadRequest for a bad one)."""
    query = parse(request.q, names_in(session.snapshot))
    return query, base.merged(query.selection), query.scope or scope_named(request.scope)


def _figures(session: Session, request: SearchRequest, base: Selection) -> figures.Figures:
    """`Engine.figures` on a session already open (the comparison's own, so both answer from
    one generation)."""
    kind = figures.kind_named(request.kind)
    indicator = figures.indicator_named(request.indicator)
    snap = session.snapshot
    query, selection, scope = _understood(session, request, base)
    term = indicator.name if indicator else query.text
    found = figures.Figures(query, selection, term, kind, indicator,
                            messages=list(query.notes))  # fmt: skip
    problem = None if indicator and query.node is None else _problem(query, selection)
    if problem or (query.node is None and not indicator):
        found.messages.append(problem or "请输入检索词，或选择一项标准指标")
        return found
    selection, unknown = facets.resolve(snap, selection)
    found.selection, found.generation = selection, session.generation
    found.messages.extend(unknown)
    loose = _matches(query, session, scope)
    session.check()
    masks = facets.Masks.of(snap, loose, selection)
    docs = masks.chosen(loose)
    found.facets = facets.count(snap, loose, masks, selection)
    rows = _figure_rows(session, query, selection, scope, docs, found)
    found.counts = figures.counts(rows)
    chosen = [r for r in rows if kind == figures.ALL or r.kind == kind]
    found.figures = figures.in_region_order(snap, chosen)
    found.places = figures.places(snap, facets.admitted_reports(snap, selection))
    return found


def _figure_rows(
    session: Session, query: Query, selection: Selection, scope: str, docs: np.ndarray,
    found: figures.Figures,
) -> list:  # fmt: skip
    """The figures of the admitted matches: an indicator's, read at build time, or the query's
    terms', read from the matching paragraphs now (cached per generation, at most MAX_ROWS)."""
    snap = session.snapshot
    if found.indicator:
        return figures.of_indicator(snap, found.indicator, marks(docs, snap.size))
    needles = [t.needle for t in query.positive_terms]
    extracted = session.cache.get(
        (snap.key, "figures", query.node, selection, scope),
        lambda: figures.of_term(snap, docs, needles, session.check),
    )
    if extracted.cut:
        found.messages.append(
            f"匹配段落过多，只读取了前 {figures.MAX_ROWS} 段的数字（另有 "
            f"{extracted.cut} 段未读）；请加地区、年份或部分条件缩小范围"
        )
    return list(extracted.rows)


def _speller(session: Session):
    """The generation's speller (search/spelling.py), kept in the engine's cache."""
    key = (session.snapshot.key, "speller")
    return session.cache.get(key, lambda: suggest.speller_of(session.matcher))


def selection_of(request: SearchRequest) -> Selection:
    """The request's facet values, validated; raises BadRequest with a Chinese message."""
    values: dict[str, tuple] = {}
    for facet in facets.FACETS:
        for parameter in (facet.name, f"not_{facet.name}"):
            found = [v for value in request.values(parameter) if value.strip()
                     for v in facet.parse(value)]  # fmt: skip
            values[parameter] = tuple(dict.fromkeys(found))
    return Selection.of(**values)


def _problem(query: Query, selection: Selection) -> str | None:
    """Why the request cannot run; filters alone browse their paragraphs in reading order."""
    if query.node is None and not query.text.strip() and selection:
        return None
    return query.problem


def _matches(query: Query, session: Session, scope: str = DEFAULT_SCOPE) -> np.ndarray:
    """The query's paragraphs within the scope; every paragraph (every heading in the heading
    scope) when there is no term (browsing by filters)."""
    snap = session.snapshot
    found = snap.paragraphs if query.node is None else matches(query.node, session.matcher)
    return scopes.within(snap, found, query.node, scope)


def _check_view(request: SearchRequest) -> None:
    if request.view not in VIEWS:
        raise BadRequest(
            f"视图「{request.view}」无效，可选 paragraphs（按段落）或 reports（按报告）"
        )
    if request.sort not in ranking.SORTS:
        raise BadRequest(f"排序「{request.sort}」无效，可选 relevance、year 或 region")
    if request.page < 1:
        raise BadRequest(f"页码「{request.page}」无效，页码从 1 开始")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise BadRequest(f"每页条数「{request.per_page}」无效，应在 1 到 {MAX_PER_PAGE} 之间")


def _run(
    session: Session, query: Query, selection: Selection, scope: str, request: SearchRequest,
    result: SearchResult, limit: int,
) -> bool:  # fmt: skip
    """Fill `result`; whether any match holds its terms exactly (else suggestions may help)."""
    snap = session.snapshot
    selection, unknown = facets.resolve(snap, selection)
    result.selection = selection
    result.messages.extend(unknown)
    rank = _browse if query.node is None else _rank
    ranked = session.cache.get(
        (snap.key, "ranked", query.node, selection, scope),
        lambda: rank(session, query, selection, scope),
    )
    session.check()
    docs, exact, score = ranked.docs, ranked.exact, ranked.score
    result.facets, result.total, result.reports = ranked.facets, len(docs), ranked.reports
    terms = _highlight_terms(query)
    if request.all and result.items > limit:
        result.limit = limit
        result.messages.append(result.cap_message)
    if request.view == "reports":
        result.hits = _report_hits(session, docs, exact, score, request, terms, limit)
    else:
        upto = limit if request.all else request.page * request.per_page
        page = _page(ranked.order(snap, request.sort, upto), request, limit)
        result.hits = [
            _hit(session, int(docs[i]), bool(exact[i]), score[i], terms, n)
            for n, i in enumerate(page.tolist())
        ]
    if request.related and query.node is not None and scope != "sentence":
        try:  # the hits first: related words are worth less than the answer itself
            result.related = _related(session, query, selection, scope, ranked, request.q)
        except OverBudget:
            result.related = []
    return bool(exact.any())


@dataclass
class Ranked:
    """A query's matches under a selection, scored: what paging and view switches reuse."""

    docs: np.ndarray
    exact: np.ndarray
    score: np.ndarray
    facets: facets.Facets
    reports: int
    orders: dict = field(default_factory=dict)

    FACET_VALUE_BYTES = 400  # a facet value's objects, about

    @property
    def nbytes(self) -> int:
        """What the cache counts for it: its arrays, both orders at most, and the facets."""
        arrays = self.docs.nbytes + self.exact.nbytes + self.score.nbytes
        values = sum(_facet_values(found) for found in self.facets.values.values())
        return 3 * arrays + values * self.FACET_VALUE_BYTES

    def order(self, snap: Snapshot, sort: str, upto: int | None = None) -> np.ndarray:
        """Display order of `docs`: all of it, or (with `upto`) at least its first `upto`."""
        known = self.orders.get(sort)
        if known is None or len(known) < min(len(self.docs), upto or len(self.docs)):
            wanted = None if upto is None else max(upto, MIN_ORDERED)
            known = ranking.paragraph_order(snap, self.docs, self.exact, self.score, sort, wanted)
            self.orders[sort] = known
        return known


def _related(
    session: Session, query: Query, selection: Selection, scope: str, ranked: Ranked, q: str
) -> list[related.Related]:
    """The words most often sharing a paragraph with the query's best matches, each counted in
    all its matches and linked as the query AND the word: as typed when the query reads it as
    that one word, else quoted (a word jieba would split, or one naming a region, year or
    part); a word whose query would still not run as the query plus that word (one cut by the
    length limit) is left out.

    Not in the sentence scope: there the linked query would want the word in the same sentence,
    and the count, made per paragraph, would not be what the link finds."""
    snap = session.snapshot

    def compute() -> tuple[tuple[str, int], ...]:
        best = ranked.order(snap, "relevance", related.SAMPLE)[: related.SAMPLE]
        own = [w for use in query.uses for w in (*use.term.words, use.term.needle)]
        return related.related(snap, ranked.docs, ranked.docs[best], own, session.check)

    found = session.cache.get((snap.key, "related", query.node, selection, scope), compute)
    names, out = names_in(snap), []
    for word, total in found:
        needle = normalize(word)
        for exact, typed in ((False, word), (True, f'"{word}"')):  # quoted if it must be
            linked = conjoined(q, typed)
            again = parse(linked, names)
            added = TermUse(Term(word, exact, needle, (needle,)), False)
            if again.uses == [*query.uses, added] and again.selection == query.selection:
                out.append(related.Related(word, total, linked))
                break
    return out


def _facet_values(values: list) -> int:
    return sum(1 + _facet_values(v.children) for v in values)


def _rank(session: Session, query: Query, selection: Selection, scope: str) -> Ranked:
    snap = session.snapshot
    loose = _matches(query, session, scope)
    session.check()
    masks = facets.Masks.of(snap, loose, selection)
    docs = masks.chosen(loose)
    return Ranked(
        docs=docs,
        exact=_exact(session, query, docs),
        score=ranking.scores(session.matcher, docs, _scored_needles(query)),
        facets=(found := facets.count(snap, loose, masks, selection)),
        reports=found.reports,
    )


def _browse(session: Session, query: Query, selection: Selection, scope: str) -> Ranked:
    """Filters without a term: their paragraphs and headings (only headings in the heading
    scope), unscored, in reading order."""
    snap = session.snapshot
    every = _matches(query, session, scope)
    masks = facets.Masks.of(snap, every, selection)
    docs = masks.chosen(every)
    return Ranked(
        docs=docs,
        exact=np.ones(len(docs), dtype=bool),
        score=np.zeros(len(docs)),
        facets=(found := facets.count(snap, every, masks, selection)),
        reports=found.reports,
    )


def _exact(session: Session, query: Query, docs: np.ndarray) -> np.ndarray:
    """Which matches hold every unquoted run contiguously (phrases always do)."""
    if all(term.exact or len(term.words) == 1 and term.words[0] == term.needle
           for term in query.positive_terms):  # fmt: skip
        return np.ones(len(docs), dtype=bool)
    return marks(matches(query.node, session.matcher, strict=True), session.snapshot.size)[docs]


def _scored_needles(query: Query) -> list[str]:
    """The jieba words of every wanted term, plus each multi-word run whole (contiguity counts)."""
    needles: list[str] = []
    for term in query.positive_terms:
        needles.extend(term.words)
        needles.append(term.needle)
    return list(dict.fromkeys(needles))


def _highlight_terms(query: Query) -> list[list[str]]:
    return [list(dict.fromkeys((*term.words, term.needle))) for term in query.positive_terms]


def _page(order: np.ndarray, request: SearchRequest, limit: int) -> np.ndarray:
    if request.all:
        return order[:limit]
    start = (request.page - 1) * request.per_page
    return order[start : start + request.per_page]


CHECK_EVERY = 256  # hits built between two looks at the clock


def _hit(session: Session, row: int, exact: bool, score: float, terms: list, n: int = 1) -> Hit:
    if n % CHECK_EVERY == 0:
        session.check()
    shown = session.snapshot.shown(row)
    info = session.snapshot.report_of(row)
    return Hit(
        report_id=info.report_id,
        paragraph_id=shown.paragraph_id,
        title=info.title,
        region=info.region,
        region_path=info.region_path,
        year=info.year,
        section=shown.section,
        section_path=shown.section_path,
        snippet=snippet(shown.text, terms),
        text=shown.text,
        exact=exact,
        score=float(score),
        position=int(session.snapshot.position[row]),
        kind=shown.kind,
    )


def _report_hits(
    session: Session, docs: np.ndarray, exact: np.ndarray, score: np.ndarray,
    request: SearchRequest, terms: list, limit: int,
) -> list[ReportHit]:  # fmt: skip
    """One entry per report, with its best paragraphs (ordered for the shown reports only)."""
    snap = session.snapshot
    codes, starts, counts = ranking.runs(snap.report[docs])  # one run per report
    best = np.maximum.reduceat(score, starts) if len(starts) else score[:0]
    any_exact = np.logical_or.reduceat(exact, starts) if len(starts) else exact[:0]
    inverse = np.repeat(np.arange(len(starts)), counts)
    order = ranking.report_order(snap, codes, any_exact, best, request.sort)
    shown = _page(order, request, limit)
    best_of = ranking.best_in_groups(snap, docs, exact, score, inverse, shown, BEST_PARAGRAPHS)
    hits = []
    for n, i in enumerate(shown.tolist()):
        info = snap.reports[int(codes[i])]
        mine = best_of[i]
        paragraphs = [
            _hit(session, int(docs[j]), bool(exact[j]), score[j], terms, n * BEST_PARAGRAPHS + k)
            for k, j in enumerate(mine.tolist())
        ]
        hits.append(
            ReportHit(
                info.report_id,
                info.title,
                info.region,
                info.region_path,
                info.year,
                int(counts[i]),
                bool(any_exact[i]),
                paragraphs,
            )  # fmt: skip
        )
    return hits
