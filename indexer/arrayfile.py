"""A file of named numpy arrays and a JSON header, memory-mapped read-only when opened.

Layout: an 8-byte magic, the header's length (8 bytes, little-endian), the header (JSON: each
array's dtype, shape and offset, the file's total size, and free-form metadata), then each
array's bytes, aligned to 64. Opening maps the file once and hands out `np.frombuffer` views, so
every process that opens the same file shares its pages through the page cache and nothing is
copied or decoded until a query reads it.

A mapped file that shrinks under a reader kills it with SIGBUS; the files are immutable once
written (temporary name, then rename), their size is checked against the header when opened,
and the generation's seal is checked before every request (indexer/location.py).
"""

from __future__ import annotations

import json
import mmap
import os
from pathlib import Path

import numpy as np

MAGIC = b"FZARRAY1"
ALIGN = 64


class ArrayFileError(ValueError):
    """The file is not an array file, or not whole."""


def write(path: Path, arrays: dict[str, np.ndarray], meta: dict | None = None) -> None:
    """Temporary file, then rename: a killed build never leaves half a file under the real name."""
    entries, offset = {}, 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        entries[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset += _padded(array.nbytes)
    header = {"arrays": entries, "meta": meta or {}, "data_bytes": offset}
    raw = json.dumps(header, ensure_ascii=False).encode("utf-8")
    start = _padded(len(MAGIC) + 8 + len(raw))
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as out:
        out.write(MAGIC + len(raw).to_bytes(8, "little") + raw)
        out.write(b"\0" * (start - out.tell()))
        for array in arrays.values():
            data = np.ascontiguousarray(array).tobytes()
            out.write(data + b"\0" * (_padded(len(data)) - len(data)))
    os.replace(tmp, path)


def read_meta(path: Path) -> dict:
    """Only the header's metadata (no array is mapped)."""
    with open(path, "rb") as f:
        return _header(f.read(len(MAGIC) + 8), f)[0]["meta"]


def open_arrays(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    """Every array, as read-only views of one shared mapping, and the metadata."""
    with open(path, "rb") as f:
        header, start = _header(f.read(len(MAGIC) + 8), f)
        size = os.fstat(f.fileno()).st_size
        if size != start + header["data_bytes"]:
            raise ArrayFileError(
                f"{path.name} 不完整（{size} 字节，应为 {start + header['data_bytes']}）"
            )
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    arrays = {}
    for name, entry in header["arrays"].items():
        dtype = np.dtype(entry["dtype"])
        count = int(np.prod(entry["shape"], dtype=np.int64))
        array = np.frombuffer(mapped, dtype=dtype, count=count, offset=start + entry["offset"])
        arrays[name] = array.reshape(entry["shape"])
    return arrays, header["meta"]


PAGE = 4096


def prefault(array: np.ndarray) -> None:
    """Touch every page of the mapping behind an array of `open_arrays` (nothing for another
    array): a server's master does it before it forks, so that its workers inherit the page
    tables and their first queries do not stall on page faults."""
    base = array
    while isinstance(base, np.ndarray):
        base = base.base
    if isinstance(base, mmap.mmap) and len(base):
        np.frombuffer(base, dtype=np.uint8)[::PAGE].max()


def _header(head: bytes, f) -> tuple[dict, int]:
    if len(head) < len(MAGIC) + 8 or head[: len(MAGIC)] != MAGIC:
        raise ArrayFileError("不是索引的数组文件")
    length = int.from_bytes(head[len(MAGIC) :], "little")
    raw = f.read(length)
    if len(raw) != length:
        raise ArrayFileError("数组文件的文件头不完整")
    return json.loads(raw.decode("utf-8")), _padded(len(MAGIC) + 8 + length)


def _padded(n: int) -> int:
    return -(-n // ALIGN) * ALIGN
