"""Real-browser tests: the production server (gunicorn) driven by Debian's chromium via Playwright.

The journey from the issue: search 法律明白人, see highlighted results from every town that
mentions it, narrow by a district and a year through the facets, open a hit and land on that
paragraph with the term highlighted, go back, switch to the report view, open the compare view.
Plus a phone-sized viewport, the keyboard, and the browser's side of security (CSP, escaping).

Nothing is downloaded: the browser is /usr/bin/chromium (`apt-get install chromium`), never
`playwright install`. A missing browser fails the tests; it does not skip them.

Full-page screenshots of every page go to $FAZHI_SCREENSHOTS, or else a pytest temporary folder;
the folder is printed in the test output.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.conftest import CORPUS
from tests.prodserver import Server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TERM = "法律明白人"
TIMEOUT_MS = 10_000
MENTIONING = {"cq-nanan-guangyang-2023", "cq-dazu-tongqiao-2023", "ha-baofeng-zhaozhuang-2023"}
SILENT = {"cq-dazu-wangu-2023", "cq-shapingba-qingmuguan-2022"}
XSS_QUERIES = ["<img src=x onerror=alert(1)>", '"><script>alert(1)</script>']


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ---------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def index_root(tmp_path_factory) -> Path:
    from indexer.build import build

    root = tmp_path_factory.mktemp("browser-index")
    build(CORPUS, root)
    return root


@pytest.fixture(scope="module")
def engine(index_root):
    from search.engine import Engine

    return Engine(index_root)


@pytest.fixture(scope="module")
def server(index_root, tmp_path_factory):
    """The production command, on a free port, serving the temporary index."""
    log_path = tmp_path_factory.mktemp("server") / "gunicorn.log"
    with Server(index_root, log_path, FAZHI_SECRET_KEY="browser-tests") as running:
        yield running.base


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), (
        f"{CHROMIUM} is missing: install Debian's browser with "
        "`apt-get install chromium fonts-wqy-microhei` (.ci/run does this); "
        "the browser tests never download one"
    )
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        pw.stop()
        raise
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("FAZHI_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


_announced: set[Path] = set()


@pytest.fixture(autouse=True)
def _announce_shots(shots, capsys):
    """Say once, in pytest's normal output, where the screenshots go."""
    if shots not in _announced:
        _announced.add(shots)
        print(f"screenshots: {shots}")
        with capsys.disabled():
            print(f"\n[browser tests] screenshots are written to {shots}")


