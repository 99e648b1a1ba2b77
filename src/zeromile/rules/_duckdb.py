"""Run rulebook SQL on DuckDB: the adapter next to the pure rulebook.

Builds a typed ``features`` table from plain rows (JSON-like dicts, dates as
ISO strings) so that explanations and tests run the very SQL the screening
runs. Missing columns are NULL; ``documents`` defaults to an empty list and
``import_date`` to ``coalesce(arrival_date, declaration_date)`` as in the
features contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from zeromile.errors import RulebookError
from zeromile.rules.features import BASE_COLUMNS


def features_table(
    con: duckdb.DuckDBPyConnection, rows: Iterable[Mapping[str, Any]], name: str = "features"
) -> None:
    """Create table ``name`` with the features schema and insert ``rows``."""
    unknown = sorted({k for row in rows for k in row} - set(BASE_COLUMNS))
    if unknown:
        raise RulebookError(f"features row has unknown column(s) {unknown}")
    columns = ", ".join(f"{c} {t}" for c, t in BASE_COLUMNS.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    names = list(BASE_COLUMNS)
    placeholders = ", ".join(f"CAST(? AS {BASE_COLUMNS[c]})" for c in names)
    for row in rows:
        full = dict(row)
        full.setdefault("documents", [])
        if full.get("import_date") is None:
            full["import_date"] = full.get("arrival_date") or full.get("declaration_date")
        if full.get("declaration_id") is None:
            raise RulebookError("features row needs a declaration_id")
        try:
            con.execute(f"INSERT INTO {name} VALUES ({placeholders})", [full.get(c) for c in names])
        except duckdb.Error as exc:
            raise RulebookError(
                f"features row {full['declaration_id']!r} does not fit the schema: {exc}"
            ) from exc


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


def run_findings(sql: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Findings of ``sql`` over ``rows``, sorted by declaration, rule and code."""
    con = duckdb.connect()
    try:
        materialised = list(rows)
        features_table(con, materialised)
        cursor = con.execute(f"SELECT * FROM ({sql}) ORDER BY declaration_id, rule_id, code")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()
