"""Figures end to end over the real index of corpus/ plus one written report
(tests/fixtures/figures/cq-dazu-longshui-2023.txt: 65 法律明白人 trained, 50 planned, 1 in a
village named as a shortcoming): the engine, the figures view, the comparison, the report's
facts box, CSV, the API and the command line.

Every expected value below was read by hand from the files: 广阳镇 `40人乡村“法律明白人”队伍`,
通桥街道 `共有“法律明白人”28名`, 赵庄镇 `法律联络员、法律明白人、人民调解员46名` (combined),
龙水镇 as written in the fixture.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest

from tests.conftest import CORPUS, ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "figures" / "cq-dazu-longshui-2023.txt"
TERM = "法律明白人"
ACHIEVED = {"cq-nanan-guangyang-2023": [(40, "人")], "cq-dazu-tongqiao-2023": [(28, "名")],
            "cq-dazu-longshui-2023": [(65, "名")]}  # fmt: skip
PLANNED = {"cq-dazu-longshui-2023": [(50, "名")]}
PROBLEM = {"cq-dazu-longshui-2023": [(1, "名")]}
COMBINED = {"ha-baofeng-zhaozhuang-2023"}


def corpus_with_fixture(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in CORPUS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    return folder


@pytest.fixture(scope="module")
def figures_index(tmp_path_factory) -> Path:
    from indexer.build import build

    root = tmp_path_factory.mktemp("figures-index")
    build(corpus_with_fixture(root / "corpus"), root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def figures_engine(figures_index):
    from search.engine import Engine

    return Engine(figures_index)


@pytest.fixture(scope="module")
def site(figures_index):
    from app import create_app

    app = create_app({"INDEX": str(figures_index), "TESTING": True, "SECRET_KEY": "t"})
    return app.test_client()


def shown_by_report(found) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for f in found.figures:
        if f.shown:
            out.setdefault(f.report_id, []).append((f.value, f.unit))
    return out


@pytest.mark.parametrize("kind, expected", [("", ACHIEVED), ("planned", PLANNED),
                                            ("problem", PROBLEM)])  # fmt: skip
def test_each_kind_gives_its_own_values(figures_engine, kind, expected):
    from search.request import SearchRequest

    found = figures_engine.figures(SearchRequest.of(TERM, kind=kind))
    assert shown_by_report(found) == expected
    assert {f.kind for f in found.figures} == {kind or "achieved"}


def test_a_combined_number_is_never_the_terms_own(figures_engine):
    from search.request import SearchRequest

    found = figures_engine.figures(SearchRequest.of(TERM, kind="all"))
    combined = [f for f in found.figures if f.combined]
    assert {f.report_id for f in combined} == COMBINED
    assert all(f.value is None for f in combined) and "46名" in combined[0].sentence


def test_the_standard_indicator_matches_the_term(figures_engine):
    from search.request import SearchRequest

    found = figures_engine.figures(SearchRequest.of(indicator=TERM, kind="all"))
    every = {r: sorted(ACHIEVED.get(r, []) + PLANNED.get(r, []) + PROBLEM.get(r, []))
             for r in ACHIEVED}  # fmt: skip
    assert {r: sorted(v) for r, v in shown_by_report(found).items()} == every
    cases = figures_engine.figures(SearchRequest.of(indicator="行政复议案件"))
    assert shown_by_report(cases) == {"cq-nanan-guangyang-2023": [(0, "件")],
                                      "cq-shapingba-qingmuguan-2022": [(1, "件")],
                                      "cq-dazu-longshui-2023": [(2, "件")]}  # fmt: skip


def test_filters_narrow_the_figures(figures_engine):
    from search.request import SearchRequest

    found = figures_engine.figures(SearchRequest.of(TERM, region=("大足区",)))
    assert shown_by_report(found) == {r: v for r, v in ACHIEVED.items() if "dazu" in r}
    assert {p.report_id for p in found.places} == {"cq-dazu-tongqiao-2023", "cq-dazu-wangu-2023",
                                                   "cq-dazu-longshui-2023"}  # fmt: skip


def test_figures_page_links_each_value_sums_a_county_and_lists_silent_towns(site):
    page = site.get(f"/figures?q={quote(TERM)}").get_data(as_text=True)
    for report_id, values in ACHIEVED.items():
        for value, unit in values:
            assert re.search(
                rf'href="/reports/{report_id}\?q=[^"]+#p\d+"[^>]*>{value} {unit}<', page
            )
    assert "50 名" not in page  # the plan is on the planned tab only
    assert "重庆市 › 大足区 合计" in page and "93 人（2/3 个地区给出数字）" in page
    silent = page[page.index('id="silent-title"') :]
    assert (
        "赵庄镇" in silent and "合并计数" in silent and "青木关镇" in silent and "未提到" in silent
    )
    planned = site.get(f"/figures?q={quote(TERM)}&kind=planned").get_data(as_text=True)
    assert (
        "50 名" in planned and "65 名" not in planned and "合计" not in planned.split("</table>")[0]
    )


def test_comparison_shows_achievements_beside_counts_never_plans(site):
    page = site.get(f"/compare?q={quote(TERM)}").get_data(as_text=True)
    cells = re.findall(r'<span class="cell-figures">([^<]*)</span>', page)
    assert sorted(cells) == ["28 名", "40 人", "65 名"]


def test_report_page_facts_box(site):
    page = site.get("/reports/cq-dazu-longshui-2023").get_data(as_text=True)
    box = page[page.index('class="indicator-facts"') : page.index("</section>")]
    assert re.search(r'<dt>法律明白人（人数）</dt><dd><a href="#p4"[^>]*>65 名</a>', box)
    assert re.search(r'href="#p12"[^>]*>50 名</a> <span class="figure-kind">（计划）', box)
    assert re.search(r'href="#p10"[^>]*>1 名</a> <span class="figure-kind">（不足）', box)
    assert re.search(r'<dt>调解成功率（%）</dt><dd><a href="#p6"[^>]*>≥98%</a>', box)
    assert re.search(r'<dt>行政复议案件（件）</dt><dd><a href="#p6"[^>]*>2 件</a>', box)


def test_csv_has_a_row_per_figure(site):
    response = site.get(f"/figures.csv?q={quote(TERM)}&kind=all")
    assert "filename*=UTF-8''%E6%95%B0%E5%AD%97-" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:9] == ["报告编号", "段落编号", "省", "市", "县/区", "乡镇/街道", "年份", "类型",
                           "数值"]  # fmt: skip
    valued = sorted((r[0], r[7], r[8], r[9]) for r in rows[1:] if r[8])
    assert valued == sorted([("cq-dazu-longshui-2023", "成效", "65", "名"),
                             ("cq-dazu-longshui-2023", "计划", "50", "名"),
                             ("cq-dazu-longshui-2023", "不足", "1", "名"),
                             ("cq-dazu-tongqiao-2023", "成效", "28", "名"),
                             ("cq-nanan-guangyang-2023", "成效", "40", "人")])  # fmt: skip
    assert all(r[-1].startswith("/reports/") and "#p" in r[-1] for r in rows[1:])


def test_api_contract(site):
    data = site.get(f"/api/figures?q={quote(TERM)}").get_json()
    assert data["term"] == TERM and data["kind"] == "achieved"
    keys = {"report_id", "paragraph_id", "region", "year", "value", "unit", "approx", "bound",
            "kind", "combined", "sentence", "url"}  # fmt: skip
    assert all(set(f) == keys for f in data["figures"])
    assert {(f["report_id"], f["value"]) for f in data["figures"] if f["value"] is not None} == {
        (r, v) for r, values in ACHIEVED.items() for v, _ in values
    }
    bad = site.get("/api/figures?indicator=nope")
    assert bad.status_code == 400 and "指标「nope」不存在" in bad.get_json()["error"]
    assert site.get("/api/figures?q=x&kind=nope").status_code == 400


def test_command_line_figures_json(figures_index):
    out = subprocess.run(
        [sys.executable, "-m", "search", TERM, "--figures", "--json", "--kind", "planned",
         "--index", str(figures_index)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout  # fmt: skip
    data = json.loads(out)
    assert [(f["report_id"], f["value"], f["unit"], f["kind"]) for f in data["figures"]] == [
        ("cq-dazu-longshui-2023", 50, "名", "planned")
    ]


def test_a_derived_file_without_indicators_is_read_anyway(figures_index):
    """A generation built before indicators were read: its figures are read from its texts."""
    from indexer import arrayfile, derived

    path = next((figures_index / "current").resolve().glob("*.derived"))
    arrays, meta = arrayfile.open_arrays(path)
    old = path.with_name("old.derived")
    arrayfile.write(old, {k: np.array(v) for k, v in arrays.items() if not k.startswith("fig.")},
                    meta)  # fmt: skip
    try:
        new, again = derived.read(path).figures, derived.read(old).figures
        assert len(new) > 0 and len(again) == len(new)
        assert np.array_equal(new.row, again.row) and np.array_equal(new.flags, again.flags)
        assert [new.units[u] for u in new.unit] == [again.units[u] for u in again.unit]
    finally:
        old.unlink()


def test_figures_follow_every_corpus_change(tmp_path):
    """Added, edited and deleted reports: the next answer of the same engine is the new state's,
    for a term's figures (cached per generation) and for an indicator's (read at build time)."""
    from indexer.build import build
    from search.engine import Engine
    from search.request import SearchRequest

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(CORPUS / "cq-dazu-tongqiao-2023.txt", corpus)
    build(corpus, index)
    engine = Engine(index)

    def values() -> tuple[dict, dict]:
        term = engine.figures(SearchRequest.of(TERM, kind="all"))
        indicator = engine.figures(SearchRequest.of(indicator=TERM, kind="all"))
        return shown_by_report(term), shown_by_report(indicator)

    assert values() == ({"cq-dazu-tongqiao-2023": [(28, "名")]},) * 2
    shutil.copy(FIXTURE, corpus)
    build(corpus, index)
    added = {"cq-dazu-tongqiao-2023": [(28, "名")], "cq-dazu-longshui-2023": [(65, "名"), (1, "名"),
                                                                              (50, "名")]}  # fmt: skip
    assert values() == (added, added)
    edited = FIXTURE.read_text("utf-8").replace("“法律明白人”65名", "“法律明白人”70名")
    (corpus / FIXTURE.name).write_text(edited, "utf-8")
    build(corpus, index)
    added["cq-dazu-longshui-2023"][0] = (70, "名")
    assert values() == (added, added)
    (corpus / FIXTURE.name).unlink()
    build(corpus, index)
    assert values() == ({"cq-dazu-tongqiao-2023": [(28, "名")]},) * 2