class Watch:
    """Everything the browser complained about, and every dialog it tried to open."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: page error: {exc}"))
        page.on("dialog", self._dialog)

    def _console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.errors.append(f"{message.type}: {message.text} ({message.location.get('url')})")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def csp(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e]


@pytest.fixture
def open_page(browser, server):
    """New pages in a fresh context with the error watch attached; checks the watch at the end."""
    watch = Watch()
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=server, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page)
        return page

    make.watch = watch
    yield make
    for context in contexts:
        context.close()
    assert not watch.csp(), "CSP violations:\n" + "\n".join(watch.csp())
    assert not watch.errors, "browser console errors:\n" + "\n".join(watch.errors)
    assert not watch.dialogs, f"dialogs opened: {watch.dialogs}"


def _shot(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def _params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _report_ids(page) -> set[str]:
    hrefs = page.locator("ol.hit-list h3.hit-title a").evaluate_all("as => as.map(a => a.href)")
    return {urlsplit(h).path.rsplit("/", 1)[-1] for h in hrefs}


def _hit_pairs(page) -> set[tuple[str, str]]:
    hrefs = page.locator("ol.hit-list a.goto").evaluate_all("as => as.map(a => a.href)")
    return {(urlsplit(h).path.rsplit("/", 1)[-1], urlsplit(h).fragment) for h in hrefs}


def _expected(engine, **filters):
    from search.engine import SearchRequest

    return engine.search(SearchRequest.of(q=TERM, all=True, **filters))


def _towns(result) -> set[tuple[str, ...]]:
    return {hit.region_path for hit in result.hits}


# ------------------------------------------------------------------------------------------- tests


def test_search_journey(open_page, engine, shots):
    from playwright.sync_api import expect

    page = open_page(viewport={"width": 1280, "height": 800})
    everywhere = _expected(engine)
    assert {h.report_id for h in everywhere.hits} == MENTIONING  # the corpus facts hold

    # 1. Home page: type the term, press Enter.
    page.goto("/")
    expect(page.locator("form[role=search] input#q")).to_be_visible()
    expect(page.locator("p.examples a", has_text=TERM)).to_be_visible()
    _shot(page, shots, "01-home")
    page.locator("#q").fill(TERM)
    page.locator("#q").press("Enter")
    page.wait_for_url("**/search?*")
    assert _params(page)["q"] == [TERM]

    heading = page.locator("h1#results-total")
    expect(heading).to_have_text(
        re.compile(rf"共\s*{everywhere.total}\s*段，涉及\s*{everywhere.reports}\s*份报告")
    )
    expect(page.locator("p.understood span.term")).to_have_text([TERM])
    hits = page.locator("ol.hit-list > li article.hit")
    expect(hits).to_have_count(everywhere.total)
    for i in range(hits.count()):
        snippet = hits.nth(i).locator("p.snippet")
        marks = {_norm(t) for t in snippet.locator("mark").all_inner_texts()}
        assert marks == {TERM}, f"hit {i}: marks {marks} in {snippet.inner_text()!r}"
        expect(hits.nth(i).locator("span.badge.exact")).to_have_text("精确匹配")
    assert _report_ids(page) == MENTIONING
    assert _hit_pairs(page) == {(h.report_id, h.paragraph_id) for h in everywhere.hits}
    assert not _report_ids(page) & SILENT
    places = " ".join(page.locator("p.hit-place").all_inner_texts())
    for town in ("广阳镇", "通桥街道", "赵庄镇"):
        assert town in places
    _shot(page, shots, "02-results")

    # 2. Narrow through the facets: 重庆市, then its district 大足区, then the year 2023.
    region_box = page.locator("aside.facets section.facet", has=page.locator("h2", has_text="地区"))
    year_box = page.locator("aside.facets section.facet", has=page.locator("h2", has_text="年份"))
    expect(page.locator("aside.facets section.facet h2")).to_have_text(
        ["地区", "年份", "报告部分", "发布机关层级"]
    )

    region_box.locator(
        "a.facet-value", has=page.locator("span.facet-label", has_text="重庆市")
    ).click()
    page.wait_for_url(re.compile(r"region="))
    chongqing = region_box.locator("a.facet-value.selected")
    expect(chongqing).to_have_attribute("aria-current", "true")
    expect(chongqing.locator("span.facet-label")).to_have_text("重庆市")
    districts = region_box.locator("ul.facet-values.nested > li > a.facet-value span.facet-label")
    in_chongqing = _expected(engine, region=("重庆市",))
    assert set(districts.all_inner_texts()) == {h.region_path[1] for h in in_chongqing.hits}
    assert set(districts.all_inner_texts()) <= {"大足区", "南岸区", "沙坪坝区"}  # no city level

    region_box.locator(
        "a.facet-value", has=page.locator("span.facet-label", has_text="大足区")
    ).click()
    page.wait_for_url(re.compile(r"region=.*%E5%A4%A7%E8%B6%B3%E5%8C%BA"))  # 大足区
    expect(region_box.locator("a.facet-value.selected span.facet-label")).to_have_text("大足区")

    year_box.locator("a.facet-value", has=page.locator("span.facet-label", has_text="2023")).click()
    page.wait_for_url(re.compile(r"year=2023"))
    params = _params(page)
    assert params["q"] == [TERM]
    assert len(params["region"]) == 1 and "大足区" in params["region"][0], params
    assert params["year"] == ["2023"], params
    expect(year_box.locator("a.facet-value.selected")).to_have_attribute("aria-current", "true")
    chips = page.locator("ul.chips a.chip")
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text="大足区")).to_have_count(1)
    expect(chips.filter(has_text="2023")).to_have_count(1)

    narrowed = _expected(engine, region=tuple(params["region"]), year=("2023",))
    assert {h.report_id for h in narrowed.hits} == {"cq-dazu-tongqiao-2023"}
    expect(hits).to_have_count(narrowed.total)
    expect(heading).to_have_text(re.compile(rf"共\s*{narrowed.total}\s*段，涉及\s*1\s*份报告"))
    assert _report_ids(page) == {"cq-dazu-tongqiao-2023"}
    filtered_pairs = _hit_pairs(page)
    assert filtered_pairs == {(h.report_id, h.paragraph_id) for h in narrowed.hits}
    for place in page.locator("p.hit-place").all_inner_texts():
        assert "通桥街道" in place
    filtered_url = page.url
    _shot(page, shots, "03-results-filtered")

    # 3. Open the hit: land on its paragraph, scrolled into view, term marked, :target styled.
    goto = page.locator("ol.hit-list a.goto").first
    report_id, para_id = next(iter(filtered_pairs))
    goto.click()
    page.wait_for_url(re.compile(rf"/reports/{report_id}\?.*#{para_id}$"))
    assert urlsplit(page.url).fragment == para_id
    assert parse_qs(urlsplit(page.url).query)["q"] == [TERM]
    expect(page.locator("h1#report-title")).not_to_be_empty()
    expect(page.locator("dl.facts")).to_be_visible()
    expect(page.locator("nav.toc")).to_be_visible()
    target = page.locator(f"#{para_id}")
    assert target.is_visible()
    expect(target).to_have_class(re.compile(r"\bpara\b.*\bmatch\b|\bmatch\b.*\bpara\b"))
    in_view = page.evaluate(
        """id => { const r = document.getElementById(id).getBoundingClientRect();
                   return r.top >= 0 && r.top < innerHeight && r.bottom > 0 && r.left >= 0; }""",
        para_id,
    )
    assert in_view, "the targeted paragraph is not scrolled into the viewport"
    assert page.evaluate("document.querySelector(':target')?.id") == para_id
    assert {_norm(t) for t in target.locator("mark").all_inner_texts()} == {TERM}
    other = page.locator("div.para:not(:target)").first
    background = "el => getComputedStyle(el).backgroundColor"
    assert target.evaluate(background) != other.evaluate(background), ":target is not highlighted"
    expect(target.locator("a.permalink")).to_have_attribute("href", f"#{para_id}")
    expect(page.locator("div.para.match")).to_have_count(
        sum(1 for h in narrowed.hits if h.report_id == report_id)
    )
    expect(page.locator("button.copy-button").first).to_be_visible()  # site.js ran
    _shot(page, shots, "04-report")

    # 4. Back to the filtered results, same hits.
    page.go_back()
    page.wait_for_url(filtered_url)
    expect(hits).to_have_count(narrowed.total)
    assert _hit_pairs(page) == filtered_pairs
    expect(chips).to_have_count(2)

    # 5. The reports view.
    page.locator("nav[aria-label=结果视图] a", has_text="按报告").click()
    page.wait_for_url(re.compile(r"view=reports"))
    report_hits = page.locator("article.report-hit")
    expect(report_hits).to_have_count(narrowed.reports)
    expect(page.locator("nav[aria-label=结果视图] a[aria-current=page]")).to_have_text("按报告")
    for i in range(report_hits.count()):
        hit = report_hits.nth(i)
        report = hit.locator("h3.hit-title a").get_attribute("href")
        rid = urlsplit(report).path.rsplit("/", 1)[-1]
        count = sum(1 for h in narrowed.hits if h.report_id == rid)
        expect(hit.locator("p.report-count")).to_contain_text(f"本报告 {count} 段匹配")
        expect(hit.locator("p.snippet mark").first).to_have_text(TERM)
    _shot(page, shots, "05-reports-view")

    # 6. The compare view, keeping the filters.
    page.locator("a", has_text="按乡镇对比").click()
    page.wait_for_url(re.compile(r"/compare\?"))
    params = _params(page)
    assert params["q"] == [TERM] and params["year"] == ["2023"] and "region" in params, params
    expect(page.locator("h1#compare-title")).to_contain_text(TERM)
    expect(page.locator("table.pivot")).to_be_visible()
    expect(page.locator("table.pivot tbody tr")).to_have_count(len(_towns(narrowed)))
    expect(page.locator(".chart rect.bar")).to_have_count(len(_towns(narrowed)))
    from search.engine import SearchRequest

    comparison = engine.compare(
        SearchRequest.of(q=TERM, region=tuple(params["region"]), year=("2023",))
    )
    silent = page.locator("section.silent li")
    expect(silent).to_have_count(len(comparison.silent))
    for row in comparison.silent:
        expect(silent.filter(has_text=row.region_path[-1])).to_have_count(1)
    assert "万古镇" in page.locator("section.silent").inner_text()
    _shot(page, shots, "06-compare")


def test_mobile_results(open_page, engine, shots):
    from playwright.sync_api import expect

    page = open_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page.goto(f"/search?q={quote(TERM)}")
    expect(page.locator("h1#results-total")).to_be_visible()
    box = page.locator("#q")
    first = page.locator("ol.hit-list > li article.hit").first
    expect(box).to_be_visible()
    expect(first).to_be_visible()
    for name, locator in (("search box", box), ("first hit", first)):
        rect = locator.bounding_box()
        assert rect and rect["x"] >= 0 and rect["x"] + rect["width"] <= 361, (name, rect)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1, f"horizontal scroll on a 360px screen: scrollWidth={width}"
    _shot(page, shots, "07-mobile-results")


def test_keyboard(open_page):
    page = open_page(viewport={"width": 1280, "height": 800})
    page.goto(f"/search?q={quote(TERM)}")
    page.locator("ol.hit-list").wait_for()

    # Tab from the top of the page reaches the skip link first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.skip')"), page.evaluate(
        "document.activeElement.outerHTML"
    )
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"

    # "/" focuses the search box (from anywhere but a text field).
    page.locator("h1#results-total").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.locator("#q").input_value() == TERM  # the "/" was not typed into it


def test_browser_security(open_page, server):
    from playwright.sync_api import expect

    # The watch does see CSP violations: an inline style attribute is refused and reported.
    probe = open_page()
    probe.goto("/")
    probe.evaluate("document.body.setAttribute('style', 'color: red')")
    probe.wait_for_timeout(200)
    assert open_page.watch.csp(), "a CSP violation was not reported; the console watch is blind"
    open_page.watch.errors.clear()

    page = open_page(viewport={"width": 1280, "height": 800})
    scripts_before = None
    for text in XSS_QUERIES:
        page.goto(f"/search?q={quote(text)}")
        expect(page.locator("h1#results-total")).to_be_visible()
        assert page.locator("#q").input_value() == text  # echoed as text, not markup
        assert text in page.title()
        injected = page.evaluate(
            """() => ({ imgs: document.querySelectorAll('img').length,
                        scripts: [...document.scripts].map(s => s.src || 'inline:' + s.text) })"""
        )
        assert injected["imgs"] == 0, injected
        assert all(not s.startswith("inline:") for s in injected["scripts"]), injected
        assert scripts_before in (None, injected["scripts"])
        scripts_before = injected["scripts"]
        understood = page.locator("p.understood").inner_text()
        assert ("img" if "img" in text else "script") in understood, understood
        assert "alert" in understood

        page.goto(f"/compare?q={quote(text)}")
        expect(page.locator("h1#compare-title")).to_contain_text(text)
        assert page.locator("#compare-q").input_value() == text
        assert page.evaluate("document.querySelectorAll('img').length") == 0
    page.wait_for_timeout(300)  # a late onerror would fire by now
    assert not open_page.watch.dialogs, open_page.watch.dialogs


def test_names_in_the_box_and_browsing_a_part(open_page, engine, shots):
    """A district typed in the box narrows the results; a part of a district without a term."""
    from playwright.sync_api import expect

    from search.engine import SearchRequest

    page = open_page(viewport={"width": 1280, "height": 800})
    dazu = engine.search(SearchRequest.of(q="调解", region=("大足区",), all=True))
    page.goto("/")
    page.locator("#q").fill("大足区 调解")
    page.locator("#q").press("Enter")
    page.wait_for_url("**/search?*")
    assert _params(page)["region"] == ["重庆市/大足区"] and _params(page)["q"] == ["调解"]
    expect(page.locator("h1#results-total")).to_have_text(
        re.compile(rf"共\s*{dazu.total}\s*段，涉及\s*{dazu.reports}\s*份报告")
    )
    expect(page.locator("ol.hit-list > li article.hit")).to_have_count(dazu.total)
    assert {p.split(" › ")[1] for p in page.locator("p.hit-place").all_inner_texts()} == {"大足区"}
    expect(page.locator("p.understood a.as-text")).to_have_text("按文字检索“大足区”")
    _shot(page, shots, "08-name-in-box")

    # Browse the 下一年度 part of 大足区 without a term: chip for the part, no term asked for.
    page.goto("/")
    page.locator("#q").fill("部分:下一年度 大足")
    page.locator("#q").press("Enter")
    page.wait_for_url("**/search?*")
    plan = engine.search(
        SearchRequest.of(region=("大足区",), section=("下一年度工作安排",), all=True)
    )
    assert plan.total > 0
    expect(page.locator("h1#results-total")).to_contain_text(f"共 {plan.total} 段")
    expect(page.locator("ul.chips a.chip")).to_have_count(2)
    shown = page.locator("ol.hit-list a.goto").evaluate_all("as => as.map(a => a.href)")
    order = [(urlsplit(h).path.rsplit("/", 1)[-1], urlsplit(h).fragment) for h in shown]
    assert order == [(h.report_id, h.paragraph_id) for h in plan.hits][:20]  # reading order
    _shot(page, shots, "09-browse-part")
