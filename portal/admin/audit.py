"""The audit log: one JSON line per change (who, when, what, before and after), appended."""

from __future__ import annotations

import json
import os
import time
from collections import deque
from pathlib import Path

from .files import locked

AUDIT_FILE = "audit.jsonl"
ACTIONS = {
    "add": "收录",
    "replace": "替换",
    "edit": "修改元数据",
    "delete": "删除",
    "rebuild": "完整重建索引",
    "login": "登录",
    "logout": "退出",
    "recover": "中断后恢复",
}


class Audit:
    def __init__(self, folder: Path | str) -> None:
        self.path = Path(folder) / AUDIT_FILE

    def record(self, user: str, action: str, what: str, before=None, after=None) -> None:
        """Append one entry, fsynced: a change is never made without its line."""
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "user": user, "action": action,
                 "what": what, "before": before, "after": after}  # fmt: skip
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
        with locked(self.path.with_suffix(".lock")):
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)

    def latest(self, count: int = 50) -> list[dict]:
        """The newest entries first; a line cut off by a crash is skipped."""
        try:
            with self.path.open(encoding="utf-8") as lines:
                tail = deque(lines, maxlen=count)
        except FileNotFoundError:
            return []
        entries = []
        for line in reversed(tail):
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            entries.append(entry | {"label": ACTIONS.get(entry.get("action"), entry.get("action"))})
        return entries
