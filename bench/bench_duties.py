"""Benchmark: duty lines, totals and findings over a synthetic features relation.

    uv run python -m bench.bench_duties [--rows 200000] [--threads 2]

Prints the time of one pass that derives a feature column over the relation
(a stand-in for one screening step) and of each duty query, so the duties'
cost can be set against the screening's. The target (at most 1.5x the
screening time at scale 1, 1M declarations) is checked against the real
screening once it runs on main.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta

import duckdb
import numpy as np
import pyarrow as pa

from zeromile.duties import Schedules, duty_findings_sql, duty_lines_sql, duty_totals_sql
from zeromile.duties._duckdb import fx_table
from zeromile.duties.hs import hs_subheading_sql
from zeromile.duties.sql import duty_stages_sql

DESTINATIONS = np.array(["US", "DE", "FR", "RU", "KZ", "KG", "AE", "GB", "TZ", "KE"])
DEST_P = np.array([0.12, 0.05, 0.03, 0.30, 0.12, 0.12, 0.10, 0.04, 0.06, 0.06])
ORIGINS = np.array(["CN", "JP", "KR", "GB", "DE", "US"])
ORIGIN_P = np.array([0.45, 0.25, 0.2, 0.03, 0.05, 0.02])
FUELS = np.array(["petrol", "diesel", "hev", "phev", "bev"])
FUEL_P = np.array([0.5, 0.1, 0.15, 0.1, 0.15])
MAKES = np.array(["BYD", "Geely", "SAIC", "Toyota", "Hyundai", "Chery", "BMW"])
CURRENCIES = np.array(["USD", "EUR", "JPY", "CNY"])


def synthetic_features(rows: int, seed: int = 7) -> pa.Table:
    """A features relation with the columns the duties read (vectorised)."""
    rng = np.random.default_rng(seed)
    fuel = rng.choice(FUELS, rows, p=FUEL_P)
    engine = rng.choice(np.array([998, 1498, 1598, 1998, 2494, 3456]), rows).astype(np.int32)
    engine_cc = pa.array(engine, mask=fuel == "bev")
    start = date(2024, 9, 1)
    days = rng.integers(0, 500, rows)
    import_date = pa.array([start + timedelta(days=int(d)) for d in range(500)])
    currency = rng.choice(CURRENCIES, rows, p=[0.6, 0.2, 0.1, 0.1])
    scale = np.select([currency == "JPY", currency == "CNY"], [150.0, 7.2], 1.0)
    return pa.table(
        {
            "declaration_id": pa.array([f"D{i:08d}" for i in range(rows)]),
            "destination": rng.choice(DESTINATIONS, rows, p=DEST_P),
            "origin_of_goods": rng.choice(ORIGINS, rows, p=ORIGIN_P),
            "import_date": import_date.take(pa.array(days)),
            "declared_condition": rng.choice(np.array(["new", "used"]), rows, p=[0.3, 0.7]),
            "declared_value": rng.uniform(6000, 60000, rows) * scale,
            "currency": currency,
            "importer_kind": rng.choice(np.array(["legal_entity", "individual"]), rows),
            "make": rng.choice(MAKES, rows),
            "model_year": rng.integers(2018, 2026, rows).astype(np.int32),
            "fuel": fuel,
            "body": np.full(rows, "passenger"),
            "engine_cc": engine_cc,
            "power_kw": rng.uniform(60, 250, rows),
        }
    )


def _timed(con: duckdb.DuckDBPyConnection, label: str, sql: str) -> float:
    started = time.perf_counter()
    con.execute(f"CREATE OR REPLACE TEMP TABLE bench_out AS {sql}")
    seconds = time.perf_counter() - started
    count = con.execute("SELECT count(*) FROM bench_out").fetchone()
    print(f"{label:<36} {seconds:8.2f} s   {count[0] if count else 0:>10,} rows")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    schedules = Schedules.load()
    started = time.perf_counter()
    table = synthetic_features(args.rows)
    print(f"generated {args.rows:,} feature rows in {time.perf_counter() - started:.2f} s")
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.register("features_arrow", table)
    con.execute("CREATE TEMP TABLE raw_features AS SELECT * FROM features_arrow")
    con.register("fx_arrow", fx_table())
    con.execute("CREATE TEMP TABLE fx_rates AS SELECT * FROM fx_arrow")
    baseline = _timed(
        con,
        "feature pass (hs_subheading)",
        f"SELECT *, {hs_subheading_sql()} AS hs_subheading FROM raw_features",
    )
    con.execute("CREATE TEMP TABLE features AS SELECT * FROM bench_out")
    totals = _timed(con, "duty totals", duty_totals_sql(schedules))
    lines = _timed(con, "duty lines", duty_lines_sql(schedules))
    findings = _timed(con, "duty findings", duty_findings_sql(schedules))
    staged = 0.0
    for stage, sql in duty_stages_sql(schedules).items():
        staged += _timed(con, f"stage {stage}", sql)
        con.execute(f"CREATE OR REPLACE TEMP TABLE duty_stage_{stage} AS SELECT * FROM bench_out")
    for label, builder in (
        ("lines", duty_lines_sql),
        ("totals", duty_totals_sql),
        ("findings", duty_findings_sql),
    ):
        staged += _timed(con, f"staged {label}", builder(schedules, staged="duty_stage"))
    print(
        f"all three outputs from shared stages: {staged:.2f} s"
        f" ({staged / args.rows * 1_000_000:.2f} s per 1M declarations)"
    )
    per_million = (totals + findings) / args.rows * 1_000_000
    print(f"totals + findings: {totals + findings:.2f} s ({per_million:.2f} s per 1M declarations)")
    ratio = (totals + findings) / baseline
    print(f"lines: {lines:.2f} s; ratio (totals+findings) / feature pass: {ratio:.1f}")


if __name__ == "__main__":
    main()
