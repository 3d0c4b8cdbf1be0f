"""Suggestions for a query that finds nothing or very little: whole queries, each with its total.

A term the index holds fewer than `FEW` times is looked up in the speller (search/spelling.py);
each candidate the index holds replaces the term in the typed query, and that query is counted
with the same filters, on the same generation, the way a search counts it. Only queries that
find something are offered, closest first, then those finding more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexer.analysis import BREAK, normalize, segmenter

from . import facets
from .evaluate import matches
from .filters import Selection
from .matching import Matcher
from .query import Query, parse
from .spelling import Speller, han

FEW = 3  # fewer hits than this (or none exact) and suggestions are offered
MAX_SUGGESTIONS = 5
PER_TERM = 8  # candidates of one term that are counted as whole queries


@dataclass(frozen=True)
class Suggestion:
    q: str  # a whole query to run instead
    total: int  # what it finds, with the same filters

    def to_json(self) -> dict:
        return {"q": self.q, "total": self.total}


def wanted(total: int, any_exact: bool) -> bool:
    return total < FEW or not any_exact


def suggestions(
    matcher: Matcher, speller: Callable[[], Speller], query: Query, base: Selection, q: str,
    names: Callable,
) -> list[Suggestion]:  # fmt: skip
    """Whole queries close to `q` that find something (`base`: the request's own filters)."""
    tried: dict[str, int] = {}
    ranked: list[tuple[int, bool, int, str]] = []
    for typed, alone in _typed_parts(query, matcher):
        for text, distance in _held(typed, speller(), matcher):
            other = " ".join(q.replace(typed, text if alone else f" {text} ", 1).split())
            if other == q or other in tried:
                continue
            tried[other] = total = _total(matcher, parse(other, names), base)
            if total:  # a whole term's correction before a word's, at the same distance
                ranked.append((distance, not alone, -total, other))
    ranked.sort()
    offered: dict[str, Suggestion] = {}  # 枫桥经验 and 枫桥 经验 are one suggestion: the first
    for _, _, minus, other in ranked:
        offered.setdefault(other.replace(" ", ""), Suggestion(other, -minus))
    return list(offered.values())[:MAX_SUGGESTIONS]


def _typed_parts(query: Query, matcher: Matcher) -> list[tuple[str, bool]]:
    """What may be mistyped: each wanted term the index holds rarely, as typed, and each rare
    jieba word of a longer run (调节 of 调节纠纷), with whether it is a whole term (a word of a
    run is replaced as a word of its own: 调解 纠纷, for jieba may read 调解纠纷 as one)."""
    parts: dict[str, bool] = {}
    for term in query.positive_terms:
        words = term.words if len(term.words) > 1 else ()
        for part in (term.text, *words):
            if part in query.raw and _rare(normalize(part), matcher):
                parts.setdefault(part, part == term.text)
    return list(parts.items())


def _rare(needle: str, matcher: Matcher) -> bool:
    return len(needle) >= 2 and BREAK not in needle and len(matcher.find(needle)) < FEW


def _held(typed: str, speller: Speller, matcher: Matcher) -> list[tuple[str, int]]:
    """Candidates for a typed part that the index holds, closest and then commonest first."""
    found = []
    for text, distance in speller.candidates(normalize(typed)):
        count = len(matcher.find(text))
        if count:
            found.append((distance, -count, text))
    found.sort()
    return [(text, distance) for distance, _, text in found[:PER_TERM]]


def _total(matcher: Matcher, query: Query, base: Selection) -> int:
    """Paragraphs a query finds under the filters, counted as a search counts them."""
    if query.node is None or query.problem:
        return 0
    snap = matcher.snapshot
    selection, _ = facets.resolve(snap, base.merged(query.selection))
    loose = matches(query.node, matcher)
    return len(facets.Masks.of(snap, loose, selection).chosen(loose))


def speller_of(matcher: Matcher) -> Speller:
    """The speller of a generation: jieba's vocabulary and the index's CJK characters."""
    chars = [ch for ch in matcher.snapshot.characters() if han(ch)]
    return Speller.of(segmenter().FREQ, chars)
