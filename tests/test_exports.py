"""The comparison view's filters and chips, the way back from a report, CSV exports and the JSON
and CSV links of every results page (issue 13).

Expectations are written by hand from the raw files in corpus/ (grep 法律明白人: one line in
通桥街道, two in 广阳镇 of which line 17 is the run-in heading 3.培育乡村“法律明白人”。 and its
paragraph, one in 赵庄镇, none in 万古镇 or 青木关镇), never from our parser or query code.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from tests.conftest import CORPUS

TERM = "法律明白人"
# report id → (省, 市, 县/区, 乡镇/街道, 年份, paragraphs matching 法律明白人), by hand
REPORTS = {
    "cq-dazu-tongqiao-2023": ("重庆市", "重庆市", "大足区", "通桥街道", "2023", 1),
    "cq-dazu-wangu-2023": ("重庆市", "重庆市", "大足区", "万古镇", "2023", 0),
    "cq-nanan-guangyang-2023": ("重庆市", "重庆市", "南岸区", "广阳镇", "2023", 3),
    "cq-shapingba-qingmuguan-2022": ("重庆市", "重庆市", "沙坪坝区", "青木关镇", "2022", 0),
    "ha-baofeng-zhaozhuang-2023": ("河南省", "平顶山市", "宝丰县", "赵庄镇", "2023", 1),
}
REGION_COLUMNS = ["省", "市", "县/区", "乡镇/街道"]
REPORT_COLUMNS = ["报告编号", *REGION_COLUMNS, "年份", "标题", "匹配段数", "链接"]


def text(response) -> str:
    return response.get_data(as_text=True)


def unescaped(href: str) -> str:
    return href.replace("&amp;", "&")


def chip_urls(html: str) -> list[str]:
    return [unescaped(h) for h in re.findall(r'class="chip" href="([^"]+)"', html)]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


DEFAULTS = {"view": ["paragraphs"], "sort": ["relevance"], "page": ["1"]}


def state_of(url: str) -> dict[str, list[str]]:
    """The URL's parameters, those that only repeat a default left out."""
    return {k: v for k, v in query(url).items() if DEFAULTS.get(k) != v}


def landed(client, url: str) -> tuple[str, str]:
    """Follow the redirect that moves typed filters into the URL: (final URL, page)."""
    response = client.get(url)
    for _ in range(3):
        if response.status_code != 302:
            break
        url = response.headers["Location"]
        response = client.get(url)
    assert response.status_code == 200, url
    return url, text(response)


def rows_of(response) -> list[list[str]]:
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def disposition_names(response) -> tuple[str, str]:
    """(filename*, filename) of the Content-Disposition header (the stream read to its end)."""
    response.get_data()
    response.close()
    header = response.headers["Content-Disposition"]
    assert header.startswith("attachment;") and header.isascii()
    star = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    plain = re.search(r'filename="([^"]*)"', header)
    assert star and plain, header
    return unquote(star[1]), plain[1]


def days() -> set[str]:
    """Today's date and yesterday's, should the test run across midnight."""
    today = date.today()
    return {today.isoformat(), (today - timedelta(days=1)).isoformat()}


def hidden_fields(html: str, form_class: str) -> list[tuple[str, str]]:
    start = html.index(f'class="search-form {form_class}')
    form = html[start : html.index("</form>", start)]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)


# --- 1. the comparison view keeps every filter; chips remove typed filters --------------------


EVERY_FILTER = {
    "q": ["调解"],
    "region": ["重庆市"],
    "year": ["2023"],
    "section": ["主要举措和成效"],
    "not_region": ["重庆市/南岸区"],
    "not_year": ["2022"],
    "not_section": ["前言"],
    "named": ["重庆市"],
}


def test_compare_box_keeps_every_filter(client):
    html = text(client.get("/compare", query_string=EVERY_FILTER))
    fields = hidden_fields(html, "compare-form")
    kept = {name: [v for n, v in fields if n == name] for name in EVERY_FILTER if name != "q"}
    assert kept == {k: v for k, v in EVERY_FILTER.items() if k != "q"}
    # Submitting the box with a new term (as a browser would) keeps them all.
    url, page = landed(client, "/compare?" + "&".join(
        f"{n}={quote(v)}" for n, v in [("q", "培训"), *fields]))  # fmt: skip
    assert query(url) == {**EVERY_FILTER, "q": ["培训"]}
    assert len(chip_urls(page)) == 6  # region, year, section and the three exclusions


