# ruff: noqa: F811
"""Real-browser journeys through the query features of issue 13: the production server (gunicorn)
and Debian's chromium via Playwright, with the fixtures of tests/test_browser.py.

- a query typed in traditional characters finds what the simplified one finds, words marked;
- a suggestion (您是不是要找) followed from a mistyped query;
- the 范围 switch narrowing a two-word query to one sentence;
- 在结果中检索: a second word ANDed with the current results;
- a related word (相关词) followed;
- a part excluded from its facet, then given back by its chip.

Every expected number is counted here from the parsed corpus files with `str` containment per
unit (and, for the sentence scope, a split of each unit's text after 。！？；!? and at line ends),
never through the search code.
"""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import parse_qs, quote, urlsplit

# The fixtures of tests/test_browser.py, found by pytest under these names (tests take them as
# parameters, which ruff reads as redefinitions: F811 is off for this file).
from tests.test_browser import (  # noqa: F401
    _announce_shots,
    _norm,
    _params,
    _shot,
    browser,
    index_root,
    open_page,
    server,
    shots,
)

SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|[\r\n]+")


def units(seeds):
    return [p for report in seeds.values() for p in report.paragraphs]


def holding(seeds, *words: str) -> int:
    """Units whose text holds every word."""
    return sum(all(w in p.text for w in words) for p in units(seeds))


def in_one_sentence(seeds, *words: str) -> int:
    """Units with a sentence holding every word."""
    return sum(
        any(all(w in s for w in words) for s in SENTENCE_END.split(p.text)) for p in units(seeds)
    )


def api_total(server: str, q: str) -> int:
    with urllib.request.urlopen(f"{server}/api/search?q={quote(q)}", timeout=10) as response:
        return json.load(response)["total"]


def total_shown(page) -> int:
    text = page.locator("h1#results-total").inner_text()
    found = re.search(r"共\s*(\d+)\s*段", text)
    assert found, text
    return int(found[1])


def search_from_home(page, q: str) -> None:
    page.goto("/")
    page.locator("#q").fill(q)
    page.locator("#q").press("Enter")
    page.wait_for_url("**/search?*")


def test_traditional_characters_find_the_simplified_paragraphs(open_page, seeds, server, shots):
    from playwright.sync_api import expect

    want = holding(seeds, "调解")
    assert want == 10 and holding(seeds, "調解") == 0  # counted by hand: only 调解 is written
    assert api_total(server, "调解") == want

    page = open_page(viewport={"width": 1280, "height": 800})
    search_from_home(page, "調解")
    assert _params(page)["q"] == ["調解"]
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {want} 段")
    assert total_shown(page) == want
    hits = page.locator("ol.hit-list > li article.hit")
    expect(hits).to_have_count(want)
    for i in range(want):
        marks = {_norm(t) for t in hits.nth(i).locator("p.snippet mark").all_inner_texts()}
        assert marks == {"调解"}, (i, marks)  # the text as written, marked
    assert page.locator("#q").input_value() == "調解"
    _shot(page, shots, "q1-traditional")


def test_a_suggestion_followed(open_page, seeds, shots):
    from playwright.sync_api import expect

    assert holding(seeds, "风桥经验") == 0
    want = holding(seeds, "枫桥经验")
    assert want == 2

    page = open_page(viewport={"width": 1280, "height": 800})
    search_from_home(page, "风桥经验")
    offer = page.locator("p.suggestions")
    expect(offer).to_contain_text("您是不是要找")
    expect(offer.locator("a", has_text="枫桥经验")).to_be_visible()
    assert total_shown(page) == 0
    _shot(page, shots, "q2-suggestion")
    offer.locator("a", has_text="枫桥经验").click()
    page.wait_for_url(re.compile(r"q=%E6%9E%AB%E6%A1%A5%E7%BB%8F%E9%AA%8C"))  # 枫桥经验
    assert _params(page)["q"] == ["枫桥经验"]
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {want} 段")
    expect(page.locator("ol.hit-list > li article.hit")).to_have_count(want)
    expect(page.locator("p.suggestions")).to_have_count(0)


