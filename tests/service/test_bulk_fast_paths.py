"""The bulk job's fast paths store what the plain per-row code stores."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pyarrow as pa
import pytest

from tests.service.conftest import Account
from zeromile.service import screening_adapter, store
from zeromile.service.context import ServiceContext
from zeromile.service.declaration_schema import DeclarationIn
from zeromile.service.declarations import DECLARATION_COLUMNS, dossier_row, screening_groups

STRINGS = [
    "plain",
    'quote " and backslash \\ and slash /',
    None,
    "accent é, CJK 浙江, emoji 😀, separator \u2028",
    "control \t\n\r\x00\x1f and DEL \x7f",
    "",
    "percent %s %d %%",
    '{"nested": "json", "list": [1, 2]}',
]


def tricky_table() -> pa.Table:
    rows = len(STRINGS)
    return pa.table(
        {
            "declaration_id": STRINGS,
            "large": pa.array(STRINGS, pa.large_string()),
            "count": pa.array([1, None, -3, 2**62, 0, 5, 6, 7], pa.int64()),
            "small": pa.array([1, 2, None, 4, 5, 6, 7, 8], pa.uint8()),
            "flag": [True, False, None, True, False, True, None, False],
            "score": [0.7311, None, float("nan"), float("inf"), -float("inf"), -0.0, 1e16, 1e-7],
            "single": pa.array([1.1, None, 2.5, 3.0, 0.1, 1e30, -2.0, 0.0], pa.float32()),
            "on": pa.array(
                [
                    dt.date(2025, 6, 1),
                    None,
                    dt.date(1, 1, 1),
                    dt.date(999, 12, 31),
                    dt.date(9999, 12, 31),
                    dt.date(1970, 1, 1),
                    dt.date(2024, 2, 29),
                    None,
                ],
                pa.date32(),
            ),
            "nothing": pa.nulls(rows),
            "codes": [["a", "é"], None, [], ['"'], ["x"], [None], ["y"], ["z"]],
            "struct": [{"a": 1, "b": "ü"}] * rows,
            "at": pa.array([dt.datetime(2025, 1, 1, 12, 30)] * rows, pa.timestamp("us")),
            'key "with" %s and é\\': ["v"] * rows,
        }
    )


def plain(table: pa.Table) -> list[str]:
    return [store.json_text(row) for row in table.to_pylist()]


def flat_table() -> pa.Table:
    """The tricky table's columns of the types a decision has: text, whole numbers,
    flags, dates, doubles (infinite ones, but not NaN, which equals nothing)."""
    table = tricky_table().drop_columns(["single", "codes", "struct", "at"])
    scores = [0.7311, None, 1e300, float("inf"), -float("inf"), -0.0, 1e16, 1e-7]
    return table.set_column(table.column_names.index("score"), "score", pa.array(scores))


def test_json_texts_parse_as_json_text_of_each_row() -> None:
    table = flat_table()
    texts = store.json_texts(table)
    assert [json.loads(t) for t in texts] == [json.loads(t) for t in plain(table)]
    assert all(t.startswith('{"declaration_id":') for t in texts)
    chunked = pa.concat_tables([table, table.slice(2, 3)])
    assert chunked.column(0).num_chunks == 2
    assert [json.loads(t) for t in store.json_texts(chunked)] == [
        json.loads(t) for t in plain(chunked)
    ]


def test_json_texts_keep_not_a_number() -> None:
    [text] = store.json_texts(pa.table({"score": [float("nan")]}))
    assert math.isnan(json.loads(text)["score"])


def test_json_texts_of_other_types_are_json_text() -> None:
    table = tricky_table()  # timestamps, single floats, lists and structs
    assert store.json_texts(table) == plain(table)


def test_json_texts_edge_tables() -> None:
    assert store.json_texts(tricky_table().slice(0, 0)) == []
    no_columns = tricky_table().select([])
    assert store.json_texts(no_columns) == plain(no_columns) == ["{}"] * no_columns.num_rows
    all_null = pa.table({"s": pa.array([None, None], pa.string()), "d": pa.nulls(2, pa.date32())})
    assert [json.loads(t) for t in store.json_texts(all_null)] == [{"s": None, "d": None}] * 2
    repeated = pa.Table.from_arrays([pa.array([1, 2]), pa.array(["a", "b"])], names=["k", "k"])
    assert store.json_texts(repeated) == plain(repeated) == ['{"k": "a"}', '{"k": "b"}']


def test_json_texts_fail_where_json_text_fails() -> None:
    decimals = pa.table({"amount": pa.array([1], pa.decimal128(5, 2))})
    with pytest.raises(TypeError):
        plain(decimals)
    with pytest.raises(TypeError):
        store.json_texts(decimals)


def body(**changes: Any) -> DeclarationIn:
    data: dict[str, Any] = {
        "declaration_id": "D-1",
        "vin": "lsvau2180n2123456",
        "exporter_id": "EXP-1",
        "origin": "CN",
        "origin_region": "Zhejiang",
        "destination": "KZ",
        "declaration_date": "2025-06-01",
        "arrival_date": "2025-06-20",
        "declared_condition": "used",
        "declared_odometer_km": 15,
        "declared_value": 12000.5,
        "currency": "USD",
        "hs_code": "8703.80",
        "importer_kind": "individual",
        "documents": ["export_licence", "service_letter"],
        "vehicle": {"make": "Zeekr"},
    }
    data.update(changes)
    return DeclarationIn.model_validate(data)


def test_dossier_row_is_the_model_dump_of_the_stored_columns() -> None:
    for declaration in (body(), body(origin_region=None, documents=[], vehicle=None)):
        row = dossier_row(declaration, "D-9", "EXP-2")
        dumped = declaration.model_dump(exclude={"vehicle"})
        dumped.update(declaration_id="D-9", exporter_id="EXP-2", vin="LSVAU2180N2123456")
        assert list(row) == list(DECLARATION_COLUMNS)
        assert row == {column: dumped[column] for column in DECLARATION_COLUMNS}
        assert row["documents"] is not declaration.documents  # a copy, as model_dump gives


def test_screen_for_storage_stores_what_screen_returns(
    context: ServiceContext, exporter: Account
) -> None:
    rows = [
        dossier_row(body(declaration_id=None, vin=f"LSVAU2180N212345{n}"), f"D-{n}", "EXP-1")
        for n in range(4)
    ]
    rows[1]["origin_region"] = 'Zhèjiāng "east"'
    with context.sessions() as session:
        [(_, tables)] = screening_groups(session, rows, {})
    outcome = screening_adapter.screen(tables)
    storable = screening_adapter.screen_for_storage(tables)
    assert outcome is not None and storable is not None
    assert storable.rejects == outcome.rejects
    stored = storable.decisions()
    assert set(stored) == set(outcome.decisions) == {f"D-{n}" for n in range(4)}
    for declaration_id, decision in outcome.decisions.items():
        verdict, text = stored[declaration_id]
        assert verdict == str(decision["verdict"])
        assert json.loads(text) == json.loads(store.json_text(decision))
        assert json.loads(text)["declaration_id"] == declaration_id
