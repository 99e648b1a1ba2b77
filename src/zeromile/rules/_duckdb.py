"""Run rulebook SQL on DuckDB: the adapter next to the pure rulebook.

Builds a typed ``features`` table from plain rows (JSON-like dicts, dates as
ISO strings) so that explanations and tests run the very SQL the screening
runs. Missing columns are NULL; ``documents`` defaults to an empty list and
``import_date`` to ``coalesce(arrival_date, declaration_date)`` as in the
features contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from zeromile.errors import RulebookError
from zeromile.rules.features import BASE_COLUMNS

_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "VARCHAR[]": pa.list_(pa.string()),
}
_SCHEMA = pa.schema([(c, _ARROW_TYPES[t]) for c, t in BASE_COLUMNS.items()])


def features_table(
    con: duckdb.DuckDBPyConnection, rows: Iterable[Mapping[str, Any]], name: str = "features"
) -> None:
    """Create table ``name`` with the features schema and insert ``rows``."""
    prepared = [_prepare(row) for row in rows]
    try:
        table = pa.Table.from_pylist(prepared, schema=_SCHEMA)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise RulebookError(f"features rows do not fit the schema: {exc}") from exc
    con.register("_zm_rows", table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _zm_rows")
    finally:
        con.unregister("_zm_rows")


def _prepare(row: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(row) - set(BASE_COLUMNS))
    ident = row.get("declaration_id")
    if unknown:
        raise RulebookError(f"features row {ident!r}: unknown column(s) {unknown}")
    if ident is None:
        raise RulebookError("features row needs a declaration_id")
    full = dict(row)
    for column, value in row.items():
        if BASE_COLUMNS[column] == "DATE" and isinstance(value, str):
            try:
                full[column] = date.fromisoformat(value)
            except ValueError as exc:
                raise RulebookError(
                    f"features row {ident!r}: column {column}: expected a date YYYY-MM-DD, "
                    f"got {value!r}"
                ) from exc
    if full.get("documents") is None:
        full["documents"] = []
    if full.get("import_date") is None:
        full["import_date"] = full.get("arrival_date") or full.get("declaration_date")
    return full


def run_on_row(sql: str, row: Mapping[str, Any]) -> Mapping[str, Any]:
    """Run ``sql`` over a one-row ``features`` table; return the single result row."""
    con = duckdb.connect()
    try:
        features_table(con, [row])
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        result = cursor.fetchone()
    finally:
        con.close()
    if result is None:
        raise RulebookError("explain query returned no row")
    return dict(zip(names, result, strict=True))


def run_query(sql: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Result rows of ``sql`` over a ``features`` table holding ``rows``."""
    con = duckdb.connect()
    try:
        features_table(con, list(rows))
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()


def run_findings(sql: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Findings of ``sql`` over ``rows``, sorted by declaration, rule and code."""
    return run_query(f"SELECT * FROM ({sql}) ORDER BY declaration_id, rule_id, code", rows)