def test_the_scope_switch_narrows_to_one_sentence(open_page, seeds, shots):
    from playwright.sync_api import expect

    paragraph, sentence = holding(seeds, "法律", "培训"), in_one_sentence(seeds, "法律", "培训")
    assert (paragraph, sentence) == (11, 5)  # and by hand

    page = open_page(viewport={"width": 1280, "height": 800})
    search_from_home(page, "法律 培训")
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {paragraph} 段")
    switch = page.locator("nav[aria-label=检索范围]")
    expect(switch.locator("a[aria-current=page]")).to_have_text("同段")
    switch.locator("a", has_text="同句").click()
    page.wait_for_url(re.compile(r"scope=sentence"))
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {sentence} 段")
    expect(switch.locator("a[aria-current=page]")).to_have_text("同句")
    expect(page.locator("ol.hit-list > li article.hit")).to_have_count(sentence)
    assert _params(page)["q"] == ["法律 培训"]
    _shot(page, shots, "q3-sentence-scope")


def test_search_within_results(open_page, seeds, shots):
    from playwright.sync_api import expect

    first, both = holding(seeds, "调解"), holding(seeds, "调解", "化解")
    assert (first, both) == (10, 5)

    page = open_page(viewport={"width": 1280, "height": 800})
    search_from_home(page, "调解")
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {first} 段")
    page.locator("label.within input[name=within]").check()
    page.locator("#q").fill("化解")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"q=%E8%B0%83%E8%A7%A3\+%E5%8C%96%E8%A7%A3"))  # 调解 化解
    assert _params(page)["q"] == ["调解 化解"]
    assert page.locator("#q").input_value() == "调解 化解"
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {both} 段")
    hits = page.locator("ol.hit-list > li article.hit")
    expect(hits).to_have_count(both)
    seen = set()
    for i in range(both):  # a snippet of a long paragraph may show one of the two
        marks = {_norm(t) for t in hits.nth(i).locator("p.snippet mark").all_inner_texts()}
        assert marks and marks <= {"调解", "化解"}, (i, marks)
        seen |= marks
    assert seen == {"调解", "化解"}
    _shot(page, shots, "q4-within")


def test_a_related_word_followed(open_page, seeds, shots):
    from playwright.sync_api import expect

    page = open_page(viewport={"width": 1280, "height": 800})
    search_from_home(page, "法律明白人")
    page.get_by_role("link", name="显示相关词").click()  # asked for: they cost a scan
    box = page.locator("section.related")
    expect(box.locator("h2")).to_have_text("相关词")
    expect(box.locator("p.related-note")).to_contain_text("数字为全部结果中同段出现的段数")
    links = box.locator("ul.related-terms li")
    assert links.count() >= 3
    _shot(page, shots, "q5-related")
    first = links.first
    word = first.locator("a").inner_text()
    count = int(re.search(r"\d+", first.locator(".related-count").inner_text())[0])
    assert count == holding(seeds, "法律明白人", word) > 0, word
    first.locator("a").click()
    page.wait_for_url(re.compile(r"q=%E6%B3%95%E5%BE%8B%E6%98%8E%E7%99%BD%E4%BA%BA\+"))
    assert parse_qs(urlsplit(page.url).query)["q"][0].split()[0] == "法律明白人"
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {count} 段")


def test_a_part_excluded_from_the_facet_and_restored(open_page, seeds, shots):
    from playwright.sync_api import expect

    every = holding(seeds, "法治")
    outside = sum("法治" in p.text and p.section != "前言" for p in units(seeds))
    assert every > outside > 0

    page = open_page(viewport={"width": 1280, "height": 800})
    search_from_home(page, "法治")
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {every} 段")
    part = page.locator("section.facet[aria-labelledby=facet-section]")
    part.get_by_role("link", name="排除 前言").click()
    page.wait_for_url(re.compile(r"not_section="))
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {outside} 段")
    assert _params(page)["not_section"] == ["前言"]
    chip = page.locator(".chips li", has_text="不含部分")
    expect(chip).to_contain_text("前言")
    part = page.locator("section.facet[aria-labelledby=facet-section]")
    expect(part.get_by_role("link", name="取消排除 前言")).to_be_visible()
    _shot(page, shots, "q6-part-excluded")
    chip.get_by_role("link").click()  # the chip's × gives the part back
    page.wait_for_url(lambda url: "not_section" not in url)
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {every} 段")
