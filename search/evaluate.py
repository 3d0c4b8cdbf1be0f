"""A parsed query tree → the sorted document numbers of the paragraphs that satisfy it.

Sets are sorted arrays of document numbers; AND, OR and NOT go through a boolean array over
the generation's document numbers, so each costs the sizes of its operands, never a sort.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from .matching import Matcher
from .query import All, Any, Node, Not, Term


def matches(node: Node, matcher: Matcher, strict: bool = False) -> np.ndarray:
    """Paragraphs satisfying the query; `strict` takes every unquoted run as an exact phrase."""
    size = matcher.snapshot.size
    if isinstance(node, Term):
        return _term(node, matcher, strict)
    if isinstance(node, Not):
        return minus(matcher.snapshot.paragraphs, matches(node.child, matcher, strict), size)
    if isinstance(node, Any):
        return union([matches(child, matcher, strict) for child in node.children], size)
    return _all(node, matcher, strict)


def _term(term: Term, matcher: Matcher, strict: bool) -> np.ndarray:
    if term.exact or strict or len(term.words) == 1:
        return matcher.find(term.needle if term.exact or strict else term.words[0])
    return intersect([matcher.find(word) for word in term.words], matcher.snapshot.size)


def _all(node: All, matcher: Matcher, strict: bool) -> np.ndarray:
    size = matcher.snapshot.size
    wanted = [c for c in node.children if not isinstance(c, Not)]
    unwanted = [c.child for c in node.children if isinstance(c, Not)]
    if wanted:
        result = intersect([matches(c, matcher, strict) for c in wanted], size)
    else:
        result = matcher.snapshot.paragraphs
    for child in unwanted:
        if not len(result):
            break
        result = minus(result, matches(child, matcher, strict), size)
    return result


def marks(docs: np.ndarray, size: int) -> np.ndarray:
    """A boolean array over document numbers, True at `docs`."""
    mark = np.zeros(size, dtype=bool)
    mark[docs] = True
    return mark


def intersect(sets: list[np.ndarray], size: int) -> np.ndarray:
    """The documents in every set: the smallest, filtered through the others' marks."""
    sets = sorted(sets, key=len)
    return reduce(lambda a, b: a[marks(b, size)[a]] if len(a) else a, sets[1:], sets[0])


def minus(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    return a[~marks(b, size)[a]] if len(a) and len(b) else a


def union(sets: list[np.ndarray], size: int) -> np.ndarray:
    mark = np.zeros(size, dtype=bool)
    for docs in sets:
        mark[docs] = True
    return np.flatnonzero(mark)
