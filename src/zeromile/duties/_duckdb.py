"""DuckDB adapter: run the duty SQL over a features relation, a file or one car.

The only duties module that imports duckdb. It binds the features (adding
``import_date``, ``origin_of_goods`` and ``hs_subheading`` when a features
file lacks them) and the exchange rates, then runs the pure SQL of
:mod:`zeromile.duties.sql`. :func:`quote` runs the same SQL on a one-row
table, so a single quote and a million-row run share one implementation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from zeromile.duties.fx import FxRate, shipped_fx
from zeromile.duties.hs import hs_code_mismatch_sql, hs_subheading_sql
from zeromile.duties.rate_table import rate_lines_relation
from zeromile.duties.schedules import Schedules
from zeromile.duties.sql import (
    QuotaUsage,
    duty_findings_sql,
    duty_lines_sql,
    duty_stages_sql,
    duty_totals_sql,
    flow_comparison_sql,
)
from zeromile.errors import DutyError
from zeromile.sqltext import sql_string

FEATURE_TYPES: dict[str, str] = {
    "declaration_id": "VARCHAR",
    "origin": "VARCHAR",
    "destination": "VARCHAR",
    "built_in": "VARCHAR",
    "origin_of_goods": "VARCHAR",
    "declaration_date": "DATE",
    "arrival_date": "DATE",
    "import_date": "DATE",
    "declared_condition": "VARCHAR",
    "declared_value": "DOUBLE",
    "currency": "VARCHAR",
    "hs_code": "VARCHAR",
    "importer_kind": "VARCHAR",
    "make": "VARCHAR",
    "model_year": "INTEGER",
    "fuel": "VARCHAR",
    "body": "VARCHAR",
    "engine_cc": "INTEGER",
    "power_kw": "DOUBLE",
    "hs_subheading": "VARCHAR",
}
_REQUIRED = ("declaration_id", "destination")


#: The relation name under which the rate lines are registered.
RATE_LINES = "duty_rate_line_table"
_rate_line_tables: dict[str, pa.Table] = {}


def rate_lines_table(schedules: Schedules) -> pa.Table:
    """The schedules' rate lines as an Arrow table, built once per schedules version.

    Registering it costs nothing, while planning the literal relation costs
    about a quarter of a second in every query that contains it.
    """
    table = _rate_line_tables.get(schedules.version)
    if table is None:
        con = duckdb.connect()
        try:
            table = con.sql(rate_lines_relation(schedules)).to_arrow_table()
        finally:
            con.close()
        _rate_line_tables[schedules.version] = table
    return table


@dataclass(frozen=True)
class DutyResult:
    """Duty lines, totals per declaration and findings, as Arrow tables."""

    lines: pa.Table
    totals: pa.Table
    findings: pa.Table


def fx_table(rates: Sequence[FxRate] | None = None) -> pa.Table:
    """An Arrow table ``(date, currency, per_eur)``; the shipped ECB table by default."""
    rows = list(rates) if rates is not None else shipped_fx()
    return pa.table(
        {
            "date": pa.array([r.on for r in rows], pa.date32()),
            "currency": pa.array([r.currency for r in rows], pa.string()),
            "per_eur": pa.array([r.per_eur for r in rows], pa.float64()),
        }
    )


def _read_source(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    suffix = path.suffix.lower()
    reader = {
        ".parquet": "read_parquet",
        ".csv": "read_csv_auto",
        ".jsonl": "read_json_auto",
        ".json": "read_json_auto",
    }.get(suffix)
    if reader is None:
        raise DutyError(
            f"{path}: unknown features format {suffix!r} (use .parquet, .csv or .jsonl)"
        )
    if not path.is_file():
        raise DutyError(f"{path}: features file does not exist")
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW duty_source AS SELECT * FROM {reader}({sql_string(str(path))})"
        )
    except duckdb.Error as exc:
        raise DutyError(f"{path}: cannot read features: {exc}") from exc


def _bind_features(con: duckdb.DuckDBPyConnection, source: str, name: str) -> None:
    """Create the view ``features`` with every column the duties read, typed."""
    present = {row[0] for row in con.execute(f"DESCRIBE {source}").fetchall()}
    missing = [c for c in _REQUIRED if c not in present]
    if missing:
        raise DutyError(f"{name}: features lack required column(s) {missing}")
    for column, sql_type in FEATURE_TYPES.items():
        if column not in present or sql_type == "VARCHAR":
            continue
        bad = con.execute(
            f"SELECT declaration_id, CAST({column} AS VARCHAR) FROM {source} "
            f"WHERE {column} IS NOT NULL AND TRY_CAST({column} AS {sql_type}) IS NULL LIMIT 1"
        ).fetchone()
        if bad is not None:
            raise DutyError(
                f"{name}: declaration {bad[0]}, field {column}: expected {sql_type}, got {bad[1]!r}"
            )
    cols = {
        c: (f"CAST({c} AS {t})" if c in present else f"CAST(NULL AS {t})")
        for c, t in FEATURE_TYPES.items()
    }
    cols["currency"] = f"upper({cols['currency']})"
    cols["import_date"] = (
        f"coalesce({cols['import_date']}, {cols['arrival_date']}, {cols['declaration_date']})"
    )
    cols["origin_of_goods"] = (
        f"coalesce({cols['origin_of_goods']}, {cols['built_in']}, {cols['origin']})"
    )
    derived = hs_subheading_sql(cols["body"], cols["fuel"], cols["engine_cc"])
    cols["hs_subheading"] = f"coalesce({cols['hs_subheading']}, {derived})"
    select = ", ".join(f"{expr} AS {c}" for c, expr in cols.items())
    con.execute(f"CREATE OR REPLACE TEMP VIEW features AS SELECT {select} FROM {source}")


def connect(fx: Sequence[FxRate] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the table ``fx_rates``."""
    con = duckdb.connect()
    con.register("fx_rates_arrow", fx_table(fx))
    con.execute("CREATE TEMP TABLE fx_rates AS SELECT * FROM fx_rates_arrow")
    return con


