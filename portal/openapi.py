"""The OpenAPI 3 description of the JSON API, served at /api/openapi.json.

Written by hand next to the routes it describes; a test checks that every /api route is described
and a schemathesis run checks the running server's answers against it.
"""

from __future__ import annotations

from indexer.indicators import INDICATORS
from indexer.model import Region
from search.facets import FACETS
from search.figures import KIND_NAMES
from search.filters import SCOPE_NAMES
from search.related import SAMPLE

from .state import LIST_LIMIT

LEVELS = list(Region.LEVELS)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str) -> dict:
    return {"type": [kind, "null"]}


def _obj(props: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": props, "required": required or list(props)}


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


STRINGS = _list({"type": "string"})
REGION = _obj({level: _nullable("string") for level in LEVELS})
REPORT_FIELDS = {
    "report_id": {"type": "string"},
    "title": {"type": "string"},
    "region": _ref("Region"),
    "year": _nullable("integer"),
}
HIT = _obj(
    {
        **REPORT_FIELDS,
        "paragraph_id": {"type": "string"},
        "kind": {"type": "string", "enum": ["text", "heading"]},
        "section": {"type": "string"},
        "section_path": STRINGS,
        "snippet": {"type": "string", "description": "转义后的 HTML，只含 <mark> 标签"},
        "exact": {"type": "boolean"},
        "url": {"type": "string"},
    },
    [*REPORT_FIELDS, "paragraph_id", "section", "section_path", "snippet", "exact", "url"],
)
REPORT_HIT = _obj(
    {
        **REPORT_FIELDS,
        "matches": {"type": "integer", "minimum": 1},
        "exact": {"type": "boolean"},
        "paragraphs": _list(_ref("Hit")),
    }
)
FACET_VALUE = _obj(
    {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
        "selected": {"type": "boolean"},
        "children": _list(_ref("FacetValue")),
    },
    ["value", "label", "count", "selected"],
)
SEARCH_RESULT = _obj(
    {
        "total": {"type": "integer", "minimum": 0},
        "reports": {"type": "integer", "minimum": 0},
        "query_terms": _list(
            _obj(
                {
                    "text": {"type": "string"},
                    "exact": {"type": "boolean"},
                    "words": STRINGS,
                    "excluded": {"type": "boolean"},
                }
            )
        ),
        "filters": _obj(
            {
                "region": STRINGS,
                "year": _list({"type": "integer"}),
                "section": STRINGS,
                "not_region": STRINGS,
                "not_year": _list({"type": "integer"}),
                "not_section": STRINGS,
            },
            ["region", "year", "section"],
        ),  # fmt: skip
        "understood": _list(
            _obj(
                {
                    "text": {"type": "string"},
                    "kind": {"type": "string"},
                    "label": {"type": "string"},
                }
            )  # fmt: skip
        ),
        "ambiguous": _list(
            _obj({"text": {"type": "string"}, "kind": {"type": "string"}, "choices": STRINGS})
        ),
        "browsing": {"type": "boolean", "description": "没有检索词：按筛选条件浏览，按原文顺序"},
        "scope": {"type": "string", "enum": ["paragraph", "sentence", "heading"]},
        "suggestions": _list(
            _obj(
                {
                    "q": {"type": "string", "description": "可直接检索的完整检索式"},
                    "total": {"type": "integer", "minimum": 1},
                },
                ["q", "total"],
            )  # fmt: skip
        ),
        "related": _list(
            _obj(
                {
                    "word": {"type": "string", "description": "与检索词常在同一段出现的词"},
                    "total": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "全部结果（同样的筛选条件）中同时含有这个词的段数",
                    },
                    "q": {
                        "type": "string",
                        "description": "检索式与这个词同时检索（结果数即 total）",
                    },
                },
            )
        ),
        "view": {"type": "string", "enum": ["paragraphs", "reports"]},
        "sort": {"type": "string", "enum": ["relevance", "year", "region"]},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 0},
        "messages": STRINGS,
        "truncated": {"type": "boolean", "description": "all=1 的结果超过导出上限而被截断"},
        "generation": {"type": "string", "description": "回答这次请求的索引版本"},
        "hits": _list({"oneOf": [_ref("Hit"), _ref("ReportHit")]}),
        "facets": _obj({name: _list(_ref("FacetValue")) for name in ("region", "year", "section")}),
    }
)
PARAGRAPH = _obj(
    {
        "id": {"type": "string"},
        "kind": {"type": "string", "enum": ["text", "heading"]},
        "section": {"type": "string"},
        "section_path": STRINGS,
        "text": {"type": "string"},
    },
    ["id", "section", "section_path", "text"],
)
REPORT = {
    "type": "object",
    "properties": {
        "report_id": {"type": "string"},
        "title": _nullable("string"),
        "issuer": _nullable("string"),
        "issuers": STRINGS,
        "region": _ref("Region"),
        "year": _nullable("integer"),
        "issued": _nullable("string"),
        "doc_number": _nullable("string"),
        "level": _nullable("string"),
        "warnings": STRINGS,
        "low_confidence": STRINGS,
        "corrected": STRINGS,
        "paragraphs": _list(_ref("Paragraph")),
    },
    "required": ["report_id", "title", "region", "year", "paragraphs"],
}
COMPARISON = _obj(
    {
        "total": {"type": "integer", "minimum": 0},
        "reports": {"type": "integer", "minimum": 0},
        "messages": STRINGS,
        "rows": _list(_obj({**REPORT_FIELDS, "count": {"type": "integer", "minimum": 0}})),
    }
)
FIGURE = _obj(
    {
        "report_id": {"type": "string"},
        "paragraph_id": {"type": "string"},
        "region": _ref("Region"),
        "year": _nullable("integer"),
        "value": {
            "type": ["number", "null"],
            "description": "句中为该词给出的数值；null：句中没有属于该词本身的数字（或为合并计数）",
        },
        "unit": {
            "type": "string",
            "description": "单位，如 名、人、件、次、场、%、万元；无数值时为空",
        },
        "approx": {"type": "boolean", "description": "约数：余、多、约、近、左右"},
        "bound": {
            "type": ["string", "null"],
            "enum": ["at_least", "at_most", None],
            "description": "界限：at_least（不少于、以上、达到）或 at_most（不超过、以下）",
        },
        "kind": {
            "type": "string",
            "enum": ["achieved", "planned", "problem", "other"],
            "description": "按段落所在部分：成效（主要举措和成效、第一责任人职责、前言）、计划（下一年度工作安排）、不足、其他",
        },
        "combined": {
            "type": "boolean",
            "description": "数字由多个名目共用（如「法律联络员、法律明白人、人民调解员46名」），不是该词自己的数字",
        },
        "sentence": {"type": "string", "description": "数字所在的原句"},
        "url": {"type": "string"},
    }
)
FIGURES = _obj(
    {
        "term": {"type": "string", "description": "检索式，或标准指标的名称"},
        "indicator": _nullable("string"),
        "kind": {"type": "string", "enum": ["achieved", "planned", "problem", "other", "all"]},
        "messages": STRINGS,
        "generation": {"type": "string"},
        "figures": _list(_ref("Figure")),
    }
)
ERROR = _obj({"error": {"type": "string"}, "status": {"type": "integer"}})


