"""The query language, parsed into a small tree; anything that is not syntax is literal text.

- words separated by spaces must all occur in one paragraph; an unquoted run is split into
  jieba words that must all occur, and paragraphs holding the run contiguously rank first;
- "…" or “…” is an exact phrase;
- `A OR B`, `A | B` for alternatives, `-A` to exclude, parentheses to group;
- filters `地区:大足区`, `年份:2021-2023`, `部分:不足` (also region:, year:, section:).

Parsing never raises: unbalanced quotes or parentheses, lone operators and text with nothing
searchable in it are dropped or taken literally, and each such repair leaves a Chinese note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.analysis import normalize, words

from .filters import FilterError, Selection, parse_years, resolve_section

MAX_CHARS = 256  # longer queries are cut here
MAX_WORDS = 24  # words (and phrases) one query may look up
MAX_DEPTH = 8  # nested parentheses

QUOTES = {'"': '"”', "“": '”"', "”": '”"', "「": "」", "『": "』"}
LPAREN, RPAREN, BARS, MINUS = "(（", ")）", "|｜", "-－"
STOPS = set(LPAREN + RPAREN + BARS) | set(QUOTES)
FILTER_KEYS = {
    "region": "region", "地区": "region", "地域": "region",
    "year": "year", "年份": "year", "年度": "year",
    "section": "section", "部分": "section",
}  # fmt: skip
_FILTER = re.compile(r"^([^:：]+)[:：](.+)$")


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
    text: str = ""  # the query without its filters

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


def parse(raw: str) -> Query:
    """Parse a query string; never raises."""
    notes: list[str] = []
    if len(raw) > MAX_CHARS:
        raw = raw[:MAX_CHARS]
        notes.append(f"检索式超过 {MAX_CHARS} 个字，只使用了前 {MAX_CHARS} 个字")
    tokens = _lex(raw, notes)
    parser = _Parser(tokens, notes)
    node = parser.parse()
    spans = [(t.start, t.end) for t in tokens if t.kind == "FILTER"]
    return Query(raw, node, parser.selection, notes, _without(raw, spans))


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
            close = next((k for k in range(i + 1, n) if s[k] in QUOTES[ch]), -1)
            if close < 0:
                _note(notes, "引号不成对，已按普通文字处理")
                i += 1
            else:
                tokens.append(_Token("PHRASE", s[i + 1 : close], i, close + 1))
                i = close + 1
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] not in STOPS:
                j += 1
            tokens.append(_word_token(s[i:j], i, j))
            i = j
    return tokens


def _starts_exclusion(s: str, i: int) -> bool:
    """A minus at the start of a word, directly followed by what it excludes."""
    before_ok = i == 0 or s[i - 1].isspace() or s[i - 1] in LPAREN + BARS
    after = s[i + 1] if i + 1 < len(s) else " "
    return before_ok and not after.isspace() and after not in MINUS + RPAREN + BARS


def _word_token(text: str, start: int, end: int) -> _Token:
    if text in ("OR", "AND"):
        return _Token(text, text, start, end)
    match = _FILTER.match(text)
    if match and match[1].lower() in FILTER_KEYS:
        return _Token("FILTER", text, start, end)
    return _Token("WORD", text, start, end)


def _note(notes: list[str], message: str) -> None:
    if message not in notes:
        notes.append(message)


class _Parser:
    def __init__(self, tokens: list[_Token], notes: list[str]) -> None:
        self.tokens = tokens
        self.i = 0
        self.notes = notes
        self.words_used = 0
        self.selection = Selection()
        self.ignored: list[str] = []

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

    def unary(self, depth: int) -> Node | None:
        token = self.tokens[self.i]
        self.i += 1
        if token.kind == "AND":
            return None
        if token.kind == "NOT":
            child = self.unary(depth) if self.peek() not in (None, ")", "OR") else None
            if child is None:
                _note(self.notes, "减号（-）后缺少要排除的词，已忽略")
            return Not(child) if child is not None else None
        if token.kind == "(":
            return self.group(depth)
        if token.kind == "FILTER":
            return self.filter(token)
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

    def filter(self, token: _Token) -> Node | None:
        key, value = _FILTER.match(token.text).groups()
        kind = FILTER_KEYS[key.lower()]
        try:
            if kind == "region":
                found = Selection(regions=(value,))
            elif kind == "year":
                found = Selection(years=parse_years(value))
            else:
                found = Selection(sections=(resolve_section(value),))
        except FilterError as exc:
            _note(self.notes, f"{exc}；已按普通文字检索")
            return self.term(_Token("WORD", token.text, token.start, token.end))
        self.selection = self.selection.merged(found)
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
