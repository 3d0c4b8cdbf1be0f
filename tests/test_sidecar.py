"""Curator corrections in NAME.meta.toml win over extraction."""

from __future__ import annotations

import shutil

import pytest

from indexer.errors import ParseError
from indexer.parse import parse_file
from tests.conftest import CORPUS

SEED = CORPUS / "ha-baofeng-zhaozhuang-2023.txt"
NO_YEAR = "某镇人民政府关于法治政府建设情况的报告\n一、主要举措和成效\n2023年推进依法行政。\n"


def test_corrections_win_and_clear_low_confidence(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(NO_YEAR, encoding="utf-8")
    before = parse_file(report)
    assert before.year == 2023 and "year" in before.low_confidence and before.warnings
    (tmp_path / "report.meta.toml").write_text(
        'year = 2022\nissued = 2023-01-05\nissuer = "某县某镇人民政府"\n'
        '[region]\nprovince = "河南省"\ncity = "平顶山市"\ncounty = "宝丰县"\ntown = "某镇"\n',
        encoding="utf-8",
    )
    after = parse_file(report)
    assert after.year == 2022
    assert after.issued == "2023-01-05"
    assert after.issuer == "某县某镇人民政府"
    assert after.region.as_dict() == {
        "province": "河南省",
        "city": "平顶山市",
        "county": "宝丰县",
        "town": "某镇",
    }
    assert "year" not in after.low_confidence
    assert not any("年份" in w for w in after.warnings)
    assert set(after.corrected) >= {"year", "issued", "issuer", "region.county"}


def test_report_id_can_be_corrected(tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    (tmp_path / "a.meta.toml").write_text('report_id = "baofeng-zhaozhuang"\n', encoding="utf-8")
    assert parse_file(tmp_path / "a.txt").report_id == "baofeng-zhaozhuang"


@pytest.mark.parametrize(
    "content, words",
    [
        ("year = ", "格式有误"),
        ('year = "二〇二三"\n', "year"),
        ('colour = "red"\n', "colour"),
        ('[region]\nplanet = "火星"\n', "region"),
        ('report_id = "有 空格"\n', "report_id"),
    ],
)
def test_bad_sidecar_names_the_problem(tmp_path, content, words):
    shutil.copy(SEED, tmp_path / "a.txt")
    (tmp_path / "a.meta.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        parse_file(tmp_path / "a.txt")
    assert "a.meta.toml" in err.value.reason and words in err.value.reason
