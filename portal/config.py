"""Configuration from FAZHI_* environment variables, with defaults for a local run."""

from __future__ import annotations

import os
import secrets

from indexer.location import ROOT, index_root

SECRET_FILE = ROOT / "var" / "secret_key"


def load_config(overrides: dict | None = None) -> dict:
    env = os.environ
    config = {
        "INDEX": str(index_root()),
        "CORPUS": env.get("FAZHI_CORPUS", str(ROOT / "corpus")),
        "DEBUG": env.get("FAZHI_ENV") == "development",
        "WARM": env.get("FAZHI_WARM", "1") != "0",  # load the index into memory at start-up
        "PER_PAGE": _number(env, "FAZHI_PER_PAGE", 20),
        "BUDGET": _number(env, "FAZHI_BUDGET", 5.0),  # seconds a request may take, then 503
        "EXPORT_LIMIT": _number(env, "FAZHI_EXPORT_LIMIT", 20_000),  # rows of CSV and all=1
        "CACHE_MB": _number(env, "FAZHI_CACHE_MB", 64),  # the engine's cache of answers, per worker
        "BASE_URL": env.get("FAZHI_BASE_URL", "").rstrip("/"),  # for absolute links; else relative
        "MAX_CONTENT_LENGTH": _number(env, "FAZHI_MAX_BODY", 1 << 20),  # request body bytes
        "WTF_CSRF_TIME_LIMIT": None,
        "ADMIN_DIR": env.get("FAZHI_ADMIN_DIR", str(ROOT / "var" / "admin")),  # curators, audit log
        "UPLOAD_MB": _number(env, "FAZHI_UPLOAD_MB", 20),  # largest uploaded report file
        "SESSION_COOKIE_SECURE": env.get("FAZHI_SECURE_COOKIES", "0") == "1",  # behind HTTPS
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "LOGIN_LIMIT": env.get("FAZHI_LOGIN_LIMIT", "5 per minute"),  # failed logins per address
    }
    config.update(overrides or {})
    config.setdefault("SECRET_KEY", env.get("FAZHI_SECRET_KEY") or _secret_key())
    return config


def _number(env, name: str, default: int | float) -> int | float:
    """A numeric setting; a value that is not a positive number stops start-up with its name."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = type(default)(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise SystemExit(f"配置 {name}={raw!r} 无效：应为正数")
    return value


def _secret_key() -> str:
    """One key shared by every worker, made once and kept in var/ (ignored by git)."""
    try:
        return SECRET_FILE.read_text().strip()
    except OSError:
        key = secrets.token_hex(32)
        try:
            SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(key)
        except OSError:
            pass  # another worker wrote it first, or var/ is read-only: use ours for this process
        return SECRET_FILE.read_text().strip() if SECRET_FILE.exists() else key


def server_settings() -> dict:
    """Where `make run` serves: FAZHI_HOST, FAZHI_PORT, FAZHI_WORKERS."""
    return {
        "host": os.environ.get("FAZHI_HOST", "127.0.0.1"),
        "port": _number(os.environ, "FAZHI_PORT", 5000),
        "workers": _number(os.environ, "FAZHI_WORKERS", 2),
        "timeout": _number(os.environ, "FAZHI_WORKER_TIMEOUT", 30),
    }
