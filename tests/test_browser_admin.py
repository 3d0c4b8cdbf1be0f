"""The curator's journey in the real browser (Debian's chromium via Playwright, the production
server): log in, upload a .docx and a .pdf made from two corpus reports (left out of this site's
corpus copy), correct a field, confirm, find the report through search, edit it, delete it, log
out. Every admin page is also checked by axe (serious and critical violations fail), and the
browser must report no CSP violation and no console error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import test_accessibility as _a11y
from tests import test_browser as _browser_tests
from tests.adminsite import (
    PASSWORD,
    docx_bytes,
    indexed_sources,
    make_site,
    pdf_bytes,
    report_files,
    text_of,
)
from tests.prodserver import Server

browser, shots, Watch = _browser_tests.browser, _browser_tests.shots, _browser_tests.Watch
axe_source = _a11y.axe_source
WANGU, GUANGYANG = "cq-dazu-wangu-2023.txt", "cq-nanan-guangyang-2023.txt"
DOCX = "cq-dazu-wangu-2023.docx"  # the names the site gives them, from their metadata
PDF = "cq-nanan-guangyang-2023.pdf"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("admin-browser")
    places = make_site(tmp, leave_out=(WANGU, GUANGYANG))
    env = {"FAZHI_CORPUS": str(places["corpus"]), "FAZHI_ADMIN_DIR": str(places["admin"])}
    with Server(places["index"], tmp / "gunicorn.log", **env) as running:
        yield running.base, places


@pytest.fixture
def page(browser, site):
    base, _ = site
    watch = Watch()
    # axe is injected into the pages, which their CSP (script-src 'self') would refuse
    context = browser.new_context(base_url=base, bypass_csp=True)
    context.set_default_timeout(_browser_tests.TIMEOUT_MS)
    tab = context.new_page()
    watch.attach(tab)
    tab.watch = watch
    yield tab
    context.close()
    assert not watch.csp(), "CSP violations:\n" + "\n".join(watch.csp())
    assert not watch.errors, "browser console errors:\n" + "\n".join(watch.errors)
    assert not watch.dialogs, f"dialogs opened: {watch.dialogs}"


def checked(page, axe_source: Path, shots: Path, name: str) -> None:
    """A screenshot, and no serious axe violation on the page as it is now."""
    page.screenshot(path=str(shots / f"admin-{name}.png"), full_page=True)
    serious = _a11y._serious(_a11y._axe(page, axe_source))
    assert not serious, _a11y._describe(name, serious)


def test_curator_journey(page, site, axe_source, shots):
    _, places = site
    page.goto("/admin/")
    assert "/admin/login" in page.url
    checked(page, axe_source, shots, "login")
    page.get_by_label("管理员名称").fill("wang")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("管理员名称或密码不对").is_visible()
    errors = page.watch.errors  # the console's note on the 401 itself is expected here
    errors[:] = [e for e in errors if "401" not in e]
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="报告管理").wait_for()
    checked(page, axe_source, shots, "home")

    # one upload, two files: the .docx of 万古镇's report, the .pdf of 广阳镇's
    page.set_input_files("input[type=file]", files=[
        {"name": "万古镇报告.docx", "mimeType": "application/octet-stream",
         "buffer": docx_bytes(text_of(WANGU).splitlines())},
        {"name": "广阳镇.pdf", "mimeType": "application/pdf",
         "buffer": pdf_bytes(text_of(GUANGYANG).splitlines())},
    ])  # fmt: skip
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_role("heading", name="上传结果").wait_for()
    checked(page, axe_source, shots, "uploaded")
    assert report_files(places["corpus"]).isdisjoint({DOCX, PDF})  # nothing written before confirm

    # the .docx: preview, correct the document number, confirm
    page.get_by_role("link", name="万古镇报告.docx").click()
    page.get_by_role("heading", name="解析结果").wait_for()
    assert page.locator(".outline li").count() > 3
    assert page.get_by_label("所属区县（或地市、省）").input_value() == "重庆市 › 大足区"
    checked(page, axe_source, shots, "preview-docx")
    page.get_by_label("所属区县（或地市、省）").fill("")
    page.get_by_label("所属区县（或地市、省）").press_sequentially(
        "大足"
    )  # admin.js asks for suggestions
    page.wait_for_function("document.querySelectorAll('#region-choices option').length > 0")
    assert "重庆市 › 大足区" in page.eval_on_selector_all(
        "#region-choices option", "os => os.map(o => o.value)"
    )
    page.get_by_label("所属区县（或地市、省）").fill("重庆市 › 大足区")
    page.get_by_label("文号").fill("万古委文〔2024〕9号")
    page.get_by_role("button", name="确认收录").click()
    page.get_by_role("heading", name="完成").wait_for()
    checked(page, axe_source, shots, "done")
    assert DOCX in report_files(places["corpus"])
    page.locator("#find-report").click()
    page.wait_for_url(re.compile(r"/search\?"))
    page.locator("a[href^='/reports/cq-dazu-wangu-2023']").first.click()
    page.wait_for_url(re.compile(r"/reports/cq-dazu-wangu-2023"))
    assert "万古委文〔2024〕9号" in page.content()

    # the .pdf, from the admin home's list of waiting uploads, confirmed as it was read
    page.goto("/admin/")
    page.get_by_role("link", name="广阳镇.pdf").click()
    page.get_by_role("heading", name="解析结果").wait_for()
    page.get_by_role("button", name="确认收录").click()
    page.get_by_role("heading", name="完成").wait_for()
    page.locator("#new-report").click()
    page.wait_for_url(re.compile(r"/reports/cq-nanan-guangyang-2023"))
    page.goto("/search?q=%E5%B9%BF%E9%98%B3%E9%95%87")  # 广阳镇
    assert page.locator("a[href^='/reports/cq-nanan-guangyang-2023']").count() > 0

    # edit the .docx's report: a new document number
    page.goto("/admin/reports")
    checked(page, axe_source, shots, "manage")
    row = page.locator("tr", has_text=DOCX)
    row.get_by_role("link", name="修改").click()
    page.get_by_role("heading", name=re.compile("修改元数据")).wait_for()
    checked(page, axe_source, shots, "edit")
    page.get_by_label("文号").fill("万古委文〔2024〕10号")
    page.get_by_role("button", name="保存更正").click()
    page.get_by_text("更正已保存并重新编入索引").wait_for()
    page.goto("/reports/cq-dazu-wangu-2023")
    assert "万古委文〔2024〕10号" in page.content()

    # delete it, after the confirmation page
    page.goto("/admin/reports")
    page.locator("tr", has_text=DOCX).get_by_role("link", name="删除").click()
    checked(page, axe_source, shots, "delete")
    page.get_by_role("button", name="确认删除").click()
    page.get_by_text(f"已删除 {DOCX}").wait_for()
    assert DOCX not in report_files(places["corpus"])
    assert page.goto("/reports/cq-dazu-wangu-2023").status == 404
    errors[:] = [e for e in errors if "404" not in e]  # that 404 was the point
    assert set(indexed_sources(places["index"])) == report_files(places["corpus"])

    # the audit log on the admin page, then log out: the session is over
    page.goto("/admin/")
    audit = page.locator("table.audit").inner_text()
    for action in ("收录", "修改元数据", "删除"):
        assert action in audit
    page.get_by_role("button", name=re.compile("退出")).click()
    page.get_by_text("已退出登录").wait_for()
    page.goto("/admin/reports")
    assert "/admin/login" in page.url
