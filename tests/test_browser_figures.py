# ruff: noqa: F811
"""The figures view in the real browser (the production server, Debian's chromium): open it for
法律明白人, see each town's number with its link to the sentence's paragraph, switch to the
planned figures, download the CSV.

The index holds corpus/ and the written report of tests/test_figures_views.py (65 trained, 50
planned); the expected values are those read by hand there.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote, urlsplit

import pytest

from tests.test_browser import (  # noqa: F401
    _announce_shots,
    _shot,
    browser,
    open_page,
    server,
    shots,
)
from tests.test_figures_views import ACHIEVED, PLANNED, TERM, corpus_with_fixture


@pytest.fixture(scope="module")
def index_root(tmp_path_factory):
    """The index the browser tests' server serves: corpus/ plus the written report."""
    from indexer.build import build

    root = tmp_path_factory.mktemp("browser-figures")
    build(corpus_with_fixture(root / "corpus"), root / "index")
    return root / "index"


TOWNS = {"cq-nanan-guangyang-2023": "广阳镇", "cq-dazu-tongqiao-2023": "通桥街道",
         "cq-dazu-longshui-2023": "龙水镇"}  # fmt: skip


def _values(page) -> dict[str, tuple[str, str]]:
    """Each town row's shown values: town → (text, the link's report id and fragment)."""
    found = {}
    for row in page.locator("table.figures-table tbody tr:not(.subtotal)").all():
        town = row.locator("th").inner_text()
        for link in row.locator("a.figure-value").all():
            href = urlsplit(link.get_attribute("href"))
            found[town.split(" › ")[-1]] = (link.inner_text(), href.path.rsplit("/", 1)[-1],
                                            href.fragment)  # fmt: skip
    return found


def test_figures_journey(open_page, shots, tmp_path):
    from playwright.sync_api import expect

    page = open_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page.goto(f"/figures?q={quote(TERM)}")
    expect(page.locator("h1#figures-title")).to_contain_text(TERM)
    values = _values(page)
    assert {town: text for town, (text, _, _) in values.items()} == {
        TOWNS[r]: f"{v} {u}" for r, ((v, u),) in ACHIEVED.items()
    }
    for town, (_, report_id, fragment) in values.items():
        assert TOWNS[report_id] == town and fragment.startswith("p")
    _shot(page, shots, "figures-achieved")

    # The link opens the paragraph holding the sentence, the term marked.
    page.locator("a.figure-value", has_text="65 名").click()
    page.wait_for_url("**/reports/cq-dazu-longshui-2023?*")
    paragraph = page.locator(f"#{urlsplit(page.url).fragment}")
    expect(paragraph).to_contain_text("65名")
    expect(paragraph.locator("mark").first).to_have_text(TERM)
    page.go_back()

    # Planned: only the plan, and no subtotal (plans are never added up).
    page.locator("nav.kind-switch a", has_text="计划").click()
    page.wait_for_url("**kind=planned*")
    assert {t: v[0] for t, v in _values(page).items()} == {
        TOWNS[r]: f"{v} {u}" for r, ((v, u),) in PLANNED.items()
    }
    expect(page.locator("tr.subtotal")).to_have_count(0)
    expect(page.locator("nav.kind-switch a[aria-current=page]")).to_contain_text("计划")
    _shot(page, shots, "figures-planned")

    # The CSV of the planned figures.
    with page.expect_download() as download:
        page.locator("a", has_text="导出 CSV").click()
    saved = tmp_path / "figures.csv"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("数字-")
    rows = list(csv.reader(io.StringIO(saved.read_text("utf-8-sig"))))
    assert [(r[0], r[7], r[8], r[9]) for r in rows[1:] if r[8]] == [
        ("cq-dazu-longshui-2023", "计划", "50", "名")
    ]
