"""The production server under change and fault: every answer comes from one whole corpus state.

The truth of each corpus state is computed from the files alone: the test inserts a marker line
into report bodies and counts, per file, the lines that contain it. No part of the parser, index
or engine is asked what the answer should be.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT
from tests.prodserver import Server

MARKER = "测试标记甲乙丙"
QUERY = urllib.parse.quote(f'"{MARKER}"')
COPIES = (
    6  # copies of each seed in the served corpus (distinct bodies: each has its own marker line)
)


# ------------------------------------------------------------------------------ the corpus and truth


def _with_markers(text: str, lines: list[str]) -> str:
    """The report with marker lines inserted in the middle of its body (never the title block)."""
    rows = text.splitlines()
    middle = len(rows) // 2
    return "\n".join(rows[:middle] + lines + rows[middle:]) + "\n"


def _marker_lines(tag: str, count: int) -> list[str]:
    return [f"{MARKER}：{tag}第{i + 1}次开展专项法治宣传活动。" for i in range(count)]


def write_report(folder: Path, stem: str, seed: Path, count: int, tag: str) -> None:
    text = seed.read_text(encoding="utf-8-sig")
    (folder / f"{stem}.txt").write_text(_with_markers(text, _marker_lines(tag, count)), "utf-8")


def truth(folder: Path) -> dict[str, int]:
    """report id (the ASCII file stem) → lines containing the marker, for files that have any."""
    found = {}
    for path in sorted(folder.glob("*.txt")):
        count = sum(MARKER in line for line in path.read_text(encoding="utf-8").splitlines())
        if count:
            found[path.stem] = count
    return found


SEEDS = sorted(CORPUS.glob("*.txt"))


def make_corpus(folder: Path, copies: int = COPIES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for seed in SEEDS:
            write_report(folder, f"c{i}-{seed.stem}", seed, 1 + (i % 2), f"第{i}份")


def run_build(corpus: Path, root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus), "--index", str(root),
         *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def live_generation(root: Path) -> str:
    return os.readlink(root / "current")


# --------------------------------------------------------------------------------------- requests


def get(url: str, timeout: float = 30) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def answer(base: str) -> tuple[str, dict[str, int]]:
    """(generation, report id → matching paragraphs) from the API's reports view."""
    status, _, body = get(f"{base}/api/search?q={QUERY}&view=reports&all=1")
    assert status == 200, body[:300]
    data = json.loads(body)
    return data["generation"], {hit["report_id"]: hit["matches"] for hit in data["hits"]}


def csv_answer(base: str) -> tuple[str, dict[str, int], int]:
    """(generation, report id → rows, duplicated rows) from the CSV export."""
    status, headers, body = get(f"{base}/search.csv?q={QUERY}")
    assert status == 200
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
    keys = [(row[0], row[1]) for row in rows]
    counts: dict[str, int] = {}
    for report_id, _ in keys:
        counts[report_id] = counts.get(report_id, 0) + 1
    return headers["X-Index-Generation"], counts, len(keys) - len(set(keys))


def every_worker_answers(server: Server, check, rounds: int = 400) -> None:
    """Run `check()` concurrently until every worker has served some of them."""
    workers = server.workers()
    seen_before = len(server.access())
    done = 0
    while done < rounds:
        threads = [threading.Thread(target=check) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done += 8
        time.sleep(0.3)  # the access log is written after each answer
        served = {pid for pid, *_ in server.access()[seen_before:]}
        if workers <= served:
            return
    raise AssertionError(f"workers {workers} not all reached; served by {served}")


# --------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def site(tmp_path):
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus)
    built = run_build(corpus, root)
    assert built.returncode == 0, built.stderr
    server = Server(root, tmp_path / "gunicorn.log").start()
    try:
        yield corpus, root, server
    finally:
        server.stop()


# ------------------------------------------------------------------------------------------ tests


def test_delete_edit_add_reach_every_worker_at_once(site):
    corpus, root, server = site
    assert answer(server.base)[1] == truth(corpus)

    def agrees():
        generation, found = answer(server.base)
        assert generation == live_generation(root) and found == truth(corpus)

    gone = "c0-cq-dazu-wangu-2023"
    (corpus / f"{gone}.txt").unlink()
    assert run_build(corpus, root).returncode == 0
    every_worker_answers(server, agrees)
    assert get(f"{server.base}/reports/{gone}")[0] == 404
    assert get(f"{server.base}/api/reports/{gone}")[0] == 404

    edited = "c1-ha-baofeng-zhaozhuang-2023"
    before = json.loads(get(f"{server.base}/api/reports/{edited}")[2])["paragraphs"]
    write_report(corpus, edited, CORPUS / "ha-baofeng-zhaozhuang-2023.txt", 3, "改后")
    assert run_build(corpus, root).returncode == 0
    every_worker_answers(server, agrees)
    after = json.loads(get(f"{server.base}/api/reports/{edited}")[2])["paragraphs"]
    assert len(after) == len(before) + 1  # two marker lines before, three now: one more paragraph
    assert sum(MARKER in p["text"] for p in after) == 3

    write_report(corpus, "new-town", CORPUS / "cq-nanan-guangyang-2023.txt", 2, "新增")
    assert run_build(corpus, root).returncode == 0
    every_worker_answers(server, agrees)
    assert get(f"{server.base}/reports/new-town")[0] == 200
    generation, counts, duplicated = csv_answer(server.base)
    assert generation == live_generation(root) and counts == truth(corpus) and duplicated == 0


