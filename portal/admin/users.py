"""Named curator accounts in `ADMIN_DIR/users.json`: argon2 hashes only, never a password."""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .files import locked, write_atomic

USERS_FILE = "users.json"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
MIN_PASSWORD = 8
_hasher = PasswordHasher()


class UserError(ValueError):
    """A bad name or password, or an unknown user; the message is Chinese."""


@dataclass(frozen=True)
class Curator:
    """A logged-in curator as Flask-Login sees it; `stamp` changes with the password."""

    name: str
    stamp: str
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return f"{self.name}:{self.stamp}"


def _stamp(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


class Users:
    """The user store of one admin folder; every change is one atomic rewrite under a lock."""

    def __init__(self, folder: Path | str) -> None:
        self.path = Path(folder) / USERS_FILE

    def _read(self) -> dict[str, dict]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write(self, users: dict[str, dict]) -> None:
        data = json.dumps(users, ensure_ascii=False, indent=1).encode()
        write_atomic(self.path, data)
        self.path.chmod(0o600)

    def names(self) -> list[str]:
        return sorted(self._read())

    def add(self, name: str, password: str) -> None:
        _check_name(name)
        _check_password(password)
        with locked(self.path.with_suffix(".lock")):
            users = self._read()
            if name in users:
                raise UserError(f"管理员 {name} 已存在；改密码请用 set-password")
            users[name] = {"hash": _hasher.hash(password), "created": time.time()}
            self._write(users)

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        with locked(self.path.with_suffix(".lock")):
            users = self._read()
            if name not in users:
                raise UserError(f"没有名为 {name} 的管理员")
            users[name] = {**users[name], "hash": _hasher.hash(password), "changed": time.time()}
            self._write(users)

    def remove(self, name: str) -> None:
        with locked(self.path.with_suffix(".lock")):
            users = self._read()
            if users.pop(name, None) is None:
                raise UserError(f"没有名为 {name} 的管理员")
            self._write(users)

    def verify(self, name: str, password: str) -> Curator | None:
        """The curator when the password is right; None otherwise (same answer for no user)."""
        record = self._read().get(name)
        if record is None:
            _hasher.hash(password)  # as slow as a wrong password: names cannot be probed
            return None
        try:
            _hasher.verify(record["hash"], password)
        except (VerificationError, InvalidHashError):
            return None
        return Curator(name, _stamp(record["hash"]))

    def load(self, session_id: str) -> Curator | None:
        """The curator a session names, while the account exists with the same password."""
        name, _, stamp = session_id.partition(":")
        record = self._read().get(name)
        if record is None or _stamp(record["hash"]) != stamp:
            return None
        return Curator(name, stamp)


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise UserError("管理员名称只能用英文字母、数字、点、下划线和连字符，最多 40 个字符")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")
