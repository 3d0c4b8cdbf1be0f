"""The query language, rule by rule, as the parser understands it."""

from __future__ import annotations

from search.query import MAX_CHARS, MAX_WORDS, All, Any, Not, Term, parse


def terms(q: str) -> list[tuple[str, bool, bool]]:
    """(text, exact, excluded) of each term, in order."""
    return [(u.term.text, u.term.exact, u.excluded) for u in parse(q).uses]


def test_spaces_mean_all_words_in_one_paragraph():
    node = parse("法律明白人 调解").node
    assert isinstance(node, All) and [c.text for c in node.children] == ["法律明白人", "调解"]


def test_unquoted_run_is_split_into_jieba_words():
    term = parse("法治政府建设情况").node
    assert isinstance(term, Term) and not term.exact
    assert term.words == ("法治政府建设", "情况") and term.needle == "法治政府建设情况"


def test_domain_terms_stay_whole():
    assert parse("法律明白人").node.words == ("法律明白人",)


def test_straight_and_curly_quotes_make_exact_phrases():
    for q in ('"八五普法"', "“八五普法”", "「八五普法」"):
        assert terms(q) == [("八五普法", True, False)], q
    assert parse("“法治 政府”").node.needle == "法治政府"  # spaces are transparent in a phrase


def test_or_and_bar_are_alternatives():
    for q in ("调解 OR 信访", "调解 | 信访", "调解｜信访"):
        node = parse(q).node
        assert isinstance(node, Any) and [c.text for c in node.children] == ["调解", "信访"], q


def test_or_binds_looser_than_and():
    node = parse("法治 调解 OR 信访").node
    assert isinstance(node, Any)
    assert isinstance(node.children[0], All) and node.children[1].text == "信访"


def test_minus_excludes_and_parentheses_group():
    node = parse("(调解 OR 信访) -网格").node
    assert isinstance(node, All)
    assert isinstance(node.children[0], Any) and isinstance(node.children[1], Not)
    assert terms("(调解 OR 信访) -网格") == [
        ("调解", False, False),
        ("信访", False, False),
        ("网格", False, True),
    ]


def test_minus_inside_a_word_is_text():
    assert terms("12345-热线") == [("12345-热线", False, False)]


def test_filters_in_the_query():
    query = parse("普法 地区:大足区 年份:2021-2023 部分:不足")
    assert query.selection.regions == ("大足区",)
    assert query.selection.years == (2023, 2022, 2021)
    assert query.selection.sections == ("存在的不足和原因",)
    assert (
        query.text == "普法" and terms("普法 region:大足区 year:2023 section:举措")[0][0] == "普法"
    )
    assert parse("普法 year:2023").selection.years == (2023,)
    assert parse("普法 section:举措").selection.sections == ("主要举措和成效",)


def test_a_filter_that_cannot_be_understood_is_text_with_a_note():
    query = parse("普法 year:abc")
    assert ("year:abc", False, False) in terms("普法 year:abc")
    assert query.selection.years == () and any("年份「abc」" in n for n in query.notes)


def test_syntax_characters_are_literal_text():
    query = parse("法治*政府? 建设~ ^2 [a] {b} c/d e:f")
    assert query.problem is None
    assert [t.needle for t in query.positive_terms] == [
        "法治|政府", "建设", "2", "a", "b", "c|d", "e|f"
    ]  # fmt: skip


def test_unbalanced_quotes_and_parentheses_are_repaired_with_notes():
    query = parse('"八五普法 (调解')
    assert [t.text for t in query.positive_terms] == ["八五普法", "调解"]
    assert "引号不成对，已按普通文字处理" in query.notes
    assert "缺少右括号，已在末尾补上" in query.notes
    query = parse("调解) 信访")
    assert [t.text for t in query.positive_terms] == ["调解", "信访"]
    assert "多余的右括号已忽略" in query.notes


def test_lone_operators_are_dropped_with_a_note():
    for q in ("OR 调解", "调解 |", "调解 OR OR 信访"):
        query = parse(q)
        assert query.problem is None and any("OR" in n for n in query.notes), q
    query = parse("- 调解")
    assert [t.text for t in query.positive_terms] == ["调解"]


def test_empty_and_meaningless_queries_explain_themselves():
    assert parse("").problem == "请输入检索词"
    assert parse("   ").problem == "请输入检索词"
    for q in ("，。！", "😀🎉", "OR", "()", "* ? ~"):
        assert parse(q).problem == "检索式中没有可检索的文字", q
    assert "排除词" in parse("-调解").problem


def test_length_and_word_caps_are_announced():
    query = parse("法治" * 1000)
    assert len(query.raw) == MAX_CHARS and any(str(MAX_CHARS) in n for n in query.notes)
    many = " ".join(f"词{i}" for i in range(MAX_WORDS + 10))
    query = parse(many)
    assert sum(len(t.words) for t in query.positive_terms) <= MAX_WORDS
    assert any("检索词过多" in n for n in query.notes)


def test_nesting_is_capped():
    query = parse("(" * 50 + "调解" + ")" * 50)
    assert [t.text for t in query.positive_terms] == ["调解"] and query.notes
