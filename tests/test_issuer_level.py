"""The issuer-level facet (issue 13's proof of one facet abstraction).

The level of each real report in tests/data/titles.jsonl was labelled by hand when the file was
collected (`level`: town, county, city, province, department); the classifier must agree with
every label, and the facet must count, filter, exclude and show like the others.
"""

from __future__ import annotations

import json

import pytest

from indexer.model import Region
from search.engine import SearchRequest
from search.errors import BadRequest
from search.facets.issuer import issuer_level
from tests.conftest import DATA

LABELS = {"town": "乡镇街道", "county": "县区", "city": "市", "province": "省",
          "department": "部门"}  # fmt: skip


def titles() -> list[dict]:
    return [
        json.loads(line)
        for line in (DATA / "titles.jsonl").read_text(encoding="utf-8").splitlines()
    ]


@pytest.mark.parametrize("entry", titles(), ids=lambda e: e["issuer"])
def test_every_hand_labelled_issuer(entry):
    region = Region(
        entry.get("province"), entry.get("city"), entry.get("county"), entry.get("town")
    )
    assert issuer_level(entry["issuer"], region) == LABELS[entry["level"]]


def test_a_name_that_says_neither_gets_no_level():
    region = Region("重庆市", "重庆市", "大足区", "万古镇")
    assert issuer_level("", region) is None
    assert issuer_level("万古镇法治建设领导小组", region) is None


def test_the_facet_counts_filters_and_excludes(engine, client, seeds):
    # The five seed reports are all issued by a town or street government (read by hand).
    units = sum(len(r.paragraphs) for r in seeds.values())
    holding = sum("调解" in p.text for r in seeds.values() for p in r.paragraphs)
    found = engine.search(SearchRequest.of("调解"))
    assert [(v.value, v.count) for v in found.facets.issuer_level] == [("乡镇街道", holding)]
    assert engine.search(SearchRequest.of("调解", issuer_level=("乡镇街道",))).total == holding
    assert engine.search(SearchRequest.of("调解", issuer_level=("部门",))).total == 0
    assert engine.search(SearchRequest.of("调解", not_issuer_level=("乡镇街道",))).total == 0
    assert engine.search(SearchRequest.of("层级:乡镇街道")).total == units  # browsing, typed
    with pytest.raises(BadRequest, match="发布机关层级「村」"):
        engine.search(SearchRequest.of("调解", issuer_level=("村",)))
    page = client.get("/search?q=调解").get_data(as_text=True)
    assert "发布机关层级" in page and "issuer_level=%E4%B9%A1%E9%95%87%E8%A1%97%E9%81%93" in page
    chips = client.get("/search?q=调解&not_issuer_level=乡镇街道").get_data(as_text=True)
    assert "不含层级" in chips
    catalog = client.get("/reports").get_data(as_text=True)
    assert "发布机关层级" in catalog