def test_compare_box_with_a_typed_filter_keeps_the_others(client):
    """On /compare?q=调解&region=大足区, typing 部分:不足 培训 adds the section, keeps the region."""
    html = text(client.get("/compare?q=调解&region=大足区&not_year=2022"))
    fields = hidden_fields(html, "compare-form")
    typed = "部分:不足 培训"
    url, page = landed(client, "/compare?" + "&".join(
        f"{n}={quote(v)}" for n, v in [("q", typed), *fields]))  # fmt: skip
    params = query(url)
    assert params["q"] == ["培训"] and params["section"] == ["存在的不足和原因"]
    assert params["region"] == ["重庆市/大足区"] and params["not_year"] == ["2022"]
    assert 'value="培训"' in page  # the box text without the filter


@pytest.mark.parametrize("path", ["/compare", "/search"])
@pytest.mark.parametrize(
    "typed, rest, param",
    [
        ("地区:大足区 调解", "调解", "region"),
        ("部分:不足 培训", "培训", "section"),
        ("大足区 调解", "调解", "region"),  # a plain word naming a region
        ("年份:2023 调解", "调解", "year"),
        ("-部分:前言 法治", "法治", "not_section"),
        ("-地区:大足区 调解", "调解", "not_region"),
    ],
)
def test_chip_of_a_typed_filter_removes_it(client, path, typed, rest, param):
    url, html = landed(client, f"{path}?q={quote(typed)}")
    assert query(url)["q"] == [rest]  # the box text is rewritten without the filter
    chips = chip_urls(html)
    assert len(chips) == 1, chips
    remove = chips[0]
    assert urlsplit(remove).path == path and remove != url
    assert param not in query(remove) and query(remove)["q"] == [rest]
    removed = client.get(remove)
    assert removed.status_code == 200 and not chip_urls(text(removed))


@pytest.mark.parametrize("path", ["/compare", "/search"])
def test_no_chip_links_to_its_own_page(client, path):
    url, html = landed(
        client, f"{path}?q={quote('地区:大足区 部分:举措 年份:2023 -年份:2022 调解')}"
    )
    chips = chip_urls(html)
    assert len(chips) == 4 and url not in chips and len(set(chips)) == 4
    for remove in chips:
        assert sum(len(v) for k, v in query(remove).items() if k not in ("q", "named")) == 3


# --- 2. the way back from a report ---------------------------------------------------------------


def back_link(html: str) -> str | None:
    found = re.findall(r'<a href="([^"]*)">← 返回检索结果</a>', html)
    assert len(found) <= 1
    return unescaped(found[0]) if found else None


@pytest.mark.parametrize(
    "results",
    [
        "/search?q=调解&region=重庆市&year=2023&section=主要举措和成效&not_region=南岸区"
        "&not_year=2022&not_section=前言&view=reports&sort=year",
        "/search?q=法治&sort=region&page=2",
        "/search?q=法治&not_section=前言&page=3",
        "/search?region=大足区&year=2023&page=2",  # browsing by filters, no term
        "/search?q=调解&region=重庆市%2F大足区&named=大足区",
    ],
)
def test_back_link_returns_to_the_exact_results_page(client, results):
    url, html = landed(client, results)
    links = [unescaped(h) for h in re.findall(r'href="(/reports/[^"/]+)"', html)]
    assert links, "no hit links"
    for link in links[:6]:
        report = client.get(link)
        assert report.status_code == 200
        back = back_link(text(report))
        assert back and urlsplit(back).path == "/search", link
        assert query(back) == query(url), (link, back)
        if query(url).get("q"):
            assert query(link)["q"] == query(url)["q"]  # the opened report marks the terms
            assert "<mark>" in text(report)


def test_reports_view_links_carry_the_state_too(client):
    url, html = landed(client, "/search?q=调解&view=reports&sort=year&year=2023")
    titles = [unescaped(h) for h in re.findall(r'class="hit-title"><a href="([^"]+)"', html)]
    assert titles and all(query(t) == query(url) for t in titles)
    assert all(not urlsplit(t).fragment for t in titles)  # the report, not a paragraph


@pytest.mark.parametrize(
    "junk",
    [
        "page=abc",
        "page=0",
        "page=²",
        "view=<script>",
        "sort=random",
        "view=reports%22%3E",
        "region=%2F%2Fevil.example",
        "region=https%3A%2F%2Fevil.example%2F",
        "&".join(["region=大足区"] * 60),
        "year=去年",
        "section=不存在",
        "q=%22%3E%3Cscript%3E",
    ],
)
def test_back_link_survives_untrusted_parameters(client, junk):
    response = client.get(f"/reports/cq-dazu-wangu-2023?q=调解&{junk}")
    assert response.status_code == 200
    html = text(response)
    assert "<script>" not in html.split("</head>", 1)[1].replace("<script src", "")
    back = back_link(html)
    assert back is not None
    parts = urlsplit(back)
    assert not parts.scheme and not parts.netloc and parts.path == "/search"  # never off-site
    params = query(back)
    assert params.get("page", ["1"])[0].isdigit() and params.get("view", ["paragraphs"])[0] in (
        "paragraphs", "reports")  # fmt: skip
    assert params.get("sort", ["relevance"])[0] in ("relevance", "year", "region")
    assert len(params.get("region", [])) <= 50
    assert client.get(back).status_code in (200, 400)  # the results page explains bad filters


