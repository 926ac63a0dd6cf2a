"""The flat array archive the saved related corpus is written in (`vaultnet.related.archive`)."""

from __future__ import annotations

import json

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.related import archive, signed
from vaultnet.related.archive import ArchiveError

DTYPES = st.sampled_from([np.bool_, np.int32, np.int64, np.uint8, np.float32, np.float64])
ARRAYS = st.dictionaries(
    st.text(min_size=1, max_size=12),
    DTYPES.flatmap(lambda d: hnp.arrays(d, hnp.array_shapes(min_dims=1, max_dims=2, min_side=0))),
    max_size=6,
)


@given(ARRAYS, st.booleans())
def test_arrays_come_back_equal_aligned_and_writable(
    arrays: dict[str, np.ndarray], copy: bool
) -> None:
    file = bytearray(signed.HEAD) + archive.pack(arrays)  # the archive after the file's head
    back = archive.unpack(memoryview(file)[signed.HEAD :], copy=copy)
    assert list(back) == list(arrays)
    for name, array in arrays.items():
        assert back[name].dtype == array.dtype and back[name].shape == array.shape
        assert np.array_equal(back[name], array, equal_nan=array.dtype.kind == "f")
        assert back[name].flags.aligned
        assert back[name].flags.writeable


def test_arrays_are_their_own_not_views_of_the_buffer() -> None:
    """A view would keep the whole file's bytes alive for as long as any one array lives."""
    buffer = archive.pack({"a": np.arange(3), "b": np.ones(2)})
    back = archive.unpack(buffer)
    assert all(array.base is None and array.flags.writeable for array in back.values())


def test_in_place_arrays_are_views_of_the_buffer_each_its_own_span() -> None:
    """`copy=False` (a process that ends soon after): no copy; writing one array leaves the
    others as they were, and a read-only buffer gives read-only arrays."""
    buffer = bytearray(archive.pack({"a": np.arange(3), "b": np.ones(2), "c": np.zeros(1)}))
    back = archive.unpack(buffer, copy=False)
    assert all(array.base is not None for array in back.values())
    back["b"][:] = 7.0
    assert back["a"].tolist() == [0, 1, 2] and back["c"].tolist() == [0.0]
    assert archive.unpack(buffer)["b"].tolist() == [7.0, 7.0]  # written through to the buffer
    frozen = archive.unpack(bytes(buffer), copy=False)
    assert not frozen["a"].flags.writeable


def test_arrays_of_python_objects_are_never_packed() -> None:
    with pytest.raises(TypeError, match="cannot pack dtype object"):
        archive.pack({"a": np.array([{"x": 1}], dtype=object)})


@pytest.mark.skipif(np.dtype(np.longdouble).itemsize <= 8, reason="long double is a double here")
def test_items_wider_than_eight_bytes_are_neither_packed_nor_read() -> None:
    """An array read in place is aligned to 8 bytes only (after the file's head)."""
    wide = np.dtype(np.longdouble)
    with pytest.raises(TypeError, match="cannot pack dtype"):
        archive.pack({"a": np.zeros(2, dtype=wide)})
    with pytest.raises(ArchiveError, match="not allowed"):
        archive.unpack(_forged([["a", wide.str, [1], 0]]))


def _forged(table: object, body: bytes = bytes(64)) -> bytearray:
    head = json.dumps(table).encode()
    out = archive.MAGIC + len(head).to_bytes(8, "little") + head
    return bytearray(out + bytes(-len(out) % archive.ALIGN) + body)


@pytest.mark.parametrize(
    ("buffer", "message"),
    [
        (bytearray(b"PK\x03\x04 an npz of an earlier version"), "not an array archive"),
        (bytearray(archive.MAGIC + (1000).to_bytes(8, "little") + b"[]"), "cut short"),
        (bytearray(archive.MAGIC + (2).to_bytes(8, "little") + b"[{"), "unreadable"),
        (_forged([["a", "<i8", [9], 0]]), "a: outside the archive"),
        (_forged([["a", "<i8", [1], 8]]), "a: outside the archive"),  # not aligned
        (_forged([["a", "|O", [1], 0]]), "a: dtype object is not allowed"),
        (_forged([["a", "<i8", [-1], 0]]), "a table entry is unreadable"),
        (_forged([["a", "no such dtype", [1], 0]]), "a table entry is unreadable"),
        (_forged([["a", "<i8"]]), "a table entry is unreadable"),
        (_forged({"a": 1}), "a table entry is unreadable"),
    ],
)
def test_a_damaged_or_forged_archive_is_an_archive_error(buffer: bytearray, message: str) -> None:
    with pytest.raises(ArchiveError, match=message):
        archive.unpack(buffer)


def test_an_archive_cut_anywhere_is_an_error() -> None:
    whole = archive.pack({"a": np.arange(40), "b": np.ones(5, dtype=np.float32)})
    for end in range(len(whole)):
        try:
            archive.unpack(bytearray(whole[:end]))
        except ArchiveError:
            continue
        pytest.fail(f"a cut at byte {end} of {len(whole)} was read")