def test_answers_under_load_match_one_corpus_state(site, tmp_path):
    """16 clients while reports are added, edited and deleted, full rebuilds run, and a worker
    and a build are killed with SIGKILL."""
    corpus, root, server = site
    states = {live_generation(root): truth(corpus)}
    stop = threading.Event()
    answers: list[tuple[str, dict]] = []
    csvs: list[tuple[str, dict, int]] = []
    errors: list[str] = []
    latencies: list[float] = []

    def client(n: int) -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                if n % 4 == 0:
                    csvs.append(csv_answer(server.base))
                else:
                    answers.append(answer(server.base))
                latencies.append(time.monotonic() - started)
            except Exception as exc:  # a request cut by a killed worker, counted below
                errors.append(f"{type(exc).__name__}: {exc}")

    faults: list[str] = []
    clients = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for t in clients:
        t.start()
    try:
        for step in range(12):
            _mutate(corpus, step)
            expected = truth(corpus)
            args = ("--rebuild",) if step % 4 == 3 else ()
            built = run_build(corpus, root, *args, "--wait", "120")
            assert built.returncode == 0, built.stderr
            states[live_generation(root)] = expected
            if step == 5:
                victim = min(server.workers())
                os.kill(victim, signal.SIGKILL)
                faults.append(f"worker {victim} killed")
            if step == 8:
                faults.append(_kill_a_build(corpus, root))
            time.sleep(0.3)
    finally:
        stop.set()
        for t in clients:
            t.join()
    wrong = [(g, a) for g, a in answers if states.get(g) != a]
    wrong_csv = [(g, c, d) for g, c, d in csvs if states.get(g) != c or d]
    report = (
        f"{len(answers) + len(csvs)} answers ({len(csvs)} CSV), {len(errors)} errors, "
        f"{len(wrong) + len(wrong_csv)} inconsistent, {len(states)} corpus states, "
        f"faults: {faults}; latency median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1] * 1000:.0f} ms"
    )
    print(report)
    (tmp_path / "load-report.txt").write_text(report, encoding="utf-8")
    assert not wrong and not wrong_csv, report
    assert len(answers) > 100 and len(csvs) > 20, report
    assert len(errors) <= 16, (
        f"more failed requests than a killed worker had in flight: {errors[:5]}"
    )
    assert answer(server.base)[1] == truth(corpus)
    assert len(server.workers()) == 2  # the killed worker was replaced


def _mutate(corpus: Path, step: int) -> None:
    """One curator action per step: add, edit or delete a report."""
    seed = SEEDS[step % len(SEEDS)]
    action = step % 3
    if action == 0:
        write_report(corpus, f"added-{step}", seed, 1 + step % 3, f"新{step}")
    elif action == 1:
        victim = sorted(corpus.glob("c*.txt"))[step]
        write_report(corpus, victim.stem, SEEDS[step % len(SEEDS)], step % 3, f"改{step}")
    else:
        sorted(corpus.glob("c*.txt"))[-1].unlink()


def _kill_a_build(corpus: Path, root: Path) -> str:
    """Start a full rebuild and kill it with SIGKILL once it has started writing."""
    before = live_generation(root)
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer", "build", "--rebuild", "--corpus", str(corpus),
         "--index", str(root)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(root.glob("gen-*"))) < 3:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert live_generation(root) == before
    return "indexer killed while rebuilding"


def test_two_rebuilds_at_once(tmp_path):
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, copies=8)
    assert run_build(corpus, root).returncode == 0
    command = [sys.executable, "-m", "indexer", "build", "--rebuild", "--corpus", str(corpus),
               "--index", str(root)]  # fmt: skip
    procs = [
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )  # fmt: skip
        for _ in range(2)
    ]
    outcomes = sorted((p.wait(timeout=300), p.stderr.read()) for p in procs)
    codes = [code for code, _ in outcomes]
    assert codes in ([0, 0], [0, 3]), outcomes
    for code, err in outcomes:
        assert "Traceback" not in err
        if code == 3:
            assert "另一个索引构建正在进行" in err
    generations = sorted(p.name for p in root.glob("gen-*"))
    assert live_generation(root) in generations and len(generations) <= 2
    # Waiting instead of stopping: both succeed, one after the other.
    waiting = [subprocess.Popen([*command, "--wait", "120"], cwd=ROOT, stderr=subprocess.PIPE)
               for _ in range(2)]  # fmt: skip
    assert [p.wait(timeout=300) for p in waiting] == [0, 0]


