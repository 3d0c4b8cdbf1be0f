"""Region resolution: the product examples, ambiguity, old names, hostile input, real titles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.model import Region
from indexer.regions import level_of, resolve_region

TITLES = Path(__file__).resolve().parent / "data" / "titles.jsonl"  # copied from shared/dev
LEVELS = ("province", "city", "county", "town")
MIN_EXACT_FROM_ISSUER = 26  # measured: 27 of 29


def region_of(*headers: str, body: str = "") -> tuple[str | None, ...]:
    return tuple(resolve_region(list(headers), body).region.as_dict().values())


EXAMPLES = [
    (
        ["中共重庆市大足区万古镇委 重庆市大足区万古镇人民政府 关于2023年法治政府建设情况的报告"],
        ("重庆市", "重庆市", "大足区", "万古镇"),
    ),
    (
        ["宝丰县赵庄镇人民政府", "关于2023年法治政府建设情况的报告"],
        ("河南省", "平顶山市", "宝丰县", "赵庄镇"),
    ),
    (["重庆市南岸区广阳镇人民政府"], ("重庆市", "重庆市", "南岸区", "广阳镇")),
    (["重庆市人民政府"], ("重庆市", None, None, None)),
    (["海口市人民政府"], ("海南省", "海口市", None, None)),
    (["仙桃市人民政府"], ("湖北省", None, "仙桃市", None)),
    (["东莞市虎门镇人民政府"], ("广东省", "东莞市", None, "虎门镇")),
    (["中山市东区街道办事处"], ("广东省", "中山市", None, "东区街道")),
    (["儋州市那大镇人民政府"], ("海南省", "儋州市", None, "那大镇")),
    (["嘉峪关市峪泉镇人民政府"], ("甘肃省", "嘉峪关市", None, "峪泉镇")),
    (["昆山市周市镇人民政府"], ("江苏省", "苏州市", "昆山市", "周市镇")),
    (["宜兴市人民政府"], ("江苏省", "无锡市", "宜兴市", None)),
    (["湘西土家族苗族自治州人民政府"], ("湖南省", "湘西土家族苗族自治州", None, None)),
    (["湘西州人民政府"], ("湖南省", "湘西土家族苗族自治州", None, None)),
    (
        ["酉阳土家族苗族自治县可大乡人民政府"],
        ("重庆市", "重庆市", "酉阳土家族苗族自治县", "可大乡"),
    ),
    (["酉阳县可大乡人民政府"], ("重庆市", "重庆市", "酉阳土家族苗族自治县", "可大乡")),
    (["西乌珠穆沁旗人民政府"], ("内蒙古自治区", "锡林郭勒盟", "西乌珠穆沁旗", None)),
    (["锡林郭勒盟行政公署"], ("内蒙古自治区", "锡林郭勒盟", None, None)),
    (
        ["四子王旗查干补力格苏木人民政府"],
        ("内蒙古自治区", "乌兰察布市", "四子王旗", "查干补力格苏木"),
    ),
    (["北京市朝阳区东湖街道办事处"], ("北京市", "北京市", "朝阳区", "东湖街道")),
    (["禄丰县金山镇人民政府"], ("云南省", "楚雄彝族自治州", "禄丰县", "金山镇")),
    (["芜湖县六郎镇人民政府"], ("安徽省", "芜湖市", "芜湖县", "六郎镇")),
    (["湾沚区人民政府"], ("安徽省", "芜湖市", "湾沚区", None)),
    (["重庆市铜梁区人民政府"], ("重庆市", "重庆市", "铜梁区", None)),
    (["重庆市双桥区人民政府"], ("重庆市", "重庆市", "双桥区", None)),
    (["长治市城区人民政府"], ("山西省", "长治市", "城区", None)),
    (["滑县万古镇人民政府"], ("河南省", "安阳市", "滑县", "万古镇")),
    (["宝丰县乡村振兴局"], ("河南省", "平顶山市", "宝丰县", None)),
]

TOWNS = [
    (["高平市北城街街道办事处"], "北城街街道"),
    (["辰溪县罗子山瑶族乡人民政府"], "罗子山瑶族乡"),
    (["中梁山街道关于2025年度法治政府建设情况的报告"], "中梁山街道"),
    (["重庆市大足区人民政府通桥街道办事处"], "通桥街道"),
    (["中共重庆市大足区通桥街道工委"], "通桥街道"),
    (["重庆市长寿区长寿湖镇2023年法治政府建设报告"], "长寿湖镇"),
    (["中共老军乡委员会 老军乡人民政府", "关于2025年法治政府建设情况的报告"], "老军乡"),
    (["中共楠木铺乡党委楠木铺乡人民政府关于2024年法治政府建设工作的报告"], "楠木铺乡"),
    (["中共重庆市大足区万古镇委"], "万古镇"),
    (["吉水镇2024年法治政府建设年度报告"], "吉水镇"),
    (["乡村振兴局关于2023年法治政府建设情况的报告"], None),
    (["宝丰县城乡建设委员会"], None),
    (["一是充分发挥镇党委学习中心组职能作用"], None),
]


@pytest.mark.parametrize(("headers", "expected"), EXAMPLES, ids=[h[0][:14] for h, _ in EXAMPLES])
def test_examples(headers, expected):
    assert region_of(*headers) == expected


@pytest.mark.parametrize(("headers", "town"), TOWNS, ids=[h[0][:14] for h, _ in TOWNS])
def test_town_as_printed(headers, town):
    assert resolve_region(headers).region.town == town


def test_ambiguous_name_is_left_empty_with_a_warning():
    result = resolve_region(["朝阳区人民政府"])
    assert result.region == Region()
    assert result.warnings == [
        "“朝阳区”有多个同名行政区（北京市朝阳区、长春市朝阳区），正文未能确定，区县及以上层级留空"
    ]
    assert result.low_confidence == []


def test_body_settles_an_ambiguity_with_low_confidence():
    result = resolve_region(["朝阳区人民政府"], "在长春市委、市政府的坚强领导下，长春市……")
    assert result.region == Region("吉林省", "长春市", "朝阳区", None)
    assert {"province", "city"} <= set(result.low_confidence)
    assert any("长春市朝阳区" in w for w in result.warnings)


def test_body_is_not_used_without_an_ambiguity():
    result = resolve_region(["宝丰县赵庄镇人民政府"], "学习北京市朝阳区经验")
    assert result.region == Region("河南省", "平顶山市", "宝丰县", "赵庄镇")
    assert result.low_confidence == []


def test_body_is_not_scanned_for_towns():
    assert resolve_region(["宝丰县人民政府"], "赵庄镇人民政府").region.town is None


def test_historical_candidate_under_another_parent_stays_ambiguous():
    result = resolve_region(["双桥区人民政府"])  # 承德市双桥区 now, 重庆市双桥区 until 2011
    assert result.region == Region()
    assert result.warnings


def test_agreeing_levels_are_kept():
    # 巢湖市: county-level city under 合肥市 now, a prefecture until 2011; both in 安徽省.
    assert region_of("巢湖市人民政府") == ("安徽省", None, None, None)


def test_conflicting_counties_leave_the_conflicting_levels_empty():
    result = resolve_region(["宝丰县赵庄镇人民政府", "郏县人民政府"])
    assert result.region == Region("河南省", "平顶山市", None, "赵庄镇")
    assert any("分属不同行政区" in w for w in result.warnings)
    assert region_of("宝丰县人民政府", "海口市人民政府") == (None, None, None, None)


def test_town_without_county_is_flagged():
    result = resolve_region(["吉水镇2024年法治政府建设年度报告"])
    assert result.region == Region(town="吉水镇")
    assert result.warnings


@pytest.mark.parametrize(
    "headers",
    [
        [""],
        [],
        ["关于2023年法治政府建设情况的报告"],
        ["hello world 2023 ASCII only"],
        ["😀🎉🚀 \u200b\ufeff"],
        ["法" * 5000],
        ["朝阳区" * 1700],
        ["镇" * 5000, "乡" * 5000, "街道" * 2500],
        ["重庆市" + "x" * 5000 + "大足区"],
    ],
    ids=[
        "empty",
        "no-lines",
        "no-place",
        "ascii",
        "emoji",
        "long",
        "repeated",
        "suffixes",
        "mixed",
    ],
)
def test_hostile_input_does_not_raise(headers):
    result = resolve_region(headers, body_text="😀" * 100)
    assert isinstance(result.region, Region)


def test_no_place_gives_all_none():
    assert region_of("关于2023年法治政府建设情况的报告") == (None, None, None, None)


def test_level_of():
    assert level_of(Region("河南省", "平顶山市", "宝丰县", "赵庄镇")) == "town"
    assert level_of(Region("广东省", "东莞市", None, "虎门镇")) == "town"
    assert level_of(Region("湖北省", None, "仙桃市")) == "county"
    assert level_of(Region("海南省", "海口市")) == "city"
    assert level_of(Region("重庆市")) == "province"
    assert level_of(Region()) is None


# ---------------------------------------------------------------- real titles


def _records() -> list[dict]:
    return [json.loads(line) for line in TITLES.read_text(encoding="utf-8").splitlines() if line]


def _expected(record: dict) -> tuple[str | None, ...]:
    return tuple(record[level] for level in LEVELS)


def test_real_titles_never_give_a_wrong_value():
    exact_title = exact_issuer = 0
    records = _records()
    for record in records:
        expected = _expected(record)
        for headers in (record["title"].split("\n"), [record["issuer"]]):
            got = region_of(*headers)
            for level, value, want in zip(LEVELS, got, expected, strict=True):
                assert value in (want, None), (headers, level, value, want)
        exact_title += region_of(*record["title"].split("\n")) == expected
        exact_issuer += region_of(record["issuer"]) == expected
    print(
        f"\nexact from title: {exact_title}/{len(records)}; exact from issuer: {exact_issuer}/{len(records)}"
    )
    assert exact_issuer >= MIN_EXACT_FROM_ISSUER
