"""Every route of the portal through Flask's test client, against an index of the real corpus."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest

from app import create_app
from search.engine import Engine, SearchRequest
from tests.conftest import CORPUS

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "法" * 5000, "'\"<>&"]


@pytest.fixture(scope="module")
def index_root(corpus_index):
    return corpus_index


def text(response) -> str:
    return response.get_data(as_text=True)


def hrefs(html: str, cls: str) -> list[str]:
    return [
        h.replace("&amp;", "&") for h in re.findall(rf'class="{cls}[^"]*" href="([^"]+)"', html)
    ]


# --- pages ----------------------------------------------------------------------------------


def test_home_shows_search_box_examples_and_corpus(client):
    html = text(client.get("/"))
    assert 'name="q"' in html and 'role="search"' in html
    for q in ("法律明白人", "枫桥经验", "行政复议", "八五普法"):
        assert f">{q}</a>" in html
    assert "5 份" in html and "190 段（含标题）" in html and "/reports" in html


def test_results_page_shows_total_understanding_facets_and_hits(client, engine):
    html = text(client.get("/search?q=法律明白人"))
    # four paragraphs and the heading 3.培育乡村“法律明白人”
    assert "共 <strong>5</strong> 段，涉及 <strong>3</strong> 份报告" in html
    assert html.count('<span class="badge heading"') == 1
    assert 'class="term' in html and "法律明白人" in html
    for title in ("地区", "年份", "报告部分"):
        assert f">{title}</h2>" in html
    expected = engine.search(SearchRequest.of(q="法律明白人", all=True)).hits
    links = re.findall(r'class="goto" href="([^"]+)"', html)
    assert [urlparse(link.replace("&amp;", "&")).fragment for link in links] == [
        h.paragraph_id for h in expected
    ]
    assert all("/reports/" in link and "q=" in link for link in links)
    assert html.count("<mark>") >= 4 and "精确匹配" in html


def test_facet_links_toggle_and_chips_remove(client):
    html = text(client.get("/search?q=调解"))
    chongqing = next(u for u in hrefs(html, "facet-value") if "region=" in u)
    params = parse_qs(urlparse(chongqing).query)
    assert params["region"] == ["重庆市"] and params["q"] == ["调解"]
    narrowed = text(client.get(chongqing))
    assert 'class="chip"' in narrowed and 'aria-current="true"' in narrowed
    child = [u for u in hrefs(narrowed, "facet-value") if "%E5%A4%A7%E8%B6%B3" in u]  # 大足区
    assert child and parse_qs(urlparse(child[0]).query)["region"] == ["重庆市/大足区"]
    remove = hrefs(narrowed, "chip")[0]
    assert "region" not in parse_qs(urlparse(remove).query)


def test_selected_year_can_be_unpicked_from_a_range(client):
    html = text(client.get("/search?q=法治&year=2021-2023"))
    chips = hrefs(html, "chip")
    assert len(chips) == 3  # 2023, 2022, 2021 spelt out, each removable
    assert parse_qs(urlparse(chips[0]).query)["year"] == ["2022", "2021"]


def test_filters_typed_in_the_box_move_into_the_url(client):
    response = client.get("/search?q=调解 年份:2023 地区:大足区")
    assert response.status_code == 302
    params = parse_qs(urlparse(response.headers["Location"]).query)
    assert params == {"q": ["调解"], "region": ["大足区"], "year": ["2023"]}


def test_views_sorts_and_pages(client, engine):
    reports = text(client.get("/search?q=调解&view=reports"))
    assert 'class="report-hit"' in reports and "段匹配" in reports
    by_year = text(client.get("/search?q=法治&sort=year"))
    assert 'aria-current="page" class="on">年份' in by_year
    total = engine.search(SearchRequest.of(q="法治")).total
    page2 = text(client.get("/search?q=法治&page=2"))
    assert 'class="pager"' in page2 and f'start="{20 + 1}"' in page2
    beyond = client.get(f"/search?q=法治&page={total}")
    assert beyond.status_code == 200 and "没有找到匹配的段落" in text(beyond)


def test_empty_and_meaningless_queries_explain(client):
    assert "请输入检索词" in text(client.get("/search"))
    assert "检索式中没有可检索的文字" in text(client.get("/search?q=，。！"))
    notes = text(client.get('/search?q="八五普法'))
    assert "引号不成对" in notes


@pytest.mark.parametrize("q", HOSTILE)
@pytest.mark.parametrize("path", ["/search", "/compare", "/reports/cq-dazu-wangu-2023", "/"])
def test_hostile_queries_come_back_escaped(client, path, q):
    response = client.get(path, query_string={"q": q})
    assert response.status_code == 200
    html = text(response)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "onerror=alert(1)>" not in html.replace("&gt;", "")  # only in escaped form


def test_report_page_anchors_highlights_and_match_navigation(client):
    html = text(client.get("/reports/cq-nanan-guangyang-2023?q=法律明白人"))
    ids = re.findall(r' id="(p\d+)"', html)  # every unit, headings included, has its anchor
    assert ids == [f"p{i}" for i in range(1, len(ids) + 1)] and len(ids) == 49
    assert len(re.findall(r'<div class="para[^"]*" id="p\d+"', html)) == 22
    headings = re.findall(r'<h(\d) id="(p\d+)" class="report-heading[^"]*">', html)
    assert len(headings) == 27 and ("4", "p22") in headings  # 3.培育乡村“法律明白人”, level 3
    assert re.findall(r'class="para match" id="(p\d+)"', html) == ["p19", "p23"]
    assert re.findall(r'id="(p\d+)" class="report-heading match"', html) == ["p22"]
    assert 'href="#p22">↓ 下一处' in html and 'href="#p19">↑ 上一处' in html
    assert 'href="#p23">↓ 下一处' in html
    assert "<mark>法律明白人</mark>" in html and 'class="permalink" href="#p19"' in html
    assert '<a href="#p22">3.培育乡村“法律明白人”。</a>' in html  # the table of contents
    assert "目录" in html and "下载原始文件" in html and "广阳镇" in html
    plain = text(client.get("/reports/cq-nanan-guangyang-2023"))
    assert "<mark>" not in plain and 'class="para match"' not in plain


def test_report_metadata(client):
    html = text(client.get("/reports/cq-dazu-wangu-2023"))
    for fact in ("万古委文〔2024〕2号", "2024-01-10", "2023年", "重庆市 › 大足区 › 万古镇"):
        assert fact in html


def test_original_file_downloads(client):
    response = client.get("/reports/cq-dazu-wangu-2023/source")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.data == (CORPUS / "cq-dazu-wangu-2023.txt").read_bytes()


def test_catalog_filters_by_region_and_year(client):
    html = text(client.get("/reports"))
    assert html.count("<tr>") == 5 + 1
    narrowed = text(client.get("/reports?region=大足区&year=2023"))
    assert narrowed.count("<tr>") == 2 + 1 and "万古镇" in narrowed and "青木关" not in narrowed
    assert "2023年" in narrowed


def test_compare_table_chart_and_silent_towns(client):
    html = text(client.get("/compare?q=法律明白人"))
    assert '<table class="pivot">' in html and "<svg" in html and html.count('class="bar"') == 3
    silent = html[html.index('class="silent"') :]
    assert "万古镇" in silent and "青木关镇" in silent and "广阳镇" not in silent
    assert "style=" not in html  # CSP: no inline styles, the chart is drawn with attributes
    narrowed = text(client.get("/compare?q=法律明白人&region=大足区"))
    assert narrowed.count('class="bar"') == 1


def test_help_examples_run(client):
    html = text(client.get("/help"))
    links = [u.replace("&amp;", "&") for u in re.findall(r'<a href="(/search\?q=[^"]+)"', html)]
    assert len(links) >= 18
    for link in links:
        response = client.get(link, follow_redirects=True)
        found = re.search(r"共 <strong>(\d+)</strong>", text(response))
        assert response.status_code == 200 and found and int(found[1]) >= 1, link


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    assert "/search?q={searchTerms}" in text(response)
    assert 'rel="search"' in text(client.get("/"))


# --- API and CSV ----------------------------------------------------------------------------


def test_api_search_contract_with_urls(client, engine):
    data = client.get("/api/search?q=法律明白人&all=1").get_json()
    assert {"total", "reports", "query_terms", "hits", "facets"} <= set(data)
    assert data["total"] == 5 and len(data["hits"]) == 5  # one is a heading
    assert [h["kind"] for h in data["hits"]].count("heading") == 1
    expected = engine.search(SearchRequest.of(q="法律明白人", all=True)).to_json()
    assert [h["snippet"] for h in data["hits"]] == [h["snippet"] for h in expected["hits"]]
    for hit in data["hits"]:
        assert hit["url"] == f"/reports/{hit['report_id']}#{hit['paragraph_id']}"
    reports = client.get("/api/search?q=调解&view=reports").get_json()
    assert all(p["url"].startswith("/reports/") for h in reports["hits"] for p in h["paragraphs"])


def test_api_report_is_the_parsed_report(client, seeds):
    data = client.get("/api/reports/cq-dazu-wangu-2023").get_json()
    expected = seeds["cq-dazu-wangu-2023"].to_json()
    for key in ("report_id", "title", "issuer", "region", "year", "issued", "doc_number"):
        assert data[key] == expected[key], key
    assert data["paragraphs"] == expected["paragraphs"]


def test_csv_export_has_every_hit_with_its_url(client, engine, index_root):
    response = client.get("/search.csv?q=调解&region=重庆市")
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(text(response).lstrip("\ufeff"))))
    total = engine.search(SearchRequest.of(q="调解", region=("重庆市",))).total
    assert len(rows) == total + 1 and rows[0][-1] == "链接" and rows[0][2] == "类型"
    hits = engine.search(SearchRequest.of(q="调解", region=("重庆市",), all=True)).hits
    assert [row[2] for row in rows[1:]] == ["标题" if h.kind == "heading" else "段落" for h in hits]
    named = list(
        csv.reader(io.StringIO(text(client.get("/search.csv?q=法律明白人")).lstrip("\ufeff")))
    )
    assert [row[2] for row in named[1:]].count("标题") == 1
    # No base URL configured: links are relative, never built from the request's Host header.
    assert all(
        re.match(r"/reports/[\w-]+\?q=%E8%B0%83%E8%A7%A3#p\d+$", row[-1]) for row in rows[1:]
    )
    spoofed = client.get("/search.csv?q=调解", headers={"Host": "evil.example"})
    assert "evil.example" not in text(spoofed)
    based = create_app(
        {
            "INDEX": str(index_root),
            "TESTING": True,
            "SECRET_KEY": "t",
            "BASE_URL": "https://fz.example",
        }
    ).test_client()
    rows = list(csv.reader(io.StringIO(text(based.get("/search.csv?q=调解")).lstrip("\ufeff"))))
    assert all(row[-1].startswith("https://fz.example/reports/") for row in rows[1:])
    assert "https://fz.example/search" in text(
        based.get("/opensearch.xml", headers={"Host": "x.y"})
    )
    compare = list(
        csv.reader(io.StringIO(text(client.get("/compare.csv?q=调解")).lstrip("\ufeff")))
    )
    assert len(compare) == 5 + 1


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, problem",
    [
        ("/search?q=法治&year=去年", "年份「去年」"),
        ("/search?q=法治&page=abc", "页码「abc」"),
        ("/search?q=法治&page=0", "页码「0」"),
        ("/search?q=法治&view=cards", "视图「cards」"),
        ("/search?q=法治&sort=random", "排序「random」"),
        ("/search?q=法治&section=不存在", "报告部分「不存在」"),
        ("/compare?q=法治&year=abc", "年份「abc」"),
        ("/reports?year=19", "年份「19」"),
        ("/search?q=" + "法" * 10_001, "检索式过长"),
    ],
)
def test_bad_parameters_give_a_friendly_400(client, url, problem):
    response = client.get(url)
    assert response.status_code == 400 and problem in text(response)
    assert "Traceback" not in text(response) and "<!doctype html>" in text(response)
    api = client.get(url.replace("/search?", "/api/search?", 1))
    if url.startswith("/search"):
        assert api.status_code == 400 and problem in api.get_json()["error"]


def test_unknown_pages_and_reports_are_404(client):
    for url in ("/reports/nope", "/reports/nope/source", "/nowhere"):
        response = client.get(url)
        assert response.status_code == 404 and "没有找到" in text(response)
    assert client.get("/api/reports/nope").status_code == 404
    assert client.get("/api/reports/nope").get_json()["status"] == 404


def test_post_is_refused_politely(client):
    response = client.post("/search", data={"q": "法治"})
    assert response.status_code == 405 and "不支持" in text(response)


def test_missing_index_is_explained(tmp_path):
    app = create_app({"INDEX": str(tmp_path / "none"), "TESTING": True, "SECRET_KEY": "t"})
    response = app.test_client().get("/search?q=法治")
    assert response.status_code == 503 and "索引尚未建立" in text(response)


def test_no_debug_mode_and_no_tracebacks(index_root, monkeypatch):
    app = create_app({"INDEX": str(index_root), "SECRET_KEY": "t"})
    assert not app.debug

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Engine, "search", boom)
    response = app.test_client().get("/search?q=法治")
    assert response.status_code == 500 and "secret internals" not in text(response)
    assert "服务器内部出错" in text(response)


# --- security and assets --------------------------------------------------------------------


def test_security_headers_on_every_response(client):
    for url in ("/", "/search?q=法治", "/api/search?q=法治", "/reports/nope", "/static/site.css"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_use_no_inline_code_and_no_external_resources(client):
    for url in ("/", "/search?q=法律明白人", "/reports/cq-dazu-wangu-2023?q=调解", "/compare?q=调解",
                "/reports", "/help", "/reports/nope", "/figures?q=法律明白人",
                "/figures?indicator=调解成功率&kind=all"):  # fmt: skip
        html = text(client.get(url))
        assert "style=" not in html and not re.search(r"<style|<script>|<script [^>]*>[^<]", html)
        assert not re.search(r" on[a-z]+=", html), url
        assert not re.search(r'(src|href)="(https?:)?//', html), url
    for asset in ("site.css", "site.js", "favicon.svg"):
        body = text(client.get(f"/static/{asset}"))
        assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body
        assert "@import" not in body and "url(" not in body


def test_pages_are_accessible_by_structure(client):
    for url in (
        "/",
        "/search?q=调解",
        "/reports/cq-dazu-wangu-2023",
        "/compare?q=调解",
        "/reports",
        "/figures?q=法律明白人",
    ):
        html = text(client.get(url))
        assert '<html lang="zh-CN">' in html and '<main id="main"' in html
        assert 'class="skip" href="#main"' in html and "<h1" in html
        for field in re.findall(r'<input[^>]*id="([^"]+)"', html):
            assert f'for="{field}"' in html, (url, field)


def test_a_new_query_from_the_results_page_keeps_filters(client):
    html = text(client.get("/search?q=调解&region=大足区&view=reports&page=2"))
    form = html[html.index('role="search"') : html.index("</form>")]
    assert '<input type="hidden" name="region" value="大足区">' in form
    assert '<input type="hidden" name="view" value="reports">' in form
    assert 'name="page"' not in form


def test_a_region_given_by_name_drills_down_to_its_towns(client):
    html = text(client.get("/search?q=法治&region=大足区"))
    regions = [parse_qs(urlparse(u).query).get("region") for u in hrefs(html, "facet-value")]
    assert ["重庆市/大足区/万古镇"] in regions  # choosing the town replaces the district
    assert "地区</span>重庆市 › 大足区" in html  # the chip names the full path
