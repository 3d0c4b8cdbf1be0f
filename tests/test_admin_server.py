"""The admin on the production server (gunicorn, 2 workers): two uploads confirmed at once while
searches run, and crashes (kill -9) in the middle of a confirm and of a rebuild. Afterwards the
corpus folder and the index agree exactly (both read here directly) and the site serves."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import secrets
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.adminsite import (
    PASSWORD,
    generation,
    indexed_sources,
    make_site,
    report_files,
    text_of,
    token,
)
from tests.prodserver import Server

WANGU = "cq-dazu-wangu-2023.txt"


class Browserless:
    """One curator's HTTP session: a cookie jar, forms posted as a browser posts them."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def request(self, path: str, data: bytes | None = None, headers=None, timeout=120):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode()

    def get(self, path: str):
        return self.request(path)

    def post(self, path: str, fields: dict[str, str], timeout=120):
        body = urllib.parse.urlencode(fields).encode()
        return self.request(
            path, body, {"Content-Type": "application/x-www-form-urlencoded"}, timeout
        )

    def login(self) -> None:
        _, _, page = self.get("/admin/login")
        status, _, _ = self.post(
            "/admin/login", {"csrf_token": token(page), "name": "wang", "password": PASSWORD}
        )
        assert status == 200  # followed to the admin home

    def upload(self, name: str, data: bytes) -> str:
        """Upload one file; the preview's path."""
        _, _, home = self.get("/admin/")
        boundary = secrets.token_hex(12)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token(home)}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]  # fmt: skip
        status, url, _ = self.request(
            "/admin/upload",
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert status == 200 and "/admin/uploads/" in url, (status, url)
        return urllib.parse.urlsplit(url).path

    def confirm_fields(self, preview: str, title: str, town: str, year: str) -> dict[str, str]:
        _, _, page = self.get(preview)
        return {"csrf_token": token(page), "title": title, "region": "重庆市 › 大足区", "town": town,
                "year": year, "issued": "", "doc_number": ""}  # fmt: skip


def report_for(town: str, year: int) -> str:
    """万古镇's report moved to another town and year (hand-made, the body differs)."""
    return text_of(WANGU).replace("万古", town.removesuffix("镇")).replace("2023", str(year))


def agree(places) -> None:
    """The corpus's report files and the live index's documents are the same set, and no
    temporary file is left in the corpus."""
    assert set(indexed_sources(places["index"])) == report_files(places["corpus"])
    assert not [p for p in places["corpus"].iterdir() if p.name.startswith(".fazhi-tmp-")]


def serving(base: str) -> None:
    with urllib.request.urlopen(base + "/api/search?q=%E8%B0%83%E8%A7%A3", timeout=30) as response:
        assert response.status == 200
        assert json.loads(response.read())["total"] > 0


def start(places, log: Path) -> Server:
    return Server(
        places["index"],
        log,
        FAZHI_CORPUS=str(places["corpus"]),
        FAZHI_ADMIN_DIR=str(places["admin"]),
    ).start()


def descendants(pid: int) -> list[int]:
    """Processes started by `pid` and its children, in the same session (a process that began
    a session of its own, as the background rebuild does, is left alone)."""
    children: dict[int, list[int]] = {}
    session = _stat(pid)[3]
    for stat in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(stat.name))
        if fields and fields[3] == session:
            children.setdefault(int(fields[1]), []).append(int(stat.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def kill_all(server: Server) -> None:
    """kill -9 the server, its workers and every process they started (a power cut, as far as
    processes go), the background rebuild (its own session) excepted."""
    victims = [server.proc.pid, *descendants(server.proc.pid)]
    for pid in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.proc.wait()


@pytest.fixture
def places(tmp_path):
    return make_site(tmp_path)


def test_two_uploads_at_once_with_searches_during(places, tmp_path):
    server = start(places, tmp_path / "gunicorn.log")
    try:
        curators = [Browserless(server.base), Browserless(server.base)]
        for curator in curators:
            curator.login()
        towns = [("宝顶镇", 2024), ("龙水镇", 2024)]
        answers: dict[int, tuple] = {}
        searches: list[int] = []
        done = threading.Event()

        def add(n: int) -> None:  # upload, preview, confirm: both curators at once
            town, year = towns[n]
            preview = curators[n].upload(f"{town}.txt", report_for(town, year).encode())
            fields = curators[n].confirm_fields(
                preview, f"{town}{year}年法治政府建设情况报告", town, str(year)
            )
            answers[n] = curators[n].post(preview, fields)

        def search() -> None:
            while not done.is_set():
                with urllib.request.urlopen(
                    server.base + "/api/search?q=%E8%B0%83%E8%A7%A3", timeout=30
                ) as r:
                    searches.append(r.status)

        searcher = threading.Thread(target=search)
        searcher.start()
        threads = [threading.Thread(target=add, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        searcher.join()
        assert [answers[n][0] for n in range(2)] == [200, 200]
        assert all("已收录并编入索引" in answers[n][2] for n in range(2))
        assert searches and set(searches) == {200}
        names = {"cq-dazu-baoding-2024.txt", "cq-dazu-longshui-2024.txt"}
        assert names <= report_files(places["corpus"])
        agree(places)
        for name in names:
            with urllib.request.urlopen(f"{server.base}/api/reports/{name[:-4]}", timeout=30) as r:
                assert r.status == 200
    finally:
        server.stop()


def journal_written(places) -> bool:
    folder = places["admin"] / "changes"
    return folder.is_dir() and any(folder.glob("*.json"))


MOMENTS = {
    "as it arrives": lambda places: True,
    "corpus written, build not finished": journal_written,
    "during the build": lambda places: journal_written(places) and time.sleep(0.5) is None,
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_crash_during_a_confirm_leaves_corpus_and_index_consistent(places, tmp_path, moment):
    server = start(places, tmp_path / "gunicorn.log")
    curator = Browserless(server.base)
    curator.login()
    preview = curator.upload("宝顶镇.txt", report_for("宝顶镇", 2024).encode())
    fields = curator.confirm_fields(preview, "宝顶镇2024年法治政府建设情况报告", "宝顶镇", "2024")
    posting = threading.Thread(target=lambda: _cut_off(curator.post, preview, fields))
    posting.start()
    wait_for(lambda: MOMENTS[moment](places), seconds=30)
    kill_all(server)
    posting.join()
    if moment != "as it arrives":  # the file is in the corpus: the kill came after it
        assert "cq-dazu-baoding-2024.txt" in report_files(places["corpus"])
    restarted = start(places, tmp_path / "gunicorn-2.log")  # recovery runs before it serves
    try:
        agree(places)
        serving(restarted.base)
    finally:
        restarted.stop()


def _cut_off(post, *args) -> None:
    """A request whose server is killed under it: the connection drops."""
    with contextlib.suppress(OSError):  # URLError and ConnectionError are OSErrors
        post(*args, timeout=30)


def many_reports(corpus: Path, count: int) -> None:
    """More reports, so a rebuild takes long enough to be killed in its middle."""
    base = text_of(WANGU)
    for n in range(count):
        body = base.replace("。", f"，第{n}次补充说明。", 1).replace("2023", str(2000 + n % 20))
        (corpus / f"extra-{n:03d}.txt").write_text(body, encoding="utf-8")


def rebuild_state(places) -> dict:
    try:
        return json.loads((places["admin"] / "rebuild.json").read_text())
    except (OSError, ValueError):
        return {}


def wait_for(check, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_killed_rebuild_leaves_the_live_index_and_can_be_started_again(places, tmp_path):
    from indexer.build import build

    many_reports(places["corpus"], 80)
    build(places["corpus"], places["index"])
    before = generation(places["index"])
    server = start(places, tmp_path / "gunicorn.log")
    try:
        curator = Browserless(server.base)
        curator.login()
        _, _, page = curator.get("/admin/rebuild")
        status, _, running = curator.post("/admin/rebuild", {"csrf_token": token(page)})
        assert status == 200 and "完整重建" in running
        state = wait_for(lambda: (s := rebuild_state(places)).get("done") and s)  # in the middle
        os.killpg(state["pid"], signal.SIGKILL)
        _, _, shown = wait_for(
            lambda: (a := curator.get("/admin/rebuild"))[2].count("被中断") and a
        )
        assert "网站仍使用重建前的索引" in shown
        assert generation(places["index"]) == before
        agree(places)
        serving(server.base)
        _, _, page = curator.get("/admin/rebuild")
        curator.post("/admin/rebuild", {"csrf_token": token(page)})
        wait_for(lambda: rebuild_state(places).get("status") == "done")
        assert "上次完整重建已完成" in curator.get("/admin/rebuild")[2]
        assert generation(places["index"]) != before
        agree(places)
        assert not [p for p in places["index"].iterdir() if p.name.startswith("gen-")
                    and not (p / "generation.json").exists()]  # fmt: skip
    finally:
        server.stop()


def test_a_rebuild_survives_a_server_crash_and_one_runs_at_a_time(places, tmp_path):
    many_reports(places["corpus"], 80)
    server = start(places, tmp_path / "gunicorn.log")
    curator = Browserless(server.base)
    curator.login()
    _, _, page = curator.get("/admin/rebuild")
    curator.post("/admin/rebuild", {"csrf_token": token(page)})
    wait_for(lambda: rebuild_state(places).get("pid"))
    _, _, page = curator.get("/admin/")
    _, _, second = curator.post("/admin/rebuild", {"csrf_token": token(page)})
    assert rebuild_state(places).get("status") == "running"
    assert "已有完整重建正在进行" in second
    kill_all(server)
    restarted = start(places, tmp_path / "gunicorn-2.log")
    try:
        wait_for(lambda: rebuild_state(places).get("status") == "done")
        agree(places)
        serving(restarted.base)
        assert rebuild_state(places)["summary"]["reports"] == len(report_files(places["corpus"]))
    finally:
        restarted.stop()
