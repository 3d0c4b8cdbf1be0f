"""Any Unicode in any URL parameter of any route answers 200, 302 or 400, never a 500.

Report ids in paths may also be unknown (404). `page=²` is the kind of value this catches:
`str.isdigit()` accepts it and `int()` does not.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROUTES = ["/", "/search", "/search.csv", "/reports", "/reports/cq-dazu-wangu-2023", "/compare",
          "/compare.csv", "/help", "/api/search", "/api/compare", "/api/reports/cq-dazu-wangu-2023",
          "/opensearch.xml", "/api/openapi.json", "/reports/cq-dazu-wangu-2023/source",
          "/figures", "/figures.csv", "/api/figures"]  # fmt: skip
PARAMS = ["q", "region", "year", "section", "view", "sort", "page", "all", "kind", "indicator",
          "x"]  # fmt: skip
TRICKY = ["²", "١٢", "２０２３", "2023-²", "0", "-1", "1e3", "99999999999", "\x00", "\ud7ff", "𠀀",
          "法治", "重庆市/大足区", "不足", "reports", "planned", "法律明白人", " ", "\u3000", "%", "&", "年份:²"]  # fmt: skip
values = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
queries = st.lists(st.tuples(st.sampled_from(PARAMS), values), max_size=6)
OK = {200, 302, 400}


def status(client, url: str) -> int:
    response = client.get(url)
    response.get_data()  # a streamed CSV is read to its end, as a browser would
    response.close()
    return response.status_code


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(route=st.sampled_from(ROUTES), pairs=queries)
def test_any_parameter_value_answers_200_or_400(client, route, pairs):
    code = status(client, f"{route}?{urlencode(pairs)}")
    assert code in OK, (route, pairs, code)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    report_id=st.text(min_size=1, max_size=20),
    prefix=st.sampled_from(["/reports/", "/api/reports/"]),
)
def test_any_report_id_answers_200_or_404(client, report_id, prefix):
    code = status(client, prefix + quote(report_id, safe=""))
    assert code in {200, 404, 308}, (report_id, code)


@pytest.mark.parametrize("route", ROUTES)
def test_each_tricky_value_in_each_parameter(client, route):
    for name in PARAMS:
        for value in TRICKY:
            code = status(client, f"{route}?{urlencode([(name, value)])}")
            assert code in OK, (route, name, value, code)
