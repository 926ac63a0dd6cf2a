"""Named numpy arrays as one flat buffer, and back. Pure.

The saved related corpus is some 40 arrays and 45 MB at 10,000 notes. An `.npz` archive reads
each array through `zipfile` (0.09 s at 10k, on every `vaultnet related`); this layout is a JSON
table of contents (name, dtype, shape, offset) followed by each array's bytes at an aligned
offset, written from views of the arrays (`parts`: no copy of the whole) and read with one copy
per array, or in place. Only plain numeric and boolean dtypes of up to 8 bytes are written or
read: an object array (a pickle) can neither be packed nor named by a table of contents.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np

MAGIC = b"vaultnet-arrays1"
ALIGN = 64
_KINDS = frozenset("biuf")
"""Boolean, signed and unsigned integers, floats: nothing that holds Python objects."""
WIDEST = 8
"""Bytes per item at most (no long doubles): an array read in place from a buffer aligned to 8
bytes, as a file read after its head is (`vaultnet.related.signed`), is then aligned."""


def _allowed(dtype: np.dtype) -> bool:
    return dtype.kind in _KINDS and dtype.itemsize <= WIDEST


class ArchiveError(ValueError):
    """A buffer that is not a well-formed archive (damaged or cut short)."""


def pack(arrays: dict[str, np.ndarray]) -> bytes:
    """`arrays` as one buffer."""
    return b"".join(parts(arrays))


def parts(arrays: dict[str, np.ndarray]) -> Iterator[bytes | memoryview]:
    """The buffer of `arrays` in pieces, each array's bytes as a view of it (C-ordered copies
    where needed): written one after the other without a copy of the whole."""
    table: list[list[object]] = []
    placed: list[tuple[int, np.ndarray]] = []
    offset = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if not _allowed(array.dtype):
            raise TypeError(f"{name}: cannot pack dtype {array.dtype}")
        start = _aligned(offset)
        table.append([name, array.dtype.str, list(array.shape), start])
        placed.append((start, array))
        offset = start + array.nbytes
    head = MAGIC + len(text := json.dumps(table).encode()).to_bytes(8, "little") + text
    yield head + bytes(_aligned(len(head)) - len(head))
    offset = 0
    for start, array in placed:
        yield bytes(start - offset)
        yield array.reshape(-1).view(np.uint8).data
        offset = start + array.nbytes


def unpack(buffer: bytes | bytearray | memoryview, *, copy: bool = True) -> dict[str, np.ndarray]:
    """The arrays of `buffer`; ArchiveError when it is not an archive `pack` wrote. Each is a
    copy of its own, or with `copy=False` a view of `buffer` (writable when it is): no copy, but
    any one view keeps the whole buffer alive, for a process that ends soon after, not for one
    that goes on to replace most of them."""
    view = memoryview(buffer)
    if bytes(view[: len(MAGIC)]) != MAGIC or len(view) < len(MAGIC) + 8:
        raise ArchiveError("not an array archive")
    size = int.from_bytes(view[len(MAGIC) : len(MAGIC) + 8], "little")
    head_at = len(MAGIC) + 8
    if head_at + size > len(view):
        raise ArchiveError("table of contents cut short")
    try:
        table = json.loads(bytes(view[head_at : head_at + size]))
    except ValueError as error:
        raise ArchiveError(f"table of contents unreadable: {error}") from error
    body = view[_aligned(head_at + size) :]
    arrays: dict[str, np.ndarray] = {}
    for entry in table:
        name, dtype, shape, at = _entry(entry)
        count = int(np.prod(shape, dtype=np.int64))
        end = at + count * dtype.itemsize
        if at % ALIGN or end > len(body):
            raise ArchiveError(f"{name}: outside the archive")
        array = np.frombuffer(body, dtype, count, at).reshape(shape)
        arrays[name] = array.copy() if copy else array
    return arrays


def _entry(entry: object) -> tuple[str, np.dtype, tuple[int, ...], int]:
    unreadable = ArchiveError(f"a table entry is unreadable: {entry!r:.80}")
    if not isinstance(entry, list) or len(entry) != 4:
        raise unreadable
    name, code, shape, at = entry
    try:
        dtype = np.dtype(code)
        dims = tuple(int(n) for n in shape)
    except (TypeError, ValueError) as error:
        raise unreadable from error
    if not isinstance(name, str) or not isinstance(at, int) or at < 0 or min(dims, default=0) < 0:
        raise unreadable
    if not _allowed(dtype):
        raise ArchiveError(f"{name}: dtype {dtype} is not allowed")
    return name, dtype, dims, at


def _aligned(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN
