"""A parsed query tree → the sorted document numbers of the paragraphs that satisfy it."""

from __future__ import annotations

from functools import reduce

import numpy as np

from .matching import Matcher
from .query import All, Any, Node, Not, Term


def matches(node: Node, matcher: Matcher, strict: bool = False) -> np.ndarray:
    """Paragraphs satisfying the query; `strict` takes every unquoted run as an exact phrase."""
    universe = matcher.snapshot.paragraphs
    if isinstance(node, Term):
        return _term(node, matcher, strict)
    if isinstance(node, Not):
        return np.setdiff1d(universe, matches(node.child, matcher, strict), assume_unique=True)
    if isinstance(node, Any):
        found = [matches(child, matcher, strict) for child in node.children]
        return reduce(np.union1d, found)
    return _all(node, matcher, strict)


def _term(term: Term, matcher: Matcher, strict: bool) -> np.ndarray:
    if term.exact or strict or len(term.words) == 1:
        return matcher.find(term.needle if term.exact or strict else term.words[0])
    found = sorted((matcher.find(word) for word in term.words), key=len)
    return reduce(_intersect, found)


def _all(node: All, matcher: Matcher, strict: bool) -> np.ndarray:
    wanted = [c for c in node.children if not isinstance(c, Not)]
    unwanted = [c.child for c in node.children if isinstance(c, Not)]
    if wanted:
        found = sorted((matches(c, matcher, strict) for c in wanted), key=len)
        result = reduce(_intersect, found)
    else:
        result = matcher.snapshot.paragraphs
    for child in unwanted:
        if not len(result):
            break
        result = np.setdiff1d(result, matches(child, matcher, strict), assume_unique=True)
    return result


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.intersect1d(a, b, assume_unique=True)
