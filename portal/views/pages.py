"""Home, help and the OpenSearch description."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for

from search.engine import SearchRequest

from ..forms import search_form
from ..viewmodels import browse_links
from . import engine

bp = Blueprint("pages", __name__)

EXAMPLES = ["法律明白人", "枫桥经验", "行政复议", "八五普法"]
HELP_EXAMPLES = [
    ("法律明白人 调解", "同一段中同时出现「法律明白人」和「调解」（空格即“且”）"),
    ("调解 AND 信访", "AND 与空格相同，可写可不写"),
    (
        "法治政府建设情况",
        "不加引号：段中含其全部词语（法治政府建设、情况），连续出现的排在前面并标注「精确」",
    ),
    ('"八五普法"', "加引号：只找连续出现的短语；引号、书名号、间隔号和空格不影响匹配"),
    ("＂八五普法＂", "全角引号同样表示短语"),
    ('"共有“法律明白人”28名"', "短语中可以含中文引号"),
    ("调解 OR 信访", "任一词出现即可（也可写成 调解 | 信访）"),
    ("矛盾纠纷 -网格", "含「矛盾纠纷」但不含「网格」"),
    ("法律明白人 NOT 网格", "NOT 与减号相同：排除其后的词"),
    ("(调解 OR 信访) 网格", "括号分组"),
    ("法律明白人 地区:大足区", "地区筛选，任一级：省、市、区县、乡镇街道"),
    ("调解 地区: 大足", "地区可用简称（大足、河南、宝丰、平顶山），冒号后可有空格"),
    ("普法 年份:2022-2023", "年份筛选：单一年份或区间，也可写 2023年、二〇二三年"),
    ("执法 部分:不足", "报告部分筛选：前言、举措、第一责任人、不足、下一年度、其他"),
    ("调解 -地区:大足区", "排除某个地区（及其下各级）；-年份:…、-部分:… 同理"),
    ("普法 -部分:前言", "排除报告的某个部分"),
    ("大足区 调解", "直接写地区、年份或部分的名称即按其筛选；点「按文字检索」可改为按文字查找"),
    ("部分:下一年度 地区:广阳镇", "只写筛选条件、不写检索词：按原文顺序浏览范围内的全部段落"),
    ("范围:同句 法律 培训", "同句：各词须出现在同一句中（默认「同段」：同一段中即可）"),
    ("范围:标题 依法", "仅标题：只在各级标题中查找，可看出哪些报告的提纲写到了它"),
    ("矛盾糾紛 調解", "繁体与简体互相匹配；全角与半角字母、数字同样互相匹配"),
    ("法律名白人", "查不到或很少时给出「您是不是要找」：同音字、一字之差、拼音（如 tiaojie）"),
    ("调解 层级:乡镇街道", "按发布机关层级筛选：乡镇街道、县区、市、省、部门（也可在左侧选择）"),
]


@bp.get("/")
def home():
    catalog = engine().catalog(SearchRequest())
    reports = catalog.reports
    stats = {
        "reports": len(reports),
        "towns": len({r.region_path for r in reports if r.region.town}),
        "years": sorted({r.year for r in reports if r.year}),
        "paragraphs": sum(r.paragraphs for r in reports),
    }
    examples = [(q, url_for("search.results", q=q)) for q in EXAMPLES]
    return render_template(
        "home.html", form=search_form(request.args), stats=stats, examples=examples,
        browse=browse_links(reports),
    )  # fmt: skip


@bp.get("/help")
def help_page():
    examples = [(q, why, url_for("search.results", q=q)) for q, why in HELP_EXAMPLES]
    return render_template("help.html", form=search_form(request.args), examples=examples)


@bp.get("/opensearch.xml")
def opensearch():
    xml = render_template("opensearch.xml", base=current_app.config["BASE_URL"])
    return Response(xml, mimetype="application/opensearchdescription+xml")