def test_no_back_link_without_a_search(client):
    assert back_link(text(client.get("/reports/cq-dazu-wangu-2023"))) is None
    catalog = text(client.get("/reports"))
    assert "/reports/cq-dazu-wangu-2023" in catalog


# --- 3. CSV exports ------------------------------------------------------------------------------


def test_csv_file_names_say_what_they_hold(client):
    cases = [
        (f"/search.csv?q={quote('地区:大足区 调解')}", "检索结果-调解-", "search-"),
        (f"/search.csv?q={TERM}&view=reports", f"检索结果-{TERM}-", "search-"),
        (f"/compare.csv?q={TERM}", f"对比-{TERM}-", "compare-"),
        ("/search.csv?region=大足区", "检索结果-", "search-"),
        ("/search.csv?q=ADR", "检索结果-ADR-", "search-ADR-"),
    ]
    for url, chinese, fallback in cases:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        star, plain = disposition_names(response)
        assert star.startswith(chinese) and star.endswith(".csv"), star
        assert star[len(chinese) : -len(".csv")] in days(), star
        assert plain.startswith(fallback) and plain.isascii(), plain
        assert plain[len(fallback) : -len(".csv")] in days(), plain


@pytest.mark.parametrize(
    "q", ['../../etc/passwd 调解', 'a\\b"c\'d 调解', "调解\r\nX-Evil: 1", "“调解”", "调解\t\x7f\u200b",
          "法" * 300],
)  # fmt: skip
def test_csv_file_names_are_sanitised(client, q):
    response = client.get("/search.csv", query_string={"q": q})
    assert response.status_code == 200 and "X-Evil" not in response.headers
    star, plain = disposition_names(response)
    for name in (star, plain):
        assert not re.search(r'[/\\"\'“”\x00-\x1f\x7f\u200b]', name), name
        assert name.endswith(".csv") and not name.startswith(".")
    assert len(star) <= len("检索结果-") + 40 + len("-2026-12-01.csv")
    if "调解" in q:
        assert "调解" in star  # Chinese kept


def test_paragraph_rows_split_regions_and_link_with_the_query(client):
    rows = rows_of(client.get(f"/search.csv?q={TERM}"))
    header, body = rows[0], rows[1:]
    assert header[4:8] == REGION_COLUMNS and header[-1] == "链接"
    assert len(body) == sum(r[5] for r in REPORTS.values()) == 5
    for row in body:
        report_id = row[0]
        assert tuple(row[4:9]) == REPORTS[report_id][:5], row
        link = urlsplit(row[-1])
        assert link.path == f"/reports/{report_id}" and link.fragment == row[1]
        assert parse_qs(link.query) == {"q": [TERM]}
    per_report = {rid: sum(1 for row in body if row[0] == rid) for rid in REPORTS}
    assert per_report == {rid: r[5] for rid, r in REPORTS.items()}


def test_reports_view_exports_one_row_per_report(client):
    rows = rows_of(client.get(f"/search.csv?q={TERM}&view=reports&page=2"))
    assert rows[0] == REPORT_COLUMNS
    found = {row[0]: row for row in rows[1:]}
    assert len(rows) - 1 == len(found) == 3
    for report_id, row in found.items():
        *region, year, count = REPORTS[report_id]
        assert row[1:5] == region and row[5] == year and row[7] == str(count)
        link = urlsplit(row[8])
        assert link.path == f"/reports/{report_id}" and parse_qs(link.query) == {"q": [TERM]}
    # the title as the file says it (its second or third line), e.g. 宝丰县赵庄镇人民政府 …
    assert "赵庄镇" in found["ha-baofeng-zhaozhuang-2023"][6]


