"""Accessibility in the real browser: axe-core on every page type, focus after a facet click, and
the compare chart on a phone.

The production server (gunicorn, tests/prodserver.py) and Debian's chromium, as in
tests/test_browser.py, whose fixtures these tests share. axe-core is the npm package pinned by
tests/axe/package-lock.json, installed by `make axe` (`make test` and .ci/run do it); it is read
from disk and injected into each page, nothing is fetched while the tests run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from tests import test_browser as _browser_tests
from tests.test_browser import TERM

# The browser tests' fixtures: the index, the real server, Debian's chromium, pages with a watch.
index_root, server, browser = (
    _browser_tests.index_root,
    _browser_tests.server,
    _browser_tests.browser,
)
open_page = _browser_tests.open_page

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
WIDTHS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
    },
}
Q = quote(TERM)
PAGES = {
    "home": "/",
    "results": f"/search?q={Q}",
    "results-reports-view": f"/search?q={Q}&view=reports",
    "results-filtered": f"/search?q={Q}&region={quote('重庆市/大足区')}&year=2023"
    f"&not_section={quote('前言')}",
    "results-browse": f"/search?section={quote('下一年度工作安排')}",
    "results-empty": f"/search?q={quote('没有这个词的检索')}",
    "report": f"/reports/cq-dazu-tongqiao-2023?q={Q}",
    "reports": "/reports",
    "reports-filtered": f"/reports?region={quote('大足区')}&year=2023",
    "compare": f"/compare?q={Q}",
    "compare-empty": "/compare",
    "figures": f"/figures?q={Q}",
    "figures-planned": f"/figures?q={Q}&kind=planned",
    "figures-indicator": f"/figures?indicator={quote('矛盾纠纷调解')}&kind=all",
    "figures-empty": "/figures",
    "help": "/help",
    "not-found": "/no-such-page",
}
MIN_CHART_FONT_PX = 12

# axe's default rules (WCAG 2.x A and AA, best practices) and its experimental ones, among them
# label-content-name-mismatch; not the AAA ones (color-contrast-enhanced asks for 7:1).
AXE_RUN = """async () => {
  const rules = {};
  for (const rule of axe.getRules(["experimental"]))
    if (!rule.tags.includes("wcag2aaa")) rules[rule.ruleId] = { enabled: true };
  const result = await axe.run(document, { rules, resultTypes: ["violations"] });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ impact: n.impact, target: n.target.join(" "),
                               summary: n.failureSummary }))
  }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> Path:
    assert AXE.exists(), f"{AXE} is missing: run `make axe` (npm ci --prefix tests/axe)"
    return AXE


def _axe(page, axe_source: Path) -> list[dict]:
    """axe's violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_source))
    return page.evaluate(AXE_RUN)


def _serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def _describe(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        for n in v["nodes"]:
            summary = " / ".join((n["summary"] or "").split("\n"))
            lines.append(f"    {n['impact']}  {n['target']}  {summary}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- axe


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_axe_every_page(open_page, axe_source, width):
    """No serious or critical axe violation on any page type, at 1280 px and at 360 px."""
    # The page's CSP (script-src 'self') would refuse the injected axe script; only it is let in.
    page = open_page(bypass_csp=True, **WIDTHS[width])
    failures, counts = [], {}
    for name, path in PAGES.items():
        response = page.goto(path)
        assert response.status == (404 if name == "not-found" else 200), (name, response.status)
        if name == "not-found":  # the console's note on the 404 itself is expected here
            errors = open_page.watch.errors
            errors[:] = [e for e in errors if not ("404" in e and path in e)]
        if name == "report":
            page.locator("button.copy-button").first.wait_for()  # site.js's controls are there
        violations = _axe(page, axe_source)
        for v in violations:
            key = f"{v['id']} ({v['impact']})"
            counts[key] = counts.get(key, 0) + len(v["nodes"])
        if serious := _serious(violations):
            failures.append(_describe(f"{name} [{width}] {path}", serious))
    print(f"axe violations at {width}, nodes per rule: {json.dumps(counts, ensure_ascii=False)}")
    assert not failures, "axe found serious or critical violations:\n" + "\n".join(failures)


def test_axe_check_sees_violations(open_page, axe_source):
    """The check above is not blind: known violations planted in a page are reported as failing."""
    page = open_page(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page.goto("/help")
    page.evaluate(
        """() => {
      const main = document.querySelector("main");
      main.insertAdjacentHTML("beforeend",
        '<button type="button" class="planted"></button>' +
        '<a class="planted-link" href="/help"><a href="/">nested</a></a>');
      const outer = document.createElement("div");
      outer.setAttribute("role", "button"); outer.tabIndex = 0; outer.textContent = "外层";
      const inner = document.createElement("button"); inner.textContent = "内层";
      outer.appendChild(inner); main.appendChild(outer);
    }"""
    )
    found = {v["id"] for v in _serious(_axe(page, axe_source))}
    assert {"button-name", "nested-interactive"} <= found, found


# ----------------------------------------------------------------------------------- facet focus


def _facet(page, title: str):
    return page.locator("aside.facets section.facet", has=page.locator("h2", has_text=title))


def _settled(page) -> None:
    """Until site.js has moved focus off the body (a string wait_for_function would need eval,
    which the CSP refuses), at most two seconds; the assertions then say where focus is."""
    for _ in range(40):
        if page.evaluate(
            "document.readyState === 'complete' && document.activeElement !== document.body"
        ):
            return
        page.wait_for_timeout(50)


def _focused_facet(page) -> dict:
    """Where focus is: the facet around it, the element, a facet value's label, a short text."""
    return page.evaluate(
        """() => { const el = document.activeElement;
                   const facet = el.closest("section.facet");
                   const label = el.matches("a.facet-value") && el.querySelector(".facet-label");
                   return { facet: facet ? facet.querySelector("h2").textContent : null,
                            tag: el.tagName, label: label ? label.textContent : null,
                            text: el.textContent.trim().slice(0, 40) }; }"""
    )


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_focus_stays_at_the_facet(open_page, width):
    """After a facet value loads the new results, focus is on that value in the same facet."""
    page = open_page(**WIDTHS[width])
    page.goto(f"/search?q={Q}")

    def value(facet: str, label: str):
        return _facet(page, facet).locator(
            "a.facet-value", has=page.locator("span.facet-label", has_text=label)
        )

    # Keyboard: focus the value and press Enter.
    value("地区", "重庆市").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"region="))
    page.wait_for_load_state()
    _settled(page)
    focused = _focused_facet(page)
    assert focused["facet"] == "地区" and focused["label"] == "重庆市", focused

    # The mouse: a nested value, then another facet.
    value("地区", "大足区").click()
    page.wait_for_url(re.compile(r"%E5%A4%A7%E8%B6%B3%E5%8C%BA"))
    _settled(page)
    focused = _focused_facet(page)
    assert focused["facet"] == "地区" and focused["label"] == "大足区", focused

    value("年份", "2023").click()
    page.wait_for_url(re.compile(r"year=2023"))
    _settled(page)
    focused = _focused_facet(page)
    assert focused["facet"] == "年份" and focused["label"] == "2023年", focused
    where = page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect();"
        " return { top: r.top, bottom: r.bottom, height: innerHeight, y: scrollY }; }"
    )
    assert where["top"] >= -1 and where["bottom"] <= where["height"], f"not in view: {where}"

    # An exclude link keeps focus on the exclude link of that value.
    section = _facet(page, "报告部分")
    exclude = section.locator("a.facet-exclude").first
    name = exclude.get_attribute("aria-label")
    exclude.click()
    page.wait_for_url(re.compile(r"not_section="))
    _settled(page)
    focused = _focused_facet(page)
    assert focused["facet"] == "报告部分" and focused["text"] == "取消排除", focused
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == name.replace(
        "排除", "取消排除", 1
    )


