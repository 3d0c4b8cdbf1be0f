"""The query language, parsed into a small tree; anything that is not syntax is literal text.

- words separated by spaces must all occur in one paragraph; an unquoted run is split into
  jieba words that must all occur, and paragraphs holding the run contiguously rank first;
- "…", ＂…＂ or “…” is an exact phrase (“…” inside "…" is part of the phrase);
- `A OR B`, `A | B` for alternatives, `-A` or `NOT A` to exclude, `AND` (optional) to join,
  parentheses to group;
- filters `地区:大足区`, `年份:2021-2023`, `部分:不足` (also region:, year:, section:; a space
  may follow the colon), and `-地区:…` / `NOT 部分:…` to exclude a region, year or part;
- with a `names` resolver (the index's regions, years and parts), a plain top-level word that
  names one of them (大足区, 大足, 2023年, 不足) becomes that filter, unless the query has OR.

Parsing never raises: unbalanced quotes or parentheses, lone operators and text with nothing
searchable in it are dropped or taken literally, and each such repair leaves a Chinese note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from indexer.analysis import normalize, words

from .facets import BY_KEY, BY_NAME
from .filters import FilterError, Named, Selection, scope_named

MAX_CHARS = 256  # longer queries are cut here
MAX_WORDS = 24  # words (and phrases) one query may look up
MAX_DEPTH = 8  # nested parentheses

QUOTES = {'"': '"”', "＂": '＂"', "“": '”"', "”": '”"', "「": "」", "『": "』"}
NESTING = {"“": "”", "「": "」", "『": "』"}  # quotes that may hold their own pairs
LPAREN, RPAREN, BARS, MINUS = "(（", ")）", "|｜", "-－"
STOPS = set(LPAREN + RPAREN + BARS) | set(QUOTES)
SCOPE_KEYS = ("scope", "范围")
FILTER_KEYS = {
    **{key: facet.name for key, facet in BY_KEY.items()},
    **dict.fromkeys(SCOPE_KEYS, "scope"),
}
_FILTER = re.compile(r"^([^:：]+)[:：]\s*(.+)$", re.S)
_FILTER_KEY = re.compile(r"^([^:：]+)[:：]$")


@dataclass(frozen=True)
class Term:
    text: str  # as typed
    exact: bool  # a quoted phrase
    needle: str  # the normalised whole, for contiguous matching
    words: tuple[str, ...]  # normalised words that must all occur; (needle,) for a phrase


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    children: tuple[Node, ...]


Node = Term | Not | All | Any


@dataclass(frozen=True)
class TermUse:
    """A term as the user should see it understood."""

    term: Term
    excluded: bool


@dataclass
class Query:
    raw: str
    node: Node | None
    selection: Selection  # filters written in the query
    notes: list[str] = field(default_factory=list)  # Chinese notes on repairs and caps
    text: str = ""  # the query without its filters (typed or understood from names)
    named: list[Named] = field(default_factory=list)  # plain words understood as filters
    ambiguous: list[Named] = field(default_factory=list)  # words naming several regions
    scope: str | None = None  # 范围:同句 typed in the box (search/scopes.py), else None

    @property
    def uses(self) -> list[TermUse]:
        return list(_uses(self.node, False)) if self.node else []

    @property
    def positive_terms(self) -> list[Term]:
        """Terms a matching paragraph contains: what snippets highlight and ranking scores."""
        return list(dict.fromkeys(u.term for u in self.uses if not u.excluded))

    @property
    def problem(self) -> str | None:
        """Why the query cannot be run, in Chinese; None when it can."""
        if self.node is None:
            return "请输入检索词" if not self.text.strip() else "检索式中没有可检索的文字"
        if not self.positive_terms:
            return "检索式不能只包含排除词（-），请至少给出一个要查找的词"
        return None


@dataclass
class _Token:
    kind: str  # WORD PHRASE FILTER ( ) OR AND NOT
    text: str
    start: int
    end: int


Names = Callable[[str], Named | None]


def parse(raw: str, names: Names | None = None) -> Query:
    """Parse a query string; never raises. `names` turns plain words into filters."""
    notes: list[str] = []
    if len(raw) > MAX_CHARS:
        raw = raw[:MAX_CHARS]
        notes.append(f"检索式超过 {MAX_CHARS} 个字，只使用了前 {MAX_CHARS} 个字")
    tokens = _lex(raw, notes)
    if any(t.kind == "OR" for t in tokens):
        names = None  # a name beside an alternative is part of it: leave it text
    parser = _Parser(tokens, notes, names)
    node = parser.parse()
    text = _without(raw, parser.spans)
    return Query(
        raw, node, parser.selection, notes, text, parser.named, parser.ambiguous, parser.scope
    )


def conjoined(q: str, more: str) -> str:
    """One query asking for `q` and `more` together: `q` is parenthesised when it has
    alternatives (`调解 OR 信访` → `(调解 OR 信访) 网格`)."""
    q, more = q.strip(), more.strip()
    if not q or not more:
        return q or more
    grouped = f"({q})" if re.search(r"\bOR\b|[|｜]", q) else q
    return f"{grouped} {more}"


def _without(raw: str, spans: list[tuple[int, int]]) -> str:
    for start, end in reversed(spans):
        raw = raw[:start] + raw[end:]
    return " ".join(raw.split())


def _lex(s: str, notes: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isspace():
            i += 1
        elif ch in LPAREN + RPAREN + BARS:
            kind = "(" if ch in LPAREN else ")" if ch in RPAREN else "OR"
            tokens.append(_Token(kind, ch, i, i + 1))
            i += 1
        elif ch in MINUS and _starts_exclusion(s, i):
            tokens.append(_Token("NOT", ch, i, i + 1))
            i += 1
        elif ch in QUOTES:
            close = _closing(s, i)
            if close < 0:
                _note(notes, "引号不成对，已按普通文字处理")
                i += 1
            else:
                tokens.append(_Token("PHRASE", s[i + 1 : close], i, close + 1))
                i = close + 1
        else:
            j = _word_end(s, i)
            if _FILTER_KEY.match(s[i:j]) and _FILTER_KEY.match(s[i:j])[1].lower() in FILTER_KEYS:
                k = j  # `部分: 不足`: the value follows a space after the colon
                while k < n and s[k].isspace():
                    k += 1
                if k < n and s[k] not in STOPS:
                    j = _word_end(s, k)
            tokens.append(_word_token(s[i:j], i, j))
            i = j
    return tokens


def _word_end(s: str, i: int) -> int:
    while i < len(s) and not s[i].isspace() and s[i] not in STOPS:
        i += 1
    return i


def _closing(s: str, i: int) -> int:
    """Where the phrase opened at `i` closes: an ASCII quote waits for its own kind (so “…”
    may sit inside it); 「“」 and the like count the pairs nested in them. -1: never."""
    ch, n = s[i], len(s)
    if ch in NESTING:
        depth = 1
        for k in range(i + 1, n):
            if s[k] == ch:
                depth += 1
            elif s[k] in QUOTES[ch]:
                depth -= 1
                if not depth:
                    return k
        return -1
    same = s.find(QUOTES[ch][0], i + 1)
    if same >= 0:
        return same
    return next((k for k in range(i + 1, n) if s[k] in QUOTES[ch]), -1)


def _starts_exclusion(s: str, i: int) -> bool:
    """A minus at the start of a word, directly followed by what it excludes."""
    before_ok = i == 0 or s[i - 1].isspace() or s[i - 1] in LPAREN + BARS
    after = s[i + 1] if i + 1 < len(s) else " "
    return before_ok and not after.isspace() and after not in MINUS + RPAREN + BARS


def _word_token(text: str, start: int, end: int) -> _Token:
    if text in ("OR", "AND", "NOT"):
        return _Token(text, text, start, end)
    match = _FILTER.match(text)
    if match and match[1].lower() in FILTER_KEYS:
        return _Token("FILTER", text, start, end)
    return _Token("WORD", text, start, end)


def _note(notes: list[str], message: str) -> None:
    if message not in notes:
        notes.append(message)


class _Parser:
    def __init__(self, tokens: list[_Token], notes: list[str], names: Names | None) -> None:
        self.tokens = tokens
        self.i = 0
        self.notes = notes
        self.words_used = 0
        self.selection = Selection()
        self.ignored: list[str] = []
        self.names = names
        self.named: list[Named] = []
        self.ambiguous: list[Named] = []
        self.spans: list[tuple[int, int]] = []  # filters, cut from the query's text
        self.scope: str | None = None

    def peek(self) -> str | None:
        return self.tokens[self.i].kind if self.i < len(self.tokens) else None

    def parse(self) -> Node | None:
        parts = []
        while True:
            node = self.alternatives(0)
            if node is not None:
                parts.append(node)
            if self.peek() is None:
                if self.ignored:
                    pieces = " ".join(dict.fromkeys(self.ignored))
                    _note(self.notes, f"「{pieces}」中没有可检索的文字，已忽略")
                return _all(parts)
            self.i += 1  # only a stray closing parenthesis stops `alternatives` early
            _note(self.notes, "多余的右括号已忽略")

    def alternatives(self, depth: int) -> Node | None:
        options = [self.conjunction(depth)]
        while self.peek() == "OR":
            self.i += 1
            options.append(self.conjunction(depth))
        kept = [option for option in options if option is not None]
        if len(options) > 1 and len(kept) < len(options):
            _note(self.notes, "OR 或 | 的一侧缺少检索词，已忽略")
        return _any(kept)

    def conjunction(self, depth: int) -> Node | None:
        items = []
        while self.peek() not in (None, ")", "OR"):
            item = self.unary(depth)
            if item is not None:
                items.append(item)
        return _all(items)

    def unary(self, depth: int, negated: bool = False) -> Node | None:
        token = self.tokens[self.i]
        self.i += 1
        if token.kind == "AND":
            return None
        if token.kind == "NOT":
            if self.peek() == "FILTER":  # -地区:大足区 excludes the region
                target = self.tokens[self.i]
                self.i += 1
                return self.filter(target, exclude=True, start=token.start)
            child = self.unary(depth, True) if self.peek() not in (None, ")", "OR") else None
            if child is None:
                _note(self.notes, f"{_op(token)}后缺少要排除的词，已忽略")
            return Not(child) if child is not None else None
        if token.kind == "(":
            return self.group(depth)
        if token.kind == "FILTER":
            return self.filter(token)
        if token.kind == "WORD" and self.names and not depth and not negated:
            named = self.names(token.text)
            if named is not None and named.choices:
                self.ambiguous.append(named)
            elif named is not None:
                self.selection = self.selection.merged(named.selection)
                self.named.append(named)
                self.spans.append((token.start, token.end))
                return None
        return self.term(token)

    def group(self, depth: int) -> Node | None:
        if depth >= MAX_DEPTH:
            _note(self.notes, f"括号嵌套超过 {MAX_DEPTH} 层，多出的括号已忽略")
            return None
        node = self.alternatives(depth + 1)
        if self.peek() == ")":
            self.i += 1
        else:
            _note(self.notes, "缺少右括号，已在末尾补上")
        return node

    def filter(self, token: _Token, exclude: bool = False, start: int | None = None) -> Node | None:
        key, value = _FILTER.match(token.text).groups()
        kind = FILTER_KEYS[key.lower()]
        try:
            if kind == "scope":
                self.scope = scope_named(value)
                if exclude:
                    _note(self.notes, "检索范围不能排除，已按所写范围检索")
                self.spans.append((token.start if start is None else start, token.end))
                return None
            found = Selection.of(**{kind: BY_NAME[kind].parse(value)})
        except FilterError as exc:
            _note(self.notes, f"{exc}；已按普通文字检索")
            term = self.term(_Token("WORD", token.text, token.start, token.end))
            return Not(term) if exclude and term is not None else term
        self.selection = self.selection.merged(found.excluding() if exclude else found)
        self.spans.append((token.start if start is None else start, token.end))
        return None

    def term(self, token: _Token) -> Term | None:
        exact = token.kind == "PHRASE"
        needle = normalize(token.text)
        if not needle:
            if token.text.strip():
                self.ignored.append(token.text)
            return None
        found = (needle,) if exact else _words(token.text, needle)
        if self.words_used + len(found) > MAX_WORDS:
            _note(self.notes, f"检索词过多，只使用了前 {MAX_WORDS} 个词")
            return None
        self.words_used += len(found)
        return Term(token.text, exact, needle, found)


def _words(text: str, needle: str) -> tuple[str, ...]:
    found = (normalize(word) for word in words(text))
    return tuple(dict.fromkeys(w for w in found if w)) or (needle,)


def _op(token: _Token) -> str:
    return "NOT " if token.text == "NOT" else "减号（-）"


def _all(items: list[Node]) -> Node | None:
    return None if not items else items[0] if len(items) == 1 else All(tuple(items))


def _any(items: list[Node]) -> Node | None:
    return None if not items else items[0] if len(items) == 1 else Any(tuple(items))


def _uses(node: Node, excluded: bool):
    if isinstance(node, Term):
        yield TermUse(node, excluded)
    elif isinstance(node, Not):
        yield from _uses(node.child, not excluded)
    else:
        for child in node.children:
            yield from _uses(child, excluded)