def test_compare_csv_has_a_row_per_report_with_region_columns(client):
    rows = rows_of(client.get(f"/compare.csv?q={TERM}"))
    assert rows[0] == REPORT_COLUMNS
    assert len(rows) - 1 == len(list(CORPUS.glob("*.txt"))) == 5
    for row in rows[1:]:
        *region, year, count = REPORTS[row[0]]
        assert row[1:5] == region and row[5] == year and row[7] == str(count), row
        assert parse_qs(urlsplit(row[8]).query) == {"q": [TERM]}
    narrowed = rows_of(client.get(f"/compare.csv?q={TERM}&region=大足区&not_year=2022"))
    assert sorted(row[0] for row in narrowed[1:]) == ["cq-dazu-tongqiao-2023", "cq-dazu-wangu-2023"]


def test_csv_links_are_absolute_under_a_base_url(corpus_index):
    from app import create_app

    based = create_app({"INDEX": str(corpus_index), "TESTING": True, "SECRET_KEY": "t",
                        "BASE_URL": "https://fz.example"}).test_client()  # fmt: skip
    for url in (f"/search.csv?q={TERM}&view=reports", f"/compare.csv?q={TERM}"):
        rows = rows_of(based.get(url))
        assert all(row[-1].startswith("https://fz.example/reports/") for row in rows[1:])
        assert all(parse_qs(urlsplit(row[-1]).query) == {"q": [TERM]} for row in rows[1:])


# --- 4. every results page links its JSON and its CSV --------------------------------------------


def link_to(html: str, prefix: str) -> str:
    found = [unescaped(h) for h in re.findall(rf'href="({re.escape(prefix)}[^"]*)"', html)]
    assert len(found) == 1, (prefix, found)
    return found[0]


@pytest.mark.parametrize("view", ["paragraphs", "reports"])
def test_search_page_links_its_json_and_csv(client, view):
    url, html = landed(
        client, f"/search?q=调解&region=重庆市&not_section=前言&view={view}&sort=year"
    )
    json_url, csv_url = link_to(html, "/api/search?"), link_to(html, "/search.csv?")
    state = state_of(url)
    assert query(json_url) == state and query(csv_url) == state
    data = client.get(json_url).get_json()
    total = re.search(r"共 <strong>(\d+)</strong> 段", html)[1]
    assert data["view"] == view and data["total"] == int(total)
    shown = len(re.findall(r'class="hit-title"><a ', html))
    assert len(data["hits"]) == shown
    rows = rows_of(client.get(csv_url))
    assert len(rows) - 1 == (int(total) if view == "paragraphs" else data["reports"])


def test_search_page_json_link_keeps_the_page(client):
    url, html = landed(client, "/search?q=法治&page=2")
    assert query(link_to(html, "/api/search?"))["page"] == ["2"]
    assert "page" not in query(link_to(html, "/search.csv?"))  # the export has every hit


def test_compare_page_links_its_json_and_csv(client):
    url, html = landed(client, f"/compare?q={TERM}&not_region=重庆市/南岸区")
    json_url, csv_url = link_to(html, "/api/compare?"), link_to(html, "/compare.csv?")
    assert query(json_url) == query(url) == query(csv_url)
    data = client.get(json_url).get_json()
    expected = {rid: r[5] for rid, r in REPORTS.items() if r[2] != "南岸区"}
    assert {row["report_id"]: row["count"] for row in data["rows"]} == expected
    assert len(rows_of(client.get(csv_url))) - 1 == len(expected)


def test_report_page_links_its_json(client):
    html = text(client.get(f"/reports/cq-nanan-guangyang-2023?q={TERM}"))
    data = client.get(link_to(html, "/api/reports/")).get_json()
    assert data["report_id"] == "cq-nanan-guangyang-2023"


# --- the production server -----------------------------------------------------------------------


def test_exports_and_the_way_back_through_gunicorn(corpus_index, tmp_path):
    """Header encoding and links as a browser gets them from `make run`'s server."""
    import urllib.request

    from tests.prodserver import Server

    with Server(corpus_index, tmp_path / "server.log", workers=1) as server:
        with urllib.request.urlopen(f"{server.base}/compare.csv?q={quote(TERM)}") as response:
            header = response.headers["Content-Disposition"]
            body = response.read().decode("utf-8-sig")
        assert f"filename*=UTF-8''{quote('对比-' + TERM + '-')}" in header
        assert re.search(r'filename="compare-\d{4}-\d{2}-\d{2}\.csv"', header)
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == REPORT_COLUMNS and len(rows) == 1 + 5
        results = f"/search?q={quote('调解')}&region={quote('大足区')}&view=reports&sort=year"
        with urllib.request.urlopen(server.base + results) as response:
            html = response.read().decode()
        link = unescaped(re.search(r'class="hit-title"><a href="([^"]+)"', html)[1])
        with urllib.request.urlopen(server.base + link) as response:
            back = back_link(response.read().decode())
        assert query(back) == query(results)
