"""Deliberately malformed declaration rows, so bad-input handling can be tested end to end.

Only declarations of cars declared once are corrupted, so no other row's
ground truth depends on a row the screening is expected to reject.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from zeromile.synth._arrow import IntArray

#: Corruption kinds valid in every format; CSV adds an impossible date.
KINDS: tuple[str, ...] = (
    "bad_condition", "bad_country", "negative_odometer", "bad_currency", "empty_vin",
)  # fmt: skip
CSV_KINDS: tuple[str, ...] = (*KINDS, "bad_date")

_REPLACEMENT: dict[str, tuple[str, pa.Scalar]] = {
    "bad_condition": ("declared_condition", pa.scalar("second-hand")),
    "bad_country": ("destination", pa.scalar("Z9")),
    "negative_odometer": ("declared_odometer_km", pa.scalar(-1234, pa.int64())),
    "bad_currency": ("currency", pa.scalar("US$")),
    "empty_vin": ("vin", pa.scalar("")),
    "bad_date": ("declaration_date", pa.scalar("2025-02-30")),
}


def corrupt(
    table: pa.Table, rows: IntArray, kinds: IntArray, vocabulary: tuple[str, ...]
) -> pa.Table:
    """Replace one field in each of ``rows`` according to ``kinds`` (indices into vocabulary)."""
    for k, name in enumerate(vocabulary):
        picked = rows[kinds == k]
        if len(picked) == 0:
            continue
        column, value = _REPLACEMENT[name]
        mask = np.zeros(table.num_rows, dtype=bool)
        mask[picked] = True
        col = table.column(column).combine_chunks()
        if value.type != col.type:
            col = col.cast(value.type)
        fixed = pc.if_else(pa.array(mask), value, col)
        index = table.schema.get_field_index(column)
        field = pa.field(column, value.type, nullable=True)
        table = table.set_column(index, field, fixed)
    return table
