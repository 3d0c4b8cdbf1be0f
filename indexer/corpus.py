"""Which files in a corpus folder are reports, and their fingerprints for incremental indexing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from .sidecar import sidecar_path

SKIP_SUFFIXES = (".meta.toml", ".md")


def corpus_files(folder: Path) -> Iterator[Path]:
    """Report files below a folder, in a stable order; sidecars, notes and hidden files excluded."""
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden and not path.name.endswith(SKIP_SUFFIXES):
            yield path


def fingerprint(path: Path) -> str:
    """Changes when the file or its curator sidecar changes."""
    digest = hashlib.sha256(path.read_bytes())
    side = sidecar_path(path)
    if side.is_file():
        digest.update(b"\0sidecar\0" + side.read_bytes())
    return digest.hexdigest()


def filestat(path: Path) -> str:
    """Size, modification and change times and inode of the file and its sidecar.

    Any write changes the change time (which no tool can set back), so an equal stat means
    unchanged content and the file need not be read; a different one sends it to `fingerprint`.
    """
    parts = []
    for item in (path, sidecar_path(path)):
        try:
            st = item.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
    return "|".join(parts)