def bind_features_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Bind a features file (.parquet, .csv, .jsonl) as the view ``features``."""
    _read_source(con, path)
    _bind_features(con, "duty_source", str(path))


def bind_features_table(con: duckdb.DuckDBPyConnection, table: pa.Table, name: str) -> None:
    """Bind an Arrow table of features as the view ``features``."""
    con.register("duty_source_arrow", table)
    _bind_features(con, "duty_source_arrow", name)


def run(
    con: duckdb.DuckDBPyConnection,
    schedules: Schedules,
    *,
    on: date | None = None,
    quota_usage: QuotaUsage | None = None,
) -> DutyResult:
    """Compute lines, totals and findings (duty findings and ``HS_CODE_MISMATCH``)
    over the bound ``features``.

    The two costly stages are materialised once and shared by the three queries.
    """
    try:
        con.register(RATE_LINES, rate_lines_table(schedules))
        options: dict[str, Any] = {"on": on, "quota_usage": quota_usage, "rate_lines": RATE_LINES}
        for stage, sql in duty_stages_sql(schedules, **options).items():
            con.execute(f"CREATE OR REPLACE TEMP TABLE duty_stage_{stage} AS {sql}")
        options["staged"] = "duty_stage"
        lines = con.sql(duty_lines_sql(schedules, **options)).to_arrow_table()
        totals = con.sql(duty_totals_sql(schedules, **options)).to_arrow_table()
        findings = con.sql(
            f"SELECT * FROM ({duty_findings_sql(schedules, **options)}) AS duty_findings "
            f"UNION ALL {hs_code_mismatch_sql('features')}"
        ).to_arrow_table()
    except duckdb.Error as exc:
        raise DutyError(f"duty computation failed: {exc}") from exc
    return DutyResult(lines=lines, totals=totals, findings=findings)


def compare(
    con: duckdb.DuckDBPyConnection,
    schedules: Schedules,
    *,
    on: date | None,
    vs: date | None,
    vs_schedules: Schedules | None = None,
    quota_usage: QuotaUsage | None = None,
) -> pa.Table:
    """Totals by flow (origin of goods, destination) on one date versus another,
    or under two versions of the schedules (``vs_schedules``) on the same dates."""
    other = vs_schedules or schedules
    try:
        for label, version, when in (
            ("duty_totals_on", schedules, on),
            ("duty_totals_vs", other, vs),
        ):
            sql = duty_totals_sql(version, on=when, quota_usage=quota_usage)
            con.execute(f"CREATE OR REPLACE TEMP TABLE {label} AS {sql}")
        comparison = flow_comparison_sql("features", "duty_totals_on", "duty_totals_vs")
        return con.sql(comparison).to_arrow_table()
    except duckdb.Error as exc:
        raise DutyError(f"duty comparison failed: {exc}") from exc


@dataclass(frozen=True)
class Quote:
    """The duty on one car: its lines, total and findings."""

    lines: list[dict[str, Any]]
    total: float | None
    currency: str | None
    findings: list[dict[str, Any]]


def quote(
    features_row: Mapping[str, Any],
    on: date | None = None,
    *,
    schedules: Schedules | None = None,
    fx: Sequence[FxRate] | None = None,
    quota_usage: QuotaUsage | None = None,
) -> Quote:
    """Quote one car through the same SQL as a batch (a one-row features table)."""
    row = {"declaration_id": "quote", **dict(features_row)}
    unknown = sorted(set(row) - set(FEATURE_TYPES))
    if unknown:
        raise DutyError(f"quote: unknown feature(s) {unknown}; known: {sorted(FEATURE_TYPES)}")
    if on is None and not any(
        row.get(c) for c in ("import_date", "arrival_date", "declaration_date")
    ):
        raise DutyError("quote: give a date (on=...) or an import_date")
    arrays = {
        c: pa.array([row.get(c)], _ARROW_TYPES[t]) for c, t in FEATURE_TYPES.items() if c in row
    }
    con = connect(fx)
    try:
        bind_features_table(con, pa.table(arrays), "quote")
        result = run(con, schedules or Schedules.load(), on=on, quota_usage=quota_usage)
    finally:
        con.close()
    totals = result.totals.to_pylist()
    total = totals[0]["duty_amount"] if totals else None
    currency = totals[0]["duty_currency"] if totals else None
    return Quote(
        lines=result.lines.to_pylist(),
        total=total,
        currency=currency,
        findings=result.findings.to_pylist(),
    )


_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "DOUBLE": pa.float64(),
    "INTEGER": pa.int32(),
}
