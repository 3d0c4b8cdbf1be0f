"""jieba's prefix dictionary with our domain words, kept as one pickle in var/.

jieba reloads its own cache with `marshal` (about 0.8–1.2 s here) and then adds the domain
dictionary word by word; a pickle of the finished state loads in about a third of that, which
is most of what a server's start spends outside the snapshot. This is the one place that
touches jieba's internals (`FREQ`, `total`, `initialized`). The file's name carries jieba's
version and both dictionaries' sizes and times, so a changed dictionary is never read stale;
it lives in the project's own var/ folder (never a shared temporary folder) and is written
atomically; when var/ cannot be written, jieba loads as it always did.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import jieba

from indexer.location import ROOT

CACHE_DIR = ROOT / "var" / "cache"


def loaded(tokenizer: jieba.Tokenizer, user_dict: Path) -> jieba.Tokenizer:
    """`tokenizer` initialised with jieba's dictionary and `user_dict`, from the pickle if any."""
    path = CACHE_DIR / f"jieba-{_key(tokenizer, user_dict)}.pickle"
    try:
        with path.open("rb") as f:
            tokenizer.FREQ, tokenizer.total = pickle.load(f)
        tokenizer.initialized = True
        return tokenizer
    except Exception:  # missing, cut short or of another pickle version: load it again
        pass
    tokenizer.load_userdict(str(user_dict))
    _save(path, (tokenizer.FREQ, tokenizer.total))
    return tokenizer


def _key(tokenizer: jieba.Tokenizer, user_dict: Path) -> str:
    parts = [jieba.__version__]
    main = tokenizer.dictionary or os.path.join(
        os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME
    )
    for name in (main, str(user_dict)):
        stat = os.stat(name)
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _save(path: Path, state: tuple) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".jieba-")
    except OSError:
        return  # read-only var/: the next process loads the dictionaries again
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
