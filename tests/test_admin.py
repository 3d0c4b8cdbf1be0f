"""The curator's admin pages through Flask's test client, over a temporary copy of corpus/ and
its own index: accounts, sessions, the whole upload → preview → confirm → edit → delete flow,
and every bad input of the issue (a Chinese message, nothing written, nothing disturbed)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tomllib
import zipfile

import pytest

from tests.adminsite import (
    PASSWORD,
    app_config,
    corpus_state,
    docx_bytes,
    generation,
    indexed_sources,
    login,
    make_site,
    pdf_bytes,
    pdf_without_text,
    report_files,
    rezipped,
    text_of,
    token,
)
from tests.conftest import ROOT

WANGU = "cq-dazu-wangu-2023.txt"
NEW_TOWN = "宝顶镇"


def new_report_text() -> str:
    """A report no corpus file has: 万古镇's, moved to 宝顶镇 and 2024 (hand-made, not parsed)."""
    return text_of(WANGU).replace("万古", "宝顶").replace("2023", "2024")


@pytest.fixture
def site(tmp_path):
    from app import create_app

    places = make_site(tmp_path)
    app = create_app(app_config(places, UPLOAD_MB=1))
    return app, places


@pytest.fixture
def client(site):
    app, _ = site
    client = app.test_client()
    assert login(client).status_code == 302
    return client


def upload(client, files: list[tuple[bytes, str]], csrf: str | None = "page"):
    data = {"files": [(io.BytesIO(body), name) for body, name in files]}
    if csrf == "page":
        csrf = token(client.get("/admin/").text)
    if csrf is not None:
        data["csrf_token"] = csrf
    return client.post("/admin/upload", data=data, content_type="multipart/form-data")


def metadata(page_html: str, **values) -> dict:
    form = {"csrf_token": token(page_html), "title": "", "region": "", "town": "", "year": "",
            "issued": "", "doc_number": ""}  # fmt: skip
    form.update(values)
    return form


# ------------------------------------------------------------------------------------ accounts