def test_a_truncated_segment_gives_503_and_build_repairs_it(site, tmp_path):
    corpus, root, server = site
    workers = server.workers()
    live = root / live_generation(root)
    segment = max(live.glob("*.seg"), key=lambda p: p.stat().st_size)
    os.truncate(segment, segment.stat().st_size // 2)
    for path in ("/", "/search?q=%E6%B3%95%E6%B2%BB", "/reports", "/compare?q=%E6%B3%95%E6%B2%BB",
                 "/reports/c0-cq-dazu-wangu-2023", "/search.csv?q=%E6%B3%95%E6%B2%BB"):  # fmt: skip
        status, _, body = get(server.base + path)
        assert status == 503, path
        assert "损坏" in body.decode() and "python -m indexer build" in body.decode(), path
    status, _, body = get(f"{server.base}/api/search?q={QUERY}")
    assert status == 503 and "损坏" in json.loads(body)["error"]
    assert get(server.base + "/help")[0] == 200
    assert get(server.base + "/static/site.css")[0] == 200
    assert server.workers() == workers, "a worker died of the damaged index"
    # A server started on the damaged index starts, and says what is wrong.
    with Server(root, tmp_path / "second.log") as second:
        assert get(second.base + "/search?q=%E6%B3%95%E6%B2%BB")[0] == 503
    repaired = run_build(corpus, root)
    assert repaired.returncode == 0 and "完整重建" in repaired.stderr, repaired.stderr
    assert answer(server.base)[1] == truth(corpus)


def test_slow_clients_do_not_starve_the_site(site):
    """20 clients send their headers a byte a second and 2 never read a large answer."""
    corpus, root, server = site
    port = server.port
    stop = threading.Event()

    def trickle() -> None:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            for byte in b"GET /search?q=%E6%B3%95%E6%B2%BB HTTP/1.1\r\nHost: x\r\n":
                if stop.wait(1.0):
                    return
                sock.send(bytes([byte]))

    def never_read() -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", port))
        sock.sendall(b"GET /search.csv?q=%E6%B3%95 HTTP/1.1\r\nHost: x\r\n\r\n")
        stop.wait(30)
        sock.close()

    hogs = [threading.Thread(target=trickle) for _ in range(20)]
    hogs += [threading.Thread(target=never_read) for _ in range(2)]
    for t in hogs:
        t.start()
    time.sleep(2)
    words = ["调解", "普法", "复议", "执法", "诉讼", "网格", "信访", "培训", "宪法", "法律顾问",
             "矛盾", "纠纷", "依法", "行政", "规范", "监督", "公开", "服务", "安全", "社区"]  # fmt: skip
    latencies = []
    try:
        for word in words:  # distinct queries: no answer comes from a cache
            started = time.monotonic()
            status, _, _ = get(f"{server.base}/search?q={urllib.parse.quote(word)}", timeout=10)
            latencies.append(time.monotonic() - started)
            assert status == 200
    finally:
        stop.set()
        for t in hogs:
            t.join()
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(f"searches beside 22 slow clients: p95 {p95 * 1000:.0f} ms")
    assert p95 < 1.0


def test_time_budget_and_export_cap(tmp_path):
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus, copies=2)
    assert run_build(corpus, root).returncode == 0
    with Server(root, tmp_path / "cap.log", FAZHI_EXPORT_LIMIT="5") as server:
        status, _, body = get(f"{server.base}/api/search?q=%E6%B3%95%E6%B2%BB&all=1")
        data = json.loads(body)
        assert status == 200 and data["truncated"] and len(data["hits"]) == 5
        assert any("导出上限" in m for m in data["messages"])
        rows = list(csv.reader(io.StringIO(get(f"{server.base}/search.csv?q=%E6%B3%95%E6%B2%BB")[2]
                                           .decode("utf-8-sig"))))  # fmt: skip
        assert len(rows) == 1 + 5 + 1 and "导出上限" in rows[-1][1]
    with Server(root, tmp_path / "budget.log", FAZHI_BUDGET="0.0000001") as server:
        status, headers, body = get(f"{server.base}/search?q=%E6%B3%95%E6%B2%BB")
        assert status == 503 and "超时" in body.decode() and headers.get("Retry-After")
        assert get(f"{server.base}/help")[0] == 200


def test_openapi_description_holds_for_the_running_server(site, tmp_path):
    corpus, root, server = site
    spec = json.loads(get(f"{server.base}/api/openapi.json")[2])
    from app import create_app

    routes = {
        rule.rule.replace("<", "{").replace(">", "}")
        for rule in create_app({"INDEX": str(root), "SECRET_KEY": "x"}).url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert set(spec["paths"]) == routes
    schemathesis = Path(sys.executable).parent / "schemathesis"
    run = subprocess.run(
        [str(schemathesis), "run", f"{server.base}/api/openapi.json", "--max-examples", "25",
         "--checks", "all", "--exclude-checks", "negative_data_rejection", "--seed", "1"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:]
