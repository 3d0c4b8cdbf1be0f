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
        "PER_PAGE": int(env.get("FAZHI_PER_PAGE", "20")),
        "WTF_CSRF_TIME_LIMIT": None,
    }
    config.update(overrides or {})
    config.setdefault("SECRET_KEY", env.get("FAZHI_SECRET_KEY") or _secret_key())
    return config


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
        "port": int(os.environ.get("FAZHI_PORT", "5000")),
        "workers": int(os.environ.get("FAZHI_WORKERS", "2")),
    }
