"""The mapped array file: arrays and metadata come back as written; a cut file is refused."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.arrayfile import ArrayFileError, open_arrays, read_meta, write


def test_arrays_and_metadata_come_back_as_written(tmp_path):
    path = tmp_path / "a.derived"
    arrays = {
        "codes": np.array([0, 27861, 27835, 0], dtype=np.uint16),
        "empty": np.zeros(0, dtype=np.int64),
        "table": np.arange(12, dtype=np.int32).reshape(3, 4),
        "last": np.array([7], dtype=np.uint64),
    }
    write(path, arrays, {"reports": [[0, {"title": "关于2023年法治政府建设情况的报告"}]]})
    found, meta = open_arrays(path)
    assert list(found) == list(arrays)
    for name, value in arrays.items():
        assert found[name].dtype == value.dtype and found[name].tolist() == value.tolist(), name
        assert not found[name].flags.writeable  # read-only views of the mapping
    assert (
        meta == read_meta(path) == {"reports": [[0, {"title": "关于2023年法治政府建设情况的报告"}]]}
    )
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_truncated_or_foreign_file_is_refused(tmp_path):
    path = tmp_path / "a.derived"
    write(path, {"x": np.arange(1000, dtype=np.int64)})
    data = path.read_bytes()
    path.write_bytes(data[:-8])
    with pytest.raises(ArrayFileError, match="不完整"):
        open_arrays(path)
    path.write_bytes(b"not an array file at all")
    with pytest.raises(ArrayFileError):
        open_arrays(path)
