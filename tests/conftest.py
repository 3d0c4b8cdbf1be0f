from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seeds():
    """The five real reports, parsed once."""
    from indexer.parse import parse_file

    return {path.stem: parse_file(path) for path in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """An index of corpus/, built once per session; tests only read it."""
    from indexer.build import build

    root = tmp_path_factory.mktemp("corpus-index")
    build(CORPUS, root)
    return root
