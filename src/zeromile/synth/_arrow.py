"""Vectorised builders of Arrow columns from numpy arrays.

A million-row world cannot afford a Python loop per row, so strings are built
as byte matrices and handed to Arrow as buffers; categorical columns are
``take`` from a small vocabulary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

EPOCH = dt.date(1970, 1, 1)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the integer behind Arrow's date32)."""
    return (day - EPOCH).days


def strings_from_chars(chars: npt.NDArray[np.uint8], lengths: IntArray | None = None) -> pa.Array:
    """One string per row of an ASCII byte matrix, cut to ``lengths`` when given."""
    n, width = chars.shape
    if lengths is None:
        data = np.ascontiguousarray(chars, dtype=np.uint8).tobytes()
        offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    else:
        mask = np.arange(width)[None, :] < lengths[:, None]
        data = np.ascontiguousarray(chars[mask], dtype=np.uint8).tobytes()
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)
    )


def digit_chars(numbers: IntArray, width: int) -> npt.NDArray[np.uint8]:
    """Zero-padded decimal digits of ``numbers`` as an (n, width) ASCII matrix."""
    out = np.empty((len(numbers), width), dtype=np.uint8)
    rest = numbers.astype(np.int64)
    for pos in range(width - 1, -1, -1):
        rest, digit = np.divmod(rest, 10)
        out[:, pos] = digit
    out += ord("0")
    return out


def prefixed_ids(prefix: str, numbers: IntArray, width: int) -> pa.Array:
    """Identifiers such as ``D00000042`` for every number."""
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    chars = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    chars[:, : len(head)] = head
    chars[:, len(head) :] = digit_chars(numbers, width)
    return strings_from_chars(chars)


def categorical(
    vocabulary: Sequence[str], codes: IntArray, *, null: BoolArray | None = None
) -> pa.Array:
    """Dictionary-encoded strings from a small vocabulary by integer code, null where ``null``.

    Dictionary columns cost no copy of the strings and are written to Parquet as
    plain STRING columns (see ``zeromile.synth.io``).
    """
    indices = pa.array(codes.astype(np.int32), pa.int32(), mask=null)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(vocabulary), pa.string()))


def indexed(values: pa.Array, index: IntArray) -> pa.Array:
    """``values[index]`` as a dictionary array (no copy of the strings)."""
    return pa.DictionaryArray.from_arrays(pa.array(index.astype(np.int32), pa.int32()), values)


def dates(days: IntArray, *, null: BoolArray | None = None) -> pa.Array:
    """A date32 column from day numbers."""
    return pa.array(days.astype(np.int32), pa.int32(), mask=null).cast(pa.date32())


def ints(values: IntArray, *, null: BoolArray | None = None) -> pa.Array:
    """An int64 column, null where ``null``."""
    return pa.array(values.astype(np.int64), pa.int64(), mask=null)


def floats(values: FloatArray, *, null: BoolArray | None = None) -> pa.Array:
    """A float64 column, null where ``null``."""
    return pa.array(values.astype(np.float64), pa.float64(), mask=null)


def group_starts(sorted_keys: IntArray) -> BoolArray:
    """True where a run of equal keys begins in a sorted key array."""
    starts = np.ones(len(sorted_keys), dtype=bool)
    if len(sorted_keys):
        starts[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return starts
