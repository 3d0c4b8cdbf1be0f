"""The pickled jieba state segments exactly as jieba loaded the usual way, and a damaged or
stale file is never trusted."""

from __future__ import annotations

import jieba
import pytest

from indexer import jieba_state
from indexer.analysis import USER_DICT

TEXTS = [
    "法治政府建设情况报告",
    "培育“法律明白人”56名，覆盖全镇18个村",
    "坚持和发展新时代枫桥经验，推进一庭两所联动",
    "行政机关负责人出庭应诉率达100%",
]


@pytest.fixture(scope="module")
def reference() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USER_DICT))
    return tokenizer


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(jieba_state, "CACHE_DIR", tmp_path / "cache")
    return tmp_path / "cache"


def test_first_load_writes_the_state_and_the_second_reads_it(reference, cache_dir):
    first = jieba_state.loaded(jieba.Tokenizer(), USER_DICT)
    files = list(cache_dir.glob("jieba-*.pickle"))
    assert len(files) == 1
    second = jieba_state.loaded(jieba.Tokenizer(), USER_DICT)
    for text in TEXTS:
        expected = reference.lcut(text, HMM=True)
        assert first.lcut(text, HMM=True) == expected
        assert second.lcut(text, HMM=True) == expected
    assert second.total == reference.total


def test_a_damaged_file_is_replaced_not_trusted(reference, cache_dir):
    jieba_state.loaded(jieba.Tokenizer(), USER_DICT)
    (path,) = cache_dir.glob("jieba-*.pickle")
    path.write_bytes(path.read_bytes()[:1000])  # cut short, as by a full disk
    again = jieba_state.loaded(jieba.Tokenizer(), USER_DICT)
    assert again.lcut(TEXTS[1], HMM=True) == reference.lcut(TEXTS[1], HMM=True)
    assert path.stat().st_size > 1000


def test_a_changed_user_dictionary_gets_a_new_file(cache_dir, tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("一庭两所 100 n\n", encoding="utf-8")
    jieba_state.loaded(jieba.Tokenizer(), words)
    words.write_text("一庭两所 100 n\n两所联动 100 n\n", encoding="utf-8")
    tokenizer = jieba_state.loaded(jieba.Tokenizer(), words)
    assert len(list(cache_dir.glob("jieba-*.pickle"))) == 2
    assert "两所联动" in tokenizer.FREQ


def test_an_unwritable_folder_still_loads(reference, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(jieba_state, "CACHE_DIR", blocker / "cache")  # under a file: cannot exist
    tokenizer = jieba_state.loaded(jieba.Tokenizer(), USER_DICT)
    assert tokenizer.lcut(TEXTS[0], HMM=True) == reference.lcut(TEXTS[0], HMM=True)
