"""Shared helpers: run the duty SQL over a few feature rows on DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from zeromile.duties import FxRate, QuotaUsage, Schedules, _duckdb

CAR: dict[str, Any] = {
    "body": "passenger",
    "fuel": "petrol",
    "engine_cc": 2500,
    "declared_condition": "used",
    "declared_value": 30000.0,
    "currency": "USD",
}


@pytest.fixture(scope="session")
def schedules() -> Schedules:
    return Schedules.load()


def features_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    columns = sorted({k for row in rows for k in row})
    arrays = {}
    for column in columns:
        sql_type = _duckdb.FEATURE_TYPES[column]
        arrays[column] = pa.array([row.get(column) for row in rows], _duckdb._ARROW_TYPES[sql_type])
    return pa.table(arrays)


def run_rows(
    schedules: Schedules,
    rows: Sequence[dict[str, Any]],
    *,
    on: date | None = None,
    fx: Sequence[FxRate] | None = None,
    quota_usage: QuotaUsage | None = None,
) -> _duckdb.DutyResult:
    con = _duckdb.connect(fx)
    try:
        _duckdb.bind_features_table(con, features_table(rows), "test")
        return _duckdb.run(con, schedules, on=on, quota_usage=quota_usage)
    finally:
        con.close()


def totals_by_id(result: _duckdb.DutyResult) -> dict[str, tuple[float | None, str | None]]:
    return {
        r["declaration_id"]: (r["duty_amount"], r["duty_currency"])
        for r in result.totals.to_pylist()
    }


def lines_of(result: _duckdb.DutyResult, declaration_id: str) -> dict[str, float]:
    return {
        r["rule_id"]: r["amount"]
        for r in result.lines.to_pylist()
        if r["declaration_id"] == declaration_id
    }


def codes_of(result: _duckdb.DutyResult, declaration_id: str) -> set[tuple[str, str, str]]:
    return {
        (f["code"], f["severity"], f["rule_id"])
        for f in result.findings.to_pylist()
        if f["declaration_id"] == declaration_id
    }