def test_add_user_reads_the_password_from_a_pipe_and_stores_only_an_argon2_hash(tmp_path):
    env = {**os.environ, "FAZHI_ADMIN_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "portal", "admin", "add-user", "li"], input="pass-word-9\n",
                         cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    stored = (tmp_path / "users.json").read_text()
    assert "pass-word-9" not in stored
    assert json.loads(stored)["li"]["hash"].startswith("$argon2id$")
    assert oct((tmp_path / "users.json").stat().st_mode & 0o777) == "0o600"
    short = subprocess.run([sys.executable, "-m", "portal", "admin", "add-user", "zhao"], input="short\n",
                           cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert short.returncode == 1 and "密码至少" in short.stderr
    again = subprocess.run([sys.executable, "-m", "portal", "admin", "add-user", "li"], input="pass-word-9\n",
                           cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 1 and "已存在" in again.stderr


def test_the_user_store_is_not_in_tracked_files():
    tracked = subprocess.run(["git", "ls-files", "var"], cwd=ROOT, capture_output=True, text=True)
    assert tracked.stdout == ""
    assert "/var/" in (ROOT / ".gitignore").read_text().splitlines()


# ------------------------------------------------------------------------------------ sessions


ROUTES = [("get", "/admin/"), ("get", "/admin/reports"), ("post", "/admin/upload"),
          ("get", "/admin/uploads/0123456789abcdef01234567"), ("get", "/admin/edit?source=" + WANGU),
          ("post", "/admin/delete"), ("get", "/admin/rebuild"), ("post", "/admin/rebuild"),
          ("get", "/admin/regions.json?q=大足")]  # fmt: skip


@pytest.mark.parametrize("method,path", ROUTES)
def test_every_admin_route_needs_a_session(site, method, path):
    app, places = site
    before = corpus_state(places["corpus"])
    response = getattr(app.test_client(), method)(path, data={"source": WANGU})
    assert response.status_code in (302, 400)  # to the login page, or refused for its token
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/admin/login")
    assert corpus_state(places["corpus"]) == before


def test_login_failure_is_401_in_chinese_and_logs_nobody_in(site):
    app, _ = site
    client = app.test_client()
    response = login(client, password="wrong-password")
    assert response.status_code == 401 and "管理员名称或密码不对" in response.text
    assert client.get("/admin/").status_code == 302
    assert login(client, name="nobody").status_code == 401


def test_failed_logins_are_slowed(tmp_path):
    from app import create_app

    places = make_site(tmp_path)
    client = create_app(app_config(places, LOGIN_LIMIT="3 per minute")).test_client()
    assert [login(client, password="wrong-pass").status_code for _ in range(3)] == [401] * 3
    blocked = login(client)  # even the right password waits now
    assert blocked.status_code == 429 and "登录失败次数过多" in blocked.text


def test_after_login_only_an_admin_path_is_followed(site):
    app, _ = site
    for target, landing in (("/admin/reports", "/admin/reports"), ("https://evil.example/admin", "/admin/"),
                            ("//evil.example/admin", "/admin/"), ("/search?q=x", "/admin/")):  # fmt: skip
        client = app.test_client()
        page = client.get("/admin/login", query_string={"next": target})
        response = client.post("/admin/login", data={"csrf_token": token(page.text), "name": "wang",
                                                     "password": PASSWORD, "next": target})  # fmt: skip
        assert response.headers["Location"] == landing


def test_session_cookie_is_httponly_lax_and_secure_when_configured(tmp_path):
    from app import create_app

    places = make_site(tmp_path)
    for secure in (False, True):
        client = create_app(app_config(places, SESSION_COOKIE_SECURE=secure)).test_client()
        cookie = login(client).headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


def test_logout_ends_the_session(client):
    page = client.get("/admin/")
    assert client.post("/admin/logout", data={"csrf_token": token(page.text)}).status_code == 302
    assert client.get("/admin/").headers["Location"].startswith("/admin/login")


def test_a_removed_users_session_stops_at_the_next_request(site, client):
    _, places = site
    assert client.get("/admin/").status_code == 200
    env = {**os.environ, "FAZHI_ADMIN_DIR": str(places["admin"])}
    subprocess.run([sys.executable, "-m", "portal", "admin", "remove-user", "wang"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    assert client.get("/admin/").headers["Location"].startswith("/admin/login")


def test_a_new_password_ends_older_sessions(site, client):
    _, places = site
    env = {**os.environ, "FAZHI_ADMIN_DIR": str(places["admin"])}
    subprocess.run([sys.executable, "-m", "portal", "admin", "set-password", "wang"], input="another-pass-2\n",
                   cwd=ROOT, env=env, check=True, capture_output=True, text=True)  # fmt: skip
    assert client.get("/admin/").status_code == 302
    assert login(client, password=PASSWORD).status_code == 401
    assert login(client, password="another-pass-2").status_code == 302


def test_forms_without_or_with_a_stale_csrf_token_change_nothing(site, client):
    _, places = site
    before = corpus_state(places["corpus"])
    missing = upload(client, [(new_report_text().encode(), "a.txt")], csrf=None)
    assert missing.status_code == 400 and "安全令牌" in missing.text
    stale = token(client.get("/admin/").text)
    client.post("/admin/logout", data={"csrf_token": stale})
    login(client)
    again = upload(client, [(new_report_text().encode(), "a.txt")], csrf=stale)
    assert again.status_code == 400 and "安全令牌" in again.text
    assert corpus_state(places["corpus"]) == before
    assert (
        not list((places["admin"] / "uploads").glob("*"))
        if (places["admin"] / "uploads").exists()
        else True
    )


# ------------------------------------------------------------------------------- the whole flow


def test_upload_preview_confirm_edit_delete(site, client):
    app, places = site
    start = generation(places["index"])
    response = upload(client, [(new_report_text().encode("gb18030"), "宝顶镇2024年报告.txt")])
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200
    for shown in ("宝顶镇", "重庆市 › 大足区", "提纲", "开头几段", "确认收录"):
        assert shown in preview.text
    assert report_files(places["corpus"]) == report_files(ROOT / "corpus")  # nothing written yet

    title = "中共重庆市大足区宝顶镇委 重庆市大足区宝顶镇人民政府\n关于2024年法治政府建设情况的报告（更正）"
    done = client.post(response.headers["Location"], data=metadata(
        preview.text, title=title, region="重庆市 › 大足区", town=NEW_TOWN, year="2024",
        issued="2025-01-10", doc_number="宝顶委文〔2025〕2号"))  # fmt: skip
    assert done.status_code == 200 and "已收录并编入索引" in done.text
    name = "cq-dazu-baoding-2024.txt"  # the corpus's scheme, never the upload's own name
    assert name in report_files(places["corpus"])
    assert (places["corpus"] / name).read_bytes() == new_report_text().encode("gb18030")
    side = tomllib.loads((places["corpus"] / "cq-dazu-baoding-2024.meta.toml").read_text())
    assert side["title"] == title and side["issued"] == "2025-01-10"
    assert generation(places["index"]) != start
    assert indexed_sources(places["index"])[name] == "report"

    # every answer of the site now includes it: the report, the API, a search
    assert "/reports/cq-dazu-baoding-2024" in done.text
    api = client.get("/api/reports/cq-dazu-baoding-2024").get_json()
    assert api["title"] == title and api["doc_number"] == "宝顶委文〔2025〕2号"
    found = client.get("/api/search", query_string={"q": "宝顶镇"}).get_json()
    assert "cq-dazu-baoding-2024" in {h["report_id"] for h in found["hits"]}
    search_link = [line for line in done.text.splitlines() if 'id="find-report"' in line][0]
    link = search_link.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert "cq-dazu-baoding-2024" in client.get(link).text

    # edit: the sidecar gets the new number, the index follows
    edit_page = client.get("/admin/edit", query_string={"source": name})
    assert edit_page.status_code == 200 and "宝顶委文〔2025〕2号" in edit_page.text
    edited = client.post("/admin/edit", data=metadata(
        edit_page.text, source=name, title=title, region="重庆市 › 大足区", town=NEW_TOWN,
        year="2024", issued="2025-01-10", doc_number="宝顶委文〔2025〕3号"))  # fmt: skip
    assert edited.status_code == 200 and "更正已保存" in edited.text
    side = tomllib.loads((places["corpus"] / "cq-dazu-baoding-2024.meta.toml").read_text())
    assert side["doc_number"] == "宝顶委文〔2025〕3号" and side["title"] == title
    assert (
        client.get("/api/reports/cq-dazu-baoding-2024").get_json()["doc_number"]
        == "宝顶委文〔2025〕3号"
    )

    # delete: after the confirmation page, file, sidecar and index entries go
    confirm = client.get("/admin/delete", query_string={"source": name})
    assert confirm.status_code == 200 and "确认删除" in confirm.text
    assert name in report_files(places["corpus"])
    gone = client.post("/admin/delete", data={"csrf_token": token(confirm.text), "source": name})
    assert gone.status_code == 200 and "已删除" in gone.text
    assert not (places["corpus"] / name).exists()
    assert not (places["corpus"] / "cq-dazu-baoding-2024.meta.toml").exists()
    assert name not in indexed_sources(places["index"])
    assert client.get("/api/reports/cq-dazu-baoding-2024").status_code == 404

    # the audit log: who, what, before and after, shown on the admin page
    lines = [
        json.loads(line) for line in (places["admin"] / "audit.jsonl").read_text().splitlines()
    ]
    changes = [
        (e["user"], e["action"], e["what"])
        for e in lines
        if e["action"] in ("add", "edit", "delete")
    ]
    assert changes == [("wang", "add", name), ("wang", "edit", name), ("wang", "delete", name)]
    edit_entry = next(e for e in lines if e["action"] == "edit")
    assert edit_entry["before"]["doc_number"] == "宝顶委文〔2025〕2号"
    assert edit_entry["after"]["doc_number"] == "宝顶委文〔2025〕3号"
    home = client.get("/admin/").text
    assert "修改元数据" in home and "删除" in home and name in home


def test_preview_flags_uncertain_fields(client):
    text = new_report_text()
    title_end = text.index("情况的报告") + len("情况的报告")
    untitled = (
        text[:title_end].replace("2024年", "") + text[title_end:]
    )  # the year only in the body
    response = upload(client, [(untitled.encode(), "x.txt")])
    preview = client.get(response.headers["Location"]).text
    year_row = preview.split("<dt>年度")[0].rsplit("<div", 1)[1]
    assert 'class="uncertain"' in year_row and "待核实" in preview


def test_several_files_at_once_each_get_their_answer(client, site):
    _, places = site
    response = upload(client, [(new_report_text().encode(), "one.txt"), (b"", "empty.txt"),
                               (text_of(WANGU).encode(), "copy.txt")])  # fmt: skip
    assert response.status_code == 200
    assert (
        "one.txt" in response.text
        and "文件为空" in response.text
        and "与已收录的报告相同" in response.text
    )


def test_region_suggestions(client):
    assert "重庆市 › 大足区" in client.get("/admin/regions.json?q=大足").get_json()
    assert client.get("/admin/regions.json?q=").get_json() == []


def test_a_vague_or_unknown_region_is_asked_again(client, site):
    _, places = site
    response = upload(client, [(new_report_text().encode(), "x.txt")])
    page = client.get(response.headers["Location"]).text
    before = corpus_state(places["corpus"])
    vague = client.post(
        response.headers["Location"],
        data=metadata(page, title="标题", region="鼓楼区", year="2024"),
    )
    assert vague.status_code == 400 and "江苏省 › 南京市 › 鼓楼区" in vague.text
    unknown = client.post(
        response.headers["Location"],
        data=metadata(page, title="标题", region="不存在区", year="2024"),
    )
    assert unknown.status_code == 400 and "行政区划表中没有" in unknown.text
    bad = client.post(response.headers["Location"], data=metadata(
        page, title="标题", region="大足区", town="宝顶", year="1800", issued="2024-13-40"))  # fmt: skip
    assert bad.status_code == 400
    for message in ("乡镇名称应以", "年度应在", "成文日期应写成"):
        assert message in bad.text
    assert corpus_state(places["corpus"]) == before


# ---------------------------------------------------------------------------------- bad inputs


def zip_bomb() -> bytes:
    base = docx_bytes(text_of(WANGU).replace("万古", "宝顶").splitlines())
    with zipfile.ZipFile(io.BytesIO(base)) as package:
        document = package.read("word/document.xml")
    padded = document.replace(b"<w:body>", b"<w:body>" + b" " * (8 << 20), 1)
    return rezipped(base, {"word/document.xml": padded})


def xml_bomb() -> bytes:
    base = docx_bytes(text_of(WANGU).replace("万古", "宝顶").splitlines())
    laughs = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    ]
    head = '<?xml version="1.0"?>\n<!DOCTYPE w:document [' + "".join(laughs) + "]>"
    with zipfile.ZipFile(io.BytesIO(base)) as package:
        document = package.read("word/document.xml").decode()
    body = document.split("?>", 1)[1].replace("<w:t>", "<w:t>&lol9;", 1)
    return rezipped(base, {"word/document.xml": (head + body).encode()})


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def bad_inputs() -> list[tuple[str, bytes, str, str]]:
    """(case, file bytes, file name, what the message must say)."""
    report = new_report_text()
    return [
        ("wrong type", b"\xd0\xcf\x11\xe0" + b"\x00" * 500, "report.doc", "不支持的文件类型 .doc"),
        ("image named .pdf", PNG, "report.pdf", "内容是 image/png"),
        ("pdf named .txt", pdf_bytes(report.splitlines()), "report.txt", "内容是 application/pdf"),
        ("docx named .pdf", docx_bytes(report.splitlines()), "report.pdf", "但内容是"),
        ("text named .docx", report.encode(), "report.docx", "内容不是 docx 文件"),
        ("empty", b"", "report.txt", "文件为空"),
        ("blank", b" \n\n  ", "report.txt", "文件为空"),
        ("oversize", (report * ((1 << 20) // len(report.encode()) + 2)).encode(), "report.txt", "文件过大"),
        ("corrupt docx", docx_bytes(report.splitlines())[:3000], "report.docx", "docx 文件已损坏"),
        ("zip bomb", zip_bomb(), "report.docx", "压缩炸弹"),
        ("xml bomb", xml_bomb(), "report.docx", "XML 炸弹"),
        ("pdf without text", pdf_without_text(), "scan.pdf", "PDF 没有文字层"),
        ("not a report", "今天天气很好，我们去公园散步。\n公园里有很多花。\n".encode() * 20, "diary.txt",
         "内容不像法治政府建设情况报告"),
        ("identical", text_of(WANGU).encode(), "copy.txt", "与已收录的报告相同：中共重庆市大足区万古镇委"),
        ("identical as docx", docx_bytes(text_of(WANGU).splitlines()), "copy.docx", f"（{WANGU}）"),
        ("path in name", report.encode(), "../../etc/report.txt", "文件名含有路径"),
        ("windows path", report.encode(), "C:\\报告\\report.txt", "文件名含有路径"),
        ("control character", report.encode(), "rep\x07ort.txt", "控制字符"),
        ("bidi override", report.encode(), "report\u202etxt.exe.txt", "控制字符"),
    ]  # fmt: skip


@pytest.mark.parametrize("case,body,name,message", bad_inputs(), ids=[c[0] for c in bad_inputs()])
def test_bad_input_gets_a_chinese_message_and_nothing_is_written(
    site, client, case, body, name, message
):
    _, places = site
    before, start = corpus_state(places["corpus"]), generation(places["index"])
    response = upload(client, [(body, name)])
    assert response.status_code == 400, case
    assert message in response.text, response.text
    assert "没有写入任何内容" in response.text
    assert corpus_state(places["corpus"]) == before
    assert generation(places["index"]) == start
    staged = places["admin"] / "uploads"
    assert not staged.exists() or list(staged.iterdir()) == []


def test_an_oversize_request_is_refused_in_chinese(tmp_path):
    from app import create_app

    places = make_site(tmp_path)
    client = create_app(app_config(places, UPLOAD_MB=0.01)).test_client()
    login(client)
    response = upload(
        client, [(b"x" * 2_500_000, "big.txt")]
    )  # beyond 10 files of 0.01 MB and the form
    assert response.status_code == 413 and "请求内容过大" in response.text


def test_same_region_and_year_shows_both_and_offers_to_replace(site, client):
    _, places = site
    # 万古镇's report again, its body changed: same region and year, another body
    text = text_of(WANGU).replace("。", "，设立枫林调解室。", 1)
    response = upload(client, [(text.encode(), "wangu-new.txt")])
    location = response.headers["Location"]
    page = client.get(location).text
    assert "同一地区、同一年度已有报告" in page and WANGU in page
    before = corpus_state(places["corpus"])
    values = dict(title="中共重庆市大足区万古镇委 重庆市大足区万古镇人民政府 关于2023年法治政府建设情况的报告",
                  region="重庆市 › 大足区", town="万古镇", year="2023", issued="2024-01-10",
                  doc_number="万古委文〔2024〕2号")  # fmt: skip
    asked = client.post(location, data=metadata(page, **values))
    assert asked.status_code == 409 and "请选择替换它或仍作为新报告收录" in asked.text
    assert corpus_state(places["corpus"]) == before
    replaced = client.post(location, data=metadata(page, conflict=f"replace:{WANGU}", **values))
    assert replaced.status_code == 200 and "已收录" in replaced.text
    assert (places["corpus"] / WANGU).read_text(encoding="utf-8") == text
    assert report_files(places["corpus"]) == report_files(ROOT / "corpus")
    hits = client.get("/api/search", query_string={"q": '"枫林调解室"'}).get_json()["hits"]
    assert {h["report_id"] for h in hits} == {"cq-dazu-wangu-2023"}


def test_keeping_both_names_the_second_file_apart(site, client):
    _, places = site
    text = text_of(WANGU).replace("。", "，设立枫林调解室。", 1)
    location = upload(client, [(text.encode(), "wangu-new.txt")]).headers["Location"]
    page = client.get(location).text
    kept = client.post(location, data=metadata(page, conflict="keep", title="另一份", region="大足区",
                                               town="万古镇", year="2023"))  # fmt: skip
    assert kept.status_code == 200
    assert "cq-dazu-wangu-2023-2.txt" in report_files(places["corpus"])
    assert set(indexed_sources(places["index"])) == report_files(places["corpus"])


def test_a_change_killed_before_its_build_is_finished_at_start_up(site):
    """A journal record left by a dead process: the next start rolls it forward and indexes."""
    from app import create_app
    from portal.admin.files import write_temporary

    app, places = site
    target = places["corpus"] / "cq-dazu-baoding-2024.txt"
    tmp = write_temporary(target, new_report_text().encode())
    leftover = write_temporary(places["corpus"] / "half.txt", b"half written")
    journal = places["admin"] / "changes"
    journal.mkdir(parents=True)
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead = gone.pid  # a process that has ended
    (journal / "x.json").write_text(
        json.dumps(
            {"action": "add", "pid": dead, "renames": [[str(tmp), str(target)]], "removes": []}
        )
    )
    assert set(indexed_sources(places["index"])) != report_files(places["corpus"]) | {target.name}
    create_app(app_config(places))
    assert not leftover.exists() and not tmp.exists() and target.exists()
    assert set(indexed_sources(places["index"])) == report_files(places["corpus"])
    assert list(journal.iterdir()) == []


# ------------------------------------------------------------------------------------ the parts


def test_file_names_follow_the_corpus_scheme():
    """The five seeds were named by hand: the metadata gives back the same names."""
    from indexer.model import Region
    from portal.admin.naming import file_name

    seeds = {
        "cq-dazu-tongqiao-2023": (Region("重庆市", "重庆市", "大足区", "通桥街道"), 2023),
        "cq-shapingba-qingmuguan-2022": (Region("重庆市", "重庆市", "沙坪坝区", "青木关镇"), 2022),
        "ha-baofeng-zhaozhuang-2023": (Region("河南省", "平顶山市", "宝丰县", "赵庄镇"), 2023),
    }
    for stem, (region, year) in seeds.items():
        assert file_name(region, year, ".txt", set()) == f"{stem}.txt"
    county = Region("河南省", "平顶山市", "宝丰县", None)
    assert file_name(county, 2024, ".pdf", {"ha-baofeng-2024"}) == "ha-baofeng-2024-2.pdf"
    assert file_name(Region(), None, ".docx", set()) == "report.docx"


def test_sidecar_writer_round_trips_through_tomllib():
    from indexer.sidecar import dump_corrections

    data = {"title": '第一行\n第二行 "引号" \\ 反斜杠\t', "year": 2024, "doc_number": "宝顶委文〔2025〕2号",
            "region": {"province": "重庆市", "city": "重庆市", "county": "大足区", "town": ""}}  # fmt: skip
    assert tomllib.loads(dump_corrections(data, "第一行\n第二行")) == data


def test_the_build_refuses_a_bomb_in_the_corpus_and_indexes_the_rest(tmp_path):
    from indexer.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / WANGU).write_text(text_of(WANGU), encoding="utf-8")
    (corpus / "bomb.docx").write_bytes(xml_bomb())
    (corpus / "zip.docx").write_bytes(zip_bomb())
    summary = build(corpus, tmp_path / "index")
    reasons = dict(summary.failed)
    assert "XML 炸弹" in reasons["bomb.docx"] and "压缩炸弹" in reasons["zip.docx"]
    assert summary.reports == 1


def test_replacing_a_txt_with_a_docx_keeps_the_name_and_the_new_sidecar(site, client):
    _, places = site
    lines = text_of(WANGU).replace("。", "，设立枫林调解室。", 1).splitlines()
    location = upload(client, [(docx_bytes(lines), "wangu.docx")]).headers["Location"]
    page = client.get(location).text
    done = client.post(location, data=metadata(
        page, conflict=f"replace:{WANGU}", title="万古镇2023年法治政府建设情况报告（更正）",
        region="重庆市 › 大足区", town="万古镇", year="2023"))  # fmt: skip
    assert done.status_code == 200, done.text
    files = report_files(places["corpus"])
    assert "cq-dazu-wangu-2023.docx" in files and WANGU not in files
    side = tomllib.loads((places["corpus"] / "cq-dazu-wangu-2023.meta.toml").read_text())
    assert side["title"] == "万古镇2023年法治政府建设情况报告（更正）"
    assert set(indexed_sources(places["index"])) == files
    api = client.get("/api/reports/cq-dazu-wangu-2023").get_json()
    assert api["format"] == "docx" and api["title"] == side["title"]


def as_html(text: str) -> bytes:
    lines = text.strip().splitlines()
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{lines[0]}</title></head>'
            f'<body><div class="nav">首页 | 政务公开</div><div id="zoom">{paragraphs}</div></body></html>').encode()  # fmt: skip


@pytest.mark.parametrize(
    "name,encode",
    [("utf8.txt", lambda t: t.encode("utf-8")), ("bom.txt", lambda t: t.encode("utf-8-sig")),
     ("utf16.txt", lambda t: t.encode("utf-16")), ("gbk.txt", lambda t: t.encode("gb18030")),
     ("page.html", as_html), ("page.htm", as_html)],
)  # fmt: skip
def test_every_readable_format_is_previewed(client, name, encode):
    response = upload(client, [(encode(new_report_text()), name)])
    assert response.status_code == 302, response.text
    preview = client.get(response.headers["Location"]).text
    assert "重庆市 › 大足区 › 宝顶镇" in preview and "2024" in preview


def test_the_manage_list_shows_status_warnings_and_filters(site, client):
    from indexer.build import build

    _, places = site
    corpus = places["corpus"]
    text = new_report_text()
    title_end = text.index("情况的报告") + len("情况的报告")
    (corpus / "no-year.txt").write_text(
        text[:title_end].replace("2024年", "") + text[title_end:], encoding="utf-8"
    )
    (corpus / "diary.txt").write_text("今天天气很好。\n" * 20, encoding="utf-8")
    (corpus / "copy.txt").write_text(text_of(WANGU), encoding="utf-8")
    build(corpus, places["index"])  # from the command line: the admin saw no summary of it
    (corpus / "later.txt").write_text(text.replace("宝顶", "龙水"), encoding="utf-8")
    rows = manage_rows(client)
    assert "已索引" in rows["no-year.txt"] and "根据正文推断为 2024 年" in rows["no-year.txt"]
    assert "索引失败" in rows["diary.txt"] and "内容不像法治政府建设情况报告" in rows["diary.txt"]
    assert "重复未索引" in rows["copy.txt"] and f"正文与 {WANGU} 相同" in rows["copy.txt"]
    assert "待索引" in rows["later.txt"]
    assert set(rows) == report_files(corpus)
    assert set(manage_rows(client, status="duplicate")) == {"copy.txt"}
    assert set(manage_rows(client, q="沙坪坝")) == {"cq-shapingba-qingmuguan-2022.txt"}


def manage_rows(client, **query) -> dict[str, str]:
    """The manage list's rows by their file name (the first cell)."""
    page = client.get("/admin/reports", query_string=query).text
    return {row.split("<td>")[1].split("</td>")[0]: row for row in page.split("<tr>")[2:]}


def test_a_report_read_back_from_its_json_is_the_same(seeds):
    from indexer.model import Report
    from indexer.parse import parse_text

    text = new_report_text()
    title_end = text.index("情况的报告") + len("情况的报告")
    warned = parse_text(text[:title_end].replace("2024年", "") + text[title_end:], "warned")
    assert warned.notes and warned.low_confidence and warned.dropped
    for report in [*seeds.values(), warned]:
        data = json.loads(json.dumps(report.to_json()))
        notes = json.loads(json.dumps(report.notes))
        assert Report.from_json(data, notes) == report


def test_a_fresh_install_gets_its_first_report_through_the_admin(tmp_path):
    """No index yet: the site answers 503, the admin works, and the first confirm builds it."""
    from app import create_app
    from tests.adminsite import add_user

    places = {
        "corpus": tmp_path / "corpus",
        "index": tmp_path / "index",
        "admin": tmp_path / "admin",
    }
    places["corpus"].mkdir()
    add_user(places["admin"], "wang")
    client = create_app(app_config(places)).test_client()
    assert client.get("/").status_code == 503
    login(client)
    assert (
        client.get("/admin/").status_code == 200 and client.get("/admin/reports").status_code == 200
    )
    location = upload(client, [(new_report_text().encode(), "a.txt")]).headers["Location"]
    page = client.get(location).text
    done = client.post(
        location,
        data=metadata(page, title="宝顶镇报告", region="大足区", town=NEW_TOWN, year="2024"),
    )
    assert done.status_code == 200 and "已收录并编入索引" in done.text
    assert client.get("/").status_code == 200
    assert (
        set(indexed_sources(places["index"]))
        == report_files(places["corpus"])
        == {"cq-dazu-baoding-2024.txt"}
    )


def test_an_empty_corpus_is_indexed_and_served_then_grows(tmp_path):
    """A district office may start with no reports at all (`make run` indexes the empty folder)."""
    from app import create_app
    from indexer.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert build(corpus, tmp_path / "index").reports == 0
    client = create_app({"INDEX": str(tmp_path / "index"), "CORPUS": str(corpus), "SECRET_KEY": "x",
                         "WARM": False, "ADMIN_DIR": str(tmp_path / "admin")}).test_client()  # fmt: skip
    for path in ("/", "/search?q=调解", "/reports", "/compare?q=调解", "/api/search?q=调解"):
        assert client.get(path).status_code == 200, path
    (corpus / WANGU).write_text(text_of(WANGU), encoding="utf-8")
    assert build(corpus, tmp_path / "index").reports == 1
    (corpus / WANGU).unlink()
    assert build(corpus, tmp_path / "index").reports == 0
