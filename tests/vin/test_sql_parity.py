"""The SQL twin and the Python API give identical answers, row for row.

Runs :func:`zeromile.vin.sql.vin_identity_sql` in DuckDB and
:func:`zeromile.vin.explain_vin` over the same inputs: real VINs (vPIC
fixtures), hypothesis-generated VINs, near-VINs and chassis numbers.
"""

from __future__ import annotations

from typing import Any

import duckdb
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.vin.conftest import run_sql
from tests.vin.real_vins import VPIC_DECODED
from tests.vin.strategies import (
    countries,
    declared_makes,
    declared_years,
    jp_chassis,
    near_vins,
    raw_vins,
    valid_vins,
)
from zeromile.vin import explain_vin
from zeromile.vin.sql import OUTPUT_COLUMNS, vin_identity_sql

SQL = vin_identity_sql("zm_input_rows", carry=("row_id",))

Row = tuple[int, str | None, str | None, int | None, str | None]


def python_answer(row: Row) -> dict[str, Any]:
    _, vin, make, year, country = row
    exp = explain_vin(
        vin, declared_make=make, declared_model_year=year, registration_country=country
    )
    return {
        "vin_kind": exp.vin_kind,
        "vin_invalid_reason": exp.vin_invalid_reason,
        "check_digit_expected": exp.check_digit_expected,
        "check_digit_found": exp.check_digit_found,
        "check_digit_mandatory": exp.check_digit_mandatory,
        "check_digit_ok": exp.check_digit_ok,
        "wmi": exp.wmi,
        "wmi_make": exp.wmi_make,
        "wmi_manufacturer": exp.wmi_manufacturer,
        "wmi_country": exp.wmi_country,
        "wmi_country_reliable": exp.wmi_country_reliable,
        "year_candidates": None if exp.year_candidates is None else list(exp.year_candidates),
        "decoded_model_year": exp.decoded_model_year,
        "make_mismatch": exp.make_mismatch,
        "year_mismatch": exp.year_mismatch,
    }


def assert_same(con: duckdb.DuckDBPyConnection, rows: list[Row]) -> None:
    by_id = {r["row_id"]: r for r in run_sql(con, rows, SQL)}
    assert len(by_id) == len(rows), "the SQL must yield exactly one row per input row"
    for row in rows:
        sql_row = {col: by_id[row[0]][col] for col in OUTPUT_COLUMNS}
        assert sql_row == python_answer(row), row


def test_real_vins_agree(vin_con: duckdb.DuckDBPyConnection) -> None:
    rows: list[Row] = []
    for i, (vin, make, year) in enumerate(VPIC_DECODED):
        rows.append((4 * i, vin, make, year, None))
        rows.append((4 * i + 1, vin, None, None, "US"))
        rows.append((4 * i + 2, vin, "Kia", year + 1, None))
        rows.append((4 * i + 3, vin.lower() + " ", " mercedes benz", year - 30, "JP"))
    assert_same(vin_con, rows)


def test_edge_cases_agree(vin_con: duckdb.DuckDBPyConnection) -> None:
    edge: list[tuple[str | None, str | None, int | None, str | None]] = [
        (None, None, None, None),
        ("", "", None, ""),
        ("   ", "  ", 2020, "JP"),
        ("ZVW30-1234567", "Toyota", 2012, "JP"),
        ("ZVW30-1234567", "Toyota", 2012, None),
        ("zvw30-1234567", None, None, " jp "),
        ("1FTFW5L86RFB4561O", None, None, None),
        ("1FTFW5L86RFB4561", None, None, None),
        ("1FTFW5L86RFB4561é", None, None, None),
        ("WDD222182ZA000001", "Mercedes", 2015, None),
        ("L9Z00000000000001", "Geely", None, None),
        ("LGWEF6A50RH000001", "Haval", 2024, "CN"),
    ]
    assert_same(vin_con, [(i, *r) for i, r in enumerate(edge)])


inputs = st.tuples(
    st.one_of(valid_vins(), raw_vins(), near_vins, jp_chassis, st.none()),
    declared_makes,
    declared_years,
    countries,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(inputs, min_size=1, max_size=80))
def test_generated_inputs_agree(
    vin_con: duckdb.DuckDBPyConnection,
    batch: list[tuple[str | None, str | None, int | None, str | None]],
) -> None:
    assert_same(vin_con, [(i, *r) for i, r in enumerate(batch)])


def test_the_sql_transpiles_to_spark() -> None:
    spark = sqlglot.transpile(SQL, read="duckdb", write="spark")
    assert len(spark) == 1
    assert "RLIKE" in spark[0] and "ARRAY(" in spark[0]
    sqlglot.parse_one(spark[0], read="spark")  # and Spark's parser reads it back


def test_the_sql_rejects_identifiers_it_would_have_to_quote() -> None:
    import pytest

    from zeromile.errors import VinError

    with pytest.raises(VinError, match="relation"):
        vin_identity_sql("t; DROP TABLE x")
    with pytest.raises(VinError, match="clash"):
        vin_identity_sql("t", carry=("vin", "wmi_make"))


def test_a_text_model_year_column_is_read_as_a_number_or_ignored(
    vin_con: duckdb.DuckDBPyConnection,
) -> None:
    vin_con.execute(
        "CREATE OR REPLACE TEMP TABLE zm_text_years AS SELECT * FROM (VALUES "
        "('JTDBBRBE6LJ007243', 'Toyota', '2020', NULL), "
        "('JTDBBRBE6LJ007243', 'Toyota', 'unknown', NULL)) "
        "AS t(vin, declared_make, declared_model_year, registration_country)"
    )
    rows = vin_con.execute(
        vin_identity_sql("zm_text_years", carry=("declared_model_year",))
        + " ORDER BY declared_model_year"
    ).fetchall()
    decoded = {r[0]: (r[-3], r[-1]) for r in rows}  # decoded_model_year, year_mismatch
    assert decoded == {"2020": (2020, False), "unknown": (None, None)}