def _param(name: str, description: str, schema: dict, many: bool = False) -> dict:
    param = {"name": name, "in": "query", "required": False, "description": description}
    if many:
        param |= {"schema": _list(schema), "style": "form", "explode": True}
    else:
        param["schema"] = schema
    return param


# Every facet's parameter, as the facet describes it. The server accepts up to LIST_LIMIT values
# per filter; the description promises fewer, so that every request it calls valid fits the
# request line limit (8190 bytes, portal/gunicorn_conf.py).
FILTERS = [
    _param("q", "检索式（见 /help；只用前 256 个字）", {"type": "string", "maxLength": 256}),
    *(_param(f.name, f.description, f.schema(), True) for f in FACETS),
]
for facet, param in zip(FACETS, FILTERS[1:], strict=True):
    param["schema"] |= {"maxItems": facet.max_values}
assert LIST_LIMIT >= 10
EXCLUSIONS = [
    {**param, "name": f"not_{param['name']}", "description": "排除：" + param["description"]}
    for param in FILTERS[1:]
]
FILTERS += EXCLUSIONS


def _answers(ok: str, description: str, extra: tuple[int, ...] = ()) -> dict:
    answers = {
        "200": {"description": description, "content": {"application/json": {"schema": _ref(ok)}}},
        "400": _error("参数无法识别（消息说明哪个参数、为什么）"),
        "503": _error("索引尚未建立、已损坏，或请求超出时间限制"),
        "414": {
            "description": "网址超过 8190 字节（服务器在应用之前拒绝）",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
    }
    for status in extra:
        answers[str(status)] = _error("没有这份报告")
    return answers


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


SCOPE = _param(
    "scope",
    "检索词须出现在哪里：paragraph（同段，默认）、sentence（同句）或 heading（仅标题）；也可写中文名",
    {"type": "string", "enum": list(SCOPE_NAMES)},
)


def spec() -> dict:
    """The whole description; `servers` is relative, so it holds wherever the site is served."""
    search_params = [
        *FILTERS,
        _param(
            "view",
            "paragraphs（按段落）或 reports（按报告）",
            {"type": "string", "enum": ["paragraphs", "reports"]},
        ),
        _param(
            "sort",
            "relevance、year 或 region",
            {"type": "string", "enum": ["relevance", "year", "region"]},
        ),
        SCOPE,
        _param("page", "页码，1 到 100000", {"type": "string", "pattern": "^0*[1-9][0-9]{0,4}$"}),
        _param("all", "1 或 true：一次给出全部结果（有导出上限）", {"type": "string"}),
        _param(
            "related",
            f"1 或 true：同时给出相关词（related），据最相关的 {SAMPLE} 段选出；同句范围不给出",
            {"type": "string"},
        ),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "法治报告检索 API",
            "version": "1",
            "description": "检索各地法治政府建设年度报告。所有回答都来自同一个索引版本。",
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "检索段落或报告",
                    "operationId": "search",
                    "parameters": search_params,
                    "responses": _answers("SearchResult", "检索结果"),
                }
            },
            "/api/reports/{report_id}": {
                "get": {
                    "summary": "一份报告的解析结果与全部段落",
                    "operationId": "report",
                    "parameters": [
                        {
                            "name": "report_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }  # fmt: skip
                    ],
                    "responses": _answers("Report", "报告", (404,)),
                }
            },
            "/api/compare": {
                "get": {
                    "summary": "每份报告中命中检索式的段落数",
                    "operationId": "compare",
                    "parameters": [*FILTERS, SCOPE],
                    "responses": _answers("Comparison", "对比结果"),
                }
            },
            "/api/figures": {
                "get": {
                    "summary": "报告为检索词（或一项标准指标）给出的数字，逐句抽取",
                    "operationId": "figures",
                    "parameters": [
                        *FILTERS,
                        SCOPE,
                        _param(
                            "indicator",
                            "标准指标（给出时按指标取数；q 若有检索词则只取含检索词的段落）",
                            {"type": "string", "enum": [i.name for i in INDICATORS]},
                        ),
                        _param(
                            "kind",
                            "数字类型：achieved（成效，默认）、planned（计划）、problem（不足）、other、all；也可写中文",
                            {"type": "string", "enum": list(KIND_NAMES)},
                        ),
                    ],
                    "responses": _answers("Figures", "数字"),
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "本说明",
                    "operationId": "openapi",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3 说明",
                            "content": {"application/json": {}},
                        }
                    },  # fmt: skip
                }
            },
        },
        "components": {
            "schemas": {
                "Region": REGION,
                "Hit": HIT,
                "ReportHit": REPORT_HIT,
                "FacetValue": FACET_VALUE,
                "SearchResult": SEARCH_RESULT,
                "Paragraph": PARAGRAPH,
                "Report": REPORT,
                "Comparison": COMPARISON,
                "Figure": FIGURE,
                "Figures": FIGURES,
                "Error": ERROR,
            }
        },
    }
