"""Uploaded files: checked (name, type by content, size, parse, duplicates) and, when they pass,
staged under `ADMIN_DIR/uploads/<token>/` until the curator confirms or discards them.

A rejected file leaves nothing behind; the corpus and the index are never touched here.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import filetype

from indexer.errors import ParseError
from indexer.formats import SUFFIXES
from indexer.formats.common import describe
from indexer.model import Report
from indexer.schema import body_digest

from .files import write_atomic
from .jobs import Places
from .library import Entry, same_body, same_region_year
from .parsing import parse_isolated

UPLOADS = "uploads"
META = "meta.json"
ORIGINAL = "original"
TOKEN = re.compile(r"^[0-9a-f]{24}$")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
CONTENT = {"pdf": {"pdf"}, "docx": {"docx", "zip"}, "txt": set(), "html": set()}
KEEP_SECONDS = 7 * 86400  # staged uploads nobody confirmed are removed after a week
ACCEPTED = "、".join(sorted(SUFFIXES))


class Rejected(ValueError):
    """Why an upload cannot be taken, in Chinese."""


@dataclass
class Staged:
    """A checked upload waiting for the curator: its file, parse and what it may collide with."""

    token: str
    name: str  # the uploader's file name, shown only
    path: Path
    user: str
    report: Report
    same_place: list[Entry]

    @property
    def suffix(self) -> str:
        return self.path.suffix


def check_name(name: str) -> None:
    if not name or not name.strip():
        raise Rejected("文件没有名称")
    if CONTROL.search(name):
        raise Rejected("文件名含有控制字符，请改名后再上传")
    if any(mark in name for mark in ("/", "\\", ":", "..")) or not name.strip(". "):
        raise Rejected("文件名含有路径（/、\\ 或 ..），请只上传文件本身")


def check_content(name: str, data: bytes, limit_mb: int | float) -> str:
    """The file's suffix, once its type, content and size are acceptable."""
    suffix = Path(name).suffix.lower()
    fmt = SUFFIXES.get(suffix)
    if fmt is None:
        shown = suffix or "（无扩展名）"
        raise Rejected(f"不支持的文件类型 {shown}：只能上传 {ACCEPTED} 文件")
    if not data.strip():
        raise Rejected("文件为空")
    if len(data) > limit_mb * (1 << 20):
        raise Rejected(f"文件过大（{len(data) / (1 << 20):.1f} MB），上限为 {limit_mb} MB")
    kind = filetype.guess(data)
    if kind is not None and kind.extension not in CONTENT[fmt]:
        raise Rejected(f"扩展名是 {suffix}，但内容是 {kind.mime} 文件，请上传原始文件")
    if kind is None and CONTENT[fmt]:
        raise Rejected(f"扩展名是 {suffix}，但内容不是 {fmt} 文件（实际内容：{describe(data)}）")
    return suffix


def receive(places: Places, name: str, data: bytes, user: str, limit_mb: int | float) -> Staged:
    """Check one uploaded file and stage it; raises Rejected, leaving nothing behind."""
    check_name(name)
    suffix = check_content(name, data, limit_mb)
    root = places.admin / UPLOADS
    token = secrets.token_hex(12)
    folder = root / f".{token}"  # hidden until every check passed
    folder.mkdir(parents=True)
    try:
        path = folder / f"{ORIGINAL}{suffix}"
        path.write_bytes(data)
        report = parse(path)
        same = same_body(places, body_digest(report))
        if same is not None:
            raise Rejected(f"与已收录的报告相同：{same.title or same.source}（{same.source}）")
        meta = {"name": name, "user": user, "time": time.time(),
                "sha256": hashlib.sha256(data).hexdigest(),
                "report": report.to_json(), "notes": report.notes}  # fmt: skip
        write_atomic(folder / META, json.dumps(meta, ensure_ascii=False).encode())
        folder.rename(root / token)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return load(places, token)


def parse(path: Path) -> Report:
    try:
        return parse_isolated(path)
    except ParseError as exc:
        raise Rejected(exc.reason) from exc


def load(places: Places, token: str) -> Staged | None:
    """A staged upload by its token (None when unknown or already confirmed)."""
    if not TOKEN.match(token or ""):
        return None
    folder = places.admin / UPLOADS / token
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = next((p for p in folder.iterdir() if p.stem == ORIGINAL), None)
    if path is None:
        return None
    report = Report.from_json(meta["report"], meta["notes"])
    return Staged(token, meta["name"], path, meta["user"], report,
                  same_region_year(places, report.region, report.year))  # fmt: skip


def pending(places: Places) -> list[tuple[str, str]]:
    """(token, uploaded name) of every staged upload; stale ones are removed."""
    root = places.admin / UPLOADS
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        meta_file = folder / META
        if folder.name.startswith(".") or not meta_file.is_file():
            if time.time() - folder.stat().st_mtime > 3600:  # a killed receive
                shutil.rmtree(folder, ignore_errors=True)
            continue
        if time.time() - meta_file.stat().st_mtime > KEEP_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            continue
        found.append((folder.name, json.loads(meta_file.read_text(encoding="utf-8"))["name"]))
    return found


def discard(places: Places, token: str) -> None:
    if TOKEN.match(token or ""):
        shutil.rmtree(places.admin / UPLOADS / token, ignore_errors=True)
