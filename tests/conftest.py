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


@pytest.fixture(scope="session")
def engine(corpus_index):
    """The search engine over the session's corpus index."""
    from search.engine import Engine

    return Engine(corpus_index)


@pytest.fixture(scope="session")
def client(corpus_index):
    """The site over the session's corpus index, through Flask's test client."""
    from app import create_app

    app = create_app({"INDEX": str(corpus_index), "TESTING": True, "SECRET_KEY": "test"})
    return app.test_client()
