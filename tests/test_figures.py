"""The figures extracted for a term, checked against hand labels (tests/data/figures.jsonl).

Each label was written by hand from a sentence of corpus/ (its file named in `source`) or from a
sentence written for this test (`fixture`): the term, which of its mentions (`nth`, from 0), and
the value the sentence gives for it — with its unit and qualifiers — or `null` when it gives none
of the term's own, `combined` when the number is shared by several nouns.

Precision of shown values must be 1.0: a value the extractor shows as the term's own is exactly
the label's. Recall (labelled own values found) is printed and must not fall below its floor.
"""

from __future__ import annotations

import json
import re

import pytest

from indexer.figures import chinese_number, figures_in, kind_of, sentences
from tests.conftest import CORPUS, DATA

LABELS = [json.loads(line) for line in (DATA / "figures.jsonl").read_text("utf-8").splitlines()]
RECALL_FLOOR = 0.8


def _expected(label: dict) -> tuple | None:
    if label["value"] is None or label.get("combined"):
        return None
    return (float(label["value"]), label["unit"], bool(label.get("approx")), label.get("bound"))


def _got(label: dict):
    found = figures_in(label["sentence"], label["term"])
    nth = label.get("nth", 0)
    return found[nth] if nth < len(found) else None


def _shown(figure) -> tuple | None:
    if figure is None or not figure.shown:
        return None
    return (figure.value, figure.unit, figure.approx, figure.bound)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_set_is_large_and_covers_every_form():
    assert len(LABELS) >= 150
    own = [label for label in LABELS if _expected(label)]
    assert sum(label.get("combined", False) for label in LABELS) >= 8
    assert sum(label["value"] is None for label in LABELS) >= 40
    assert any(label.get("approx") for label in own) and any(label.get("bound") for label in own)
    assert any(label["unit"] == "%" for label in own) and any(
        label["unit"] == "万元" for label in own
    )
    assert any(re.search("[一二两三四五六七八九十百千]", label["sentence"]) for label in own)


@pytest.mark.parametrize("path", sorted({label["source"] for label in LABELS} - {"fixture"}))
def test_corpus_sentences_are_quoted_from_their_file(path):
    text = _squeezed((CORPUS.parent / path).read_text("utf-8"))
    for label in LABELS:
        if label["source"] == path:
            assert _squeezed(label["sentence"]) in text, label["sentence"][:40]


def test_no_shown_value_differs_from_its_label():
    wrong = []
    for label in LABELS:
        shown = _shown(_got(label))
        if shown is not None and shown != _expected(label):
            wrong.append((label["term"], label.get("nth", 0), shown, label["sentence"][:50]))
    assert not wrong, "\n".join(map(str, wrong))


def test_recall_of_own_values(capsys):
    own = [label for label in LABELS if _expected(label)]
    found = [label for label in own if _shown(_got(label)) == _expected(label)]
    combined = [label for label in LABELS if label.get("combined")]
    marked = [label for label in combined if (f := _got(label)) is not None and f.combined]
    recall = len(found) / len(own)
    with capsys.disabled():
        print(
            f"\n[figures] {len(LABELS)} labels: precision of shown values 1.0; recall of own "
            f"values {len(found)}/{len(own)} = {recall:.3f}; combined marked "
            f"{len(marked)}/{len(combined)}"
        )
    assert recall >= RECALL_FLOOR


def test_chinese_numerals():
    assert [chinese_number(s) for s in ("四十", "两", "一百二十", "三万", "十五", "一千零五")] == [
        40, 2, 120, 30000, 15, 1005,
    ]  # fmt: skip
    assert chinese_number("二〇二三") is None and chinese_number("二三") is None


def test_years_dates_document_numbers_and_ordinals_are_no_figures():
    for sentence in ("2023年1月至12月", "大足府办发〔2023〕77号", "第3条", "一是", "二〇二三年",
                     "第十条", "“3·15”", "12345热线"):  # fmt: skip
        assert figures_in(sentence + "法律明白人", "法律明白人") == [], sentence


def test_kind_follows_the_outline_part():
    assert kind_of("主要举措和成效") == kind_of("第一责任人职责") == kind_of("前言") == "achieved"
    assert kind_of("下一年度工作安排") == "planned" and kind_of("存在的不足和原因") == "problem"
    assert kind_of("其他需要报告的情况") == kind_of("") == "other"


def test_sentences_keep_their_offsets():
    text = "一是培养法律明白人28名。二是……\n三是"
    assert [(at, s) for at, s in sentences(text)] == [(0, "一是培养法律明白人28名。"),
                                                     (13, "二是……"), (18, "三是")]  # fmt: skip