def test_focus_falls_back_to_the_facet_heading(open_page):
    """A value that is not on the new page (it moved or went) leaves focus on its facet's heading."""
    page = open_page(viewport={"width": 1280, "height": 800})
    href = _facet_href(page, f"/search?q={Q}", "年份")
    fragment = urlsplit(href).fragment
    assert fragment, href
    gone = re.sub(r"[^-]+$", "1999", unquote(fragment))  # same facet, a value that is not there
    page.goto("/help")  # a new document: the same URL with another fragment would only scroll
    page.goto(f"/search?q={Q}#{quote(gone)}")
    _settled(page)
    assert page.evaluate("document.activeElement.tagName") == "H2"
    assert _focused_facet(page)["facet"] == "年份"


def _facet_href(page, path: str, facet: str) -> str:
    page.goto(path)
    return _facet(page, facet).locator("a.facet-value").first.get_attribute("href")


def test_facet_fragment_without_javascript(open_page):
    """Without JavaScript the facet link still brings the reader back to the facet (its id)."""
    page = open_page(java_script_enabled=False, viewport={"width": 360, "height": 740})
    href = _facet_href(page, f"/search?q={Q}", "地区")
    page.goto(href)
    fragment = unquote(urlsplit(href).fragment)
    assert page.evaluate("id => !!document.getElementById(id)", fragment), fragment
    assert page.evaluate("document.querySelector(':target')?.id") == fragment


# --------------------------------------------------------------------------------- compare chart


def test_compare_chart_readable_on_a_phone(open_page):
    page = open_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page.goto(f"/compare?q={Q}")
    labels = page.locator(".chart .bar-label, .chart .bar-count")
    assert labels.count() >= 6  # three towns, a label and a count each
    sizes = labels.evaluate_all(
        """els => els.map(el => {
          const svg = el.closest("svg");
          const scale = svg && el instanceof SVGElement ? svg.getScreenCTM().a : 1;
          const r = el.getBoundingClientRect();
          return { text: el.textContent, px: parseFloat(getComputedStyle(el).fontSize) * scale,
                   height: r.height, left: r.left, right: r.right };
        })"""
    )
    for s in sizes:
        assert s["px"] >= MIN_CHART_FONT_PX, f"chart label shrinks to {s['px']:.1f}px: {s}"
        assert s["height"] >= MIN_CHART_FONT_PX, f"chart label is {s['height']:.1f}px tall: {s}"
        assert s["left"] >= 0 and s["right"] <= 361, f"chart label off screen: {s}"
    bars = page.locator(".chart rect.bar").evaluate_all(
        "els => els.map(el => el.getBoundingClientRect().width)"
    )
    assert len(bars) == 3 and all(w > 0 for w in bars), bars
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 361, f"horizontal scroll on a 360px screen: scrollWidth={width}"
