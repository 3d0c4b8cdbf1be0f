"""Related terms on the results page (issue 13): words often sharing a paragraph with the query.

Which words are chosen is the engine's judgement; what each claims is checked here against the
parsed reports: a word's total is the number of units holding both the query's word and the
related word, counted with `str` containment (`in`) on each unit's text, never through
`search.query` or the index.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from search.engine import SearchRequest

# Each query with the words a unit must hold to match it (an unquoted run wants all its jieba
# words, anywhere in the unit), written by hand.
QUERIES = {
    "法律明白人": ("法律明白人",),
    "调解": ("调解",),
    "行政执法": ("行政", "执法"),
    "普法": ("普法",),
}


def units(seeds, county: str | None = None):
    for report in seeds.values():
        if county is None or report.region.county == county:
            yield from report.paragraphs


def both(seeds, words: tuple[str, ...], county: str | None = None) -> int:
    """Units whose text holds every one of `words`."""
    return sum(all(w in p.text for w in words) for p in units(seeds, county))


def check_words(related, own) -> None:
    """Plausible words, none of them the query's own words, inside one or holding one."""
    assert related, "no related words"
    assert len(related) <= 10
    words = [r.word for r in related]
    assert len(set(words)) == len(words)
    for word in words:
        assert len(word) >= 2, word
        assert not word.isdigit(), word
        assert not any(word in mine or mine in word for mine in own), word


@pytest.mark.parametrize(("q", "needs"), QUERIES.items())
def test_each_related_word_counts_the_units_holding_both(engine, seeds, q, needs):
    result = engine.search(SearchRequest.of(q=q, related=True))
    assert result.total == both(seeds, needs) > 0
    check_words(result.related, {q, *needs})
    for r in result.related:
        assert r.total == both(seeds, (*needs, r.word)) >= 2, r


def test_with_a_filter_the_counts_stay_within_it(engine, seeds):
    result = engine.search(SearchRequest.of(q="调解", region=("大足区",), related=True))
    assert result.total == both(seeds, ("调解",), "大足区") > 0
    check_words(result.related, {"调解"})
    for r in result.related:
        assert r.total == both(seeds, ("调解", r.word), "大足区") >= 2, r


def test_alternatives_are_kept_together_in_the_links(engine, seeds):
    result = engine.search(SearchRequest.of(q="调解 OR 信访", related=True))
    check_words(result.related, {"调解", "信访"})
    for r in result.related:
        want = sum(
            ("调解" in p.text or "信访" in p.text) and r.word in p.text for p in units(seeds)
        )  # fmt: skip
        assert r.total == want, r
        assert r.q.startswith("(调解 OR 信访) ")
        assert engine.search(SearchRequest.of(q=r.q)).total == want


def test_related_is_empty_unless_asked(engine, client):
    assert engine.search(SearchRequest.of(q="调解")).related == []
    assert engine.search(SearchRequest.of(q="调解", related=True)).related
    assert client.get("/api/search?q=调解").get_json()["related"] == []
    assert client.get("/api/search?q=调解&related=1").get_json()["related"]
    # browsing by filters has no query to relate to; nothing found, nothing related
    assert engine.search(SearchRequest.of(region=("大足区",), related=True)).related == []
    assert engine.search(SearchRequest.of(q="zzzzqqqq", related=True)).related == []
    # nor in the sentence scope, where the linked query would want the word in the sentence
    assert engine.search(SearchRequest.of(q="调解", scope="sentence", related=True)).related == []


def api_total(client, href: str) -> int:
    args = parse_qs(urlsplit(href).query)
    return client.get("/api/search", query_string=args).get_json()["total"]


@pytest.mark.parametrize(("q", "region"), [("法律明白人", None), ("调解", "大足区")])
def test_the_page_links_each_word_with_its_count(client, seeds, q, region):
    args = {"q": q, **({"region": region} if region else {})}
    api = client.get("/api/search", query_string={**args, "related": "1"}).get_json()
    plain = client.get("/search", query_string=args, follow_redirects=True).get_data(as_text=True)
    assert 'section class="related"' not in plain and "显示相关词" in plain  # asked for
    page = client.get("/search", query_string={**args, "related": "1"})
    if page.status_code == 302:  # a district given by its short name is spelt out first
        page = client.get(page.headers["Location"])
    soup = BeautifulSoup(page.get_data(as_text=True), "lxml")
    box = soup.select_one("section.related")
    assert box is not None and box.select_one("h2").get_text() == "相关词"
    matches = both(seeds, (q,), region)
    note = box.select_one("p.related-note").get_text()
    if matches > 100:
        assert note == "据最相关的 100 段选出，数字为全部结果中同段出现的段数"
    else:
        assert note == f"据全部 {matches} 段结果选出，数字为全部结果中同段出现的段数"
    items = box.select("ul.related-terms li")
    shown = [(li.a.get_text(), int(li.select_one(".related-count").get_text().strip("（） 段")))
             for li in items]  # fmt: skip
    assert shown == [(r["word"], r["total"]) for r in api["related"]]
    for li, (word, total) in zip(items, shown, strict=True):
        href = li.a["href"]
        target = parse_qs(urlsplit(href).query)
        assert target["q"][0].split()[0] == q and word in target["q"][0]
        if region:
            assert any(region in v for v in target["region"])
        assert total == both(seeds, (q, word), region)
        assert api_total(client, href) == total  # the link finds what it says
        assert client.get(href).status_code == 200


def test_no_related_box_without_words(client):
    html = client.get("/search", query_string={"q": "zzzzqqqq"}).get_data(as_text=True)
    assert "相关词" not in html
