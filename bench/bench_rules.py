"""Benchmark: the full rulebook's findings query over a synthetic features relation.

    uv run python -m bench.bench_rules [--rows 200000] [--repeat 3]

Prints the time to build the features table (a stand-in for the screening's
own work), the time of the rulebook query, their ratio and throughput. The
acceptance target (screening with rules <= 1.5x without) is measured on the
real screening once it lands; this bench isolates the rulebook's share.
"""

from __future__ import annotations

import argparse
import time

import duckdb

from zeromile.rules import Rulebook
from zeromile.rules.features import BASE_COLUMNS

_GEN = """
CREATE OR REPLACE TABLE features AS
SELECT
  'D' || i AS declaration_id,
  'VIN' || i AS vin,
  'E' || (i % 500) AS exporter_id,
  ['CN','JP','KR','DE','KG','US','AE'][1 + (h % 7)] AS origin,
  ['RU','KE','JO','SY','SA','UG','PK','CL','MU','IQ','KZ','AE','BY'][1 + ((h // 7) % 13)]
    AS destination,
  DATE '2023-01-01' + CAST(h % 1400 AS INTEGER) AS declaration_date,
  CASE WHEN h % 3 = 0 THEN NULL
       ELSE DATE '2023-01-01' + CAST(h % 1400 + 20 AS INTEGER) END AS arrival_date,
  CASE WHEN h % 5 = 0 THEN 'new' ELSE 'used' END AS declared_condition,
  CAST(h % 50000 AS BIGINT) AS declared_odometer_km,
  CAST(h % 9000000 AS DOUBLE) AS declared_value,
  ['JPY','USD','CNY'][1 + (h % 3)] AS currency,
  '8703' AS hs_code,
  CASE WHEN h % 4 = 0 THEN 'legal_entity' WHEN h % 4 = 1 THEN NULL ELSE 'individual' END
    AS importer_kind,
  CASE WHEN h % 2 = 0 THEN ['CN_EXPORT_LICENCE','CN_INSPECTION_REPORT','JP_EXPORT_DEREG_CERT']
       ELSE [] END AS documents,
  TRUE AS has_vehicle,
  ['TOYOTA','ZEEKR','KIA','BYD','GEELY','BMW'][1 + (h % 6)] AS make,
  'M' AS model,
  2012 + CAST(h % 14 AS INTEGER) AS model_year,
  NULL AS built_in, NULL AS origin_of_goods,
  ['petrol','diesel','hev','phev','bev'][1 + (h % 5)] AS fuel,
  'sedan' AS body,
  CASE WHEN h % 3 = 0 THEN 'rhd' ELSE 'lhd' END AS steering,
  ['none','none','none','minor','flood','salvage'][1 + (h % 6)] AS damage,
  CASE WHEN h % 5 = 4 THEN NULL ELSE 1000 + CAST(h % 2500 AS INTEGER) END AS engine_cc,
  100.0 AS power_kw, NULL AS msrp, NULL AS msrp_currency, NULL AS wmi_make, NULL AS wmi_country,
  '8703.23' AS hs_subheading,
  DATE '2016-01-01' + CAST(h % 3600 AS INTEGER) AS first_registration_date,
  ['CN','KG','AM','JP'][1 + (h % 4)] AS first_registration_country,
  CAST(h % 12 AS VARCHAR) AS first_registration_region,
  NULL AS days_since_first_registration,
  CAST(h % 60000 AS BIGINT) AS max_odometer_km, CAST(h % 5 AS INTEGER) AS maintenance_count,
  h % 9 = 0 AS zero_mileage, (h % 100) / 100.0 AS zero_mileage_score,
  TRUE AS evidence_registrations, TRUE AS evidence_odometer, TRUE AS evidence_maintenance,
  FALSE AS evidence_inspections, TRUE AS evidence_exporters
FROM (SELECT i, CAST(hash(i) % 1000003 AS BIGINT) AS h FROM range({rows}) t(i))
"""


def _best(con: duckdb.DuckDBPyConnection, sql: str, repeat: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = con.execute(sql).fetchone()[0]  # type: ignore[index]
        best = min(best, time.perf_counter() - start)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    book = Rulebook.load()
    load_s = time.perf_counter() - start
    con = duckdb.connect()
    con.execute("SET threads = 2")
    start = time.perf_counter()
    con.execute(_GEN.format(rows=args.rows))
    build_s = time.perf_counter() - start
    con.execute(
        "CREATE OR REPLACE TABLE features AS SELECT "
        + ", ".join(
            f"CAST({c} AS {t}) AS {c}"
            if c != "import_date"
            else "coalesce(arrival_date, declaration_date) AS import_date"
            for c, t in BASE_COLUMNS.items()
        )
        + " FROM features"
    )
    scan_s, _ = _best(con, "SELECT count(*) FROM (SELECT * FROM features)", args.repeat)
    sql = book.findings_sql("features")
    rules_s, findings = _best(con, f"SELECT count(*) FROM ({sql})", args.repeat)
    mat_s, _ = _best(
        con,
        f"SELECT count(*) FROM (SELECT evidence FROM ({sql}) WHERE length(evidence) > 0)",
        args.repeat,
    )
    print(f"rulebook: {len(book.rules)} rules, load {load_s:.2f} s, SQL {len(sql):,} chars")
    print(f"rows: {args.rows:,}; features table build (stand-in for screening): {build_s:.2f} s")
    print(f"full scan of features: {scan_s:.3f} s")
    print(
        f"rulebook findings query: {rules_s:.3f} s -> {findings:,} findings "
        f"({args.rows / rules_s:,.0f} declarations/s)"
    )
    print(f"same with evidence JSON materialised: {mat_s:.3f} s")
    print(f"rulebook / features build: {mat_s / build_s:.2f}x")


if __name__ == "__main__":
    main()
