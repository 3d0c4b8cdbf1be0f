"""Where a query's terms must meet: one paragraph (the default), one sentence, or a heading.

- 同段 (`paragraph`): every term in the same body unit, as matching always does;
- 同句 (`sentence`): the wanted terms in one sentence of it (exclusions still apply to the whole
  unit, as in 同段): the unit's text as written is cut after 。！？；!?; and line ends, and each
  sentence's matching form must hold the query's positive part;
- 标题 (`heading`): only headings match (find the reports whose outline names 营商环境).
"""

from __future__ import annotations

import re

import numpy as np

from indexer.analysis import normalize

from .query import All, Any, Node, Not, Term
from .snapshot import Snapshot

SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|[\r\n]+")


def within(snap: Snapshot, docs: np.ndarray, node: Node | None, scope: str) -> np.ndarray:
    """The matches (`docs`, ascending rows) whose terms meet within the scope."""
    if scope == "heading":
        return docs[snap.is_heading[docs]]
    if scope != "sentence" or node is None or not _needs_sentences(node):
        return docs
    keep = np.fromiter(
        (_in_one_sentence(snap.shown(row).text, node) for row in docs.tolist()),
        dtype=bool, count=len(docs),
    )  # fmt: skip
    return docs[keep]


def _needs_sentences(node: Node) -> bool:
    """Whether two wanted needles could fall in different sentences (else 同句 is 同段)."""
    return len(list(_needles(node))) > 1


def _needles(node: Node):
    if isinstance(node, Term):
        yield from node.words
    elif isinstance(node, All | Any):
        for child in node.children:
            yield from _needles(child)


def _in_one_sentence(text: str, node: Node) -> bool:
    return any(_holds(node, normalize(s)) for s in SENTENCE_END.split(text) if s.strip())


def _holds(node: Node, sentence: str) -> bool:
    """Whether a sentence holds the positive part of the query (exclusions are the unit's)."""
    if isinstance(node, Term):
        return all(word in sentence for word in node.words)
    if isinstance(node, Not):
        return True
    if isinstance(node, All):
        return all(_holds(child, sentence) for child in node.children)
    return any(_holds(child, sentence) for child in node.children)
