"""A DuckDB connection with the VIN reference tables loaded (tests may import duckdb)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from zeromile.vin.sql import reference_tables


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create each reference table from its (columns, rows)."""
    for name, (columns, rows) in reference_tables().items():
        arrow = pa.Table.from_pylist([dict(zip(columns, row, strict=True)) for row in rows])
        con.register("zm_tmp", arrow)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM zm_tmp")
        con.unregister("zm_tmp")


@pytest.fixture(scope="session")
def vin_con() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    load_reference_tables(con)
    yield con
    con.close()


def run_sql(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]], sql: str
) -> list[dict[str, Any]]:
    """Load rows (row_id, vin, make, year, country) as ``zm_input`` and run ``sql`` over them."""
    names = ("row_id", "vin", "declared_make", "declared_model_year", "registration_country")
    types = (pa.int32(), pa.string(), pa.string(), pa.int32(), pa.string())
    schema = pa.schema(list(zip(names, types, strict=True)))
    arrow = pa.Table.from_pylist([dict(zip(names, r, strict=True)) for r in rows], schema=schema)
    con.register("zm_input_rows", arrow)
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    result = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
    con.unregister("zm_input_rows")
    return result
