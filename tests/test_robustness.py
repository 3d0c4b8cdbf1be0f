"""Whatever the input, parsing gives a Report or a ParseError with a Chinese reason, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.errors import ParseError
from indexer.parse import parse_file, parse_text
from tests.conftest import CORPUS

PIECES = [
    "一、",
    "（一）",
    "(二)",
    "1.",
    "2、",
    "（3）",
    "①",
    "一是",
    "二是",
    "关于",
    "2023年",
    "二〇二四年一月十日",
    "法治政府建设情况的报告",
    "人民政府",
    "中共",
    "街道",
    "镇",
    "乡",
    "区",
    "县",
    "朝阳区",
    "重庆市",
    "：",
    "。",
    "，",
    "\n",
    "\n\n",
    "\f",
    "— 3 —",
    "[bookmark: _GoBack]",
    "特此报告。",
    "〔2024〕2号",
    "签发人：",
    "存在的问题：",
    "下一步",
    "<script>",
    "\u3000",
    "\ufeff",
    "🙂",
    "１２",
    "a",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60).map("".join)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_parses_or_fails_cleanly(text):
    try:
        report = parse_text(text, "fuzz")
    except ParseError as exc:
        assert has_chinese(exc.reason)
        return
    assert report.paragraphs
    assert len({p.id for p in report.paragraphs}) == len(report.paragraphs)
    report.to_json()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".docx", ".pdf", ".html", ".bin", ""]))
def test_any_bytes_parse_or_fail_cleanly(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"file{suffix}"
    path.write_bytes(data)
    try:
        parse_file(path)
    except ParseError as exc:
        assert has_chinese(exc.reason) and path.name in str(exc)


def test_seed_with_truncation_points_never_crashes(tmp_path):
    data = (CORPUS / "cq-dazu-wangu-2023.txt").read_bytes()
    for cut in range(0, len(data), 97):
        path = tmp_path / "cut.txt"
        path.write_bytes(data[:cut])
        try:
            parse_file(path)
        except ParseError as exc:
            assert has_chinese(exc.reason)
