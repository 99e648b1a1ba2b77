"""How fast VINs are explained: the Python API per VIN, and the SQL twin in DuckDB per million.

    uv run python -m bench.bench_vin [--rows 1000000] [--python-rows 100000]

Prints figures; asserts nothing. Inputs are random VINs over real export WMIs
(about a tenth with a wrong check digit, some chassis numbers and junk).
"""

from __future__ import annotations

import argparse
import random
import time

import duckdb
import pyarrow as pa

from zeromile.vin import explain_vin, with_check_digit
from zeromile.vin.sql import reference_tables, vin_identity_sql
from zeromile.vin.syntax import VIN_ALPHABET

WMIS = ["LRW", "LGX", "LC0", "LB3", "LGW", "LSJ", "KMH", "KNA", "JTD", "JN1", "1FT", "WDD", "XTA"]
MAKES = ["Tesla", "BYD", "Geely", "Haval", "MG", "Hyundai", "Kia", "Toyota", "Nissan", None]


def make_inputs(n: int, seed: int = 7) -> pa.Table:
    rng = random.Random(seed)
    vins: list[str] = []
    for i in range(n):
        if i % 50 == 0:
            vins.append(f"ZVW30-{rng.randrange(10**6, 10**7)}")
            continue
        body = "".join(rng.choices(VIN_ALPHABET, k=14))
        vin = with_check_digit(rng.choice(WMIS) + body)
        if i % 10 == 1:
            vin = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]
        vins.append(vin)
    return pa.table(
        {
            "vin": vins,
            "declared_make": [rng.choice(MAKES) for _ in range(n)],
            "declared_model_year": [rng.randrange(2005, 2027) for _ in range(n)],
            "registration_country": [rng.choice(["JP", "CN", "KR", None]) for _ in range(n)],
        }
    )


def bench_python(table: pa.Table) -> None:
    rows = table.to_pylist()
    start = time.perf_counter()
    for r in rows:
        explain_vin(
            r["vin"],
            declared_make=r["declared_make"],
            declared_model_year=r["declared_model_year"],
            registration_country=r["registration_country"],
        )
    took = time.perf_counter() - start
    print(f"python explain_vin: {len(rows):,} rows in {took:.2f} s ({len(rows) / took:,.0f}/s)")


def bench_sql(table: pa.Table) -> None:
    con = duckdb.connect()
    start = time.perf_counter()
    for name, (columns, rows) in reference_tables().items():
        con.register(
            "tmp", pa.Table.from_pylist([dict(zip(columns, r, strict=True)) for r in rows])
        )
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM tmp")
        con.unregister("tmp")
    print(f"reference tables built and loaded in {time.perf_counter() - start:.2f} s")
    con.register("declarations", table)
    sql = vin_identity_sql("declarations")
    start = time.perf_counter()
    con.execute(f"CREATE TABLE identity AS {sql}")
    took = time.perf_counter() - start
    kinds = con.execute(
        "SELECT vin_kind, count(*), count(*) FILTER (WHERE check_digit_mandatory "
        "AND NOT check_digit_ok), count(*) FILTER (WHERE make_mismatch) "
        "FROM identity GROUP BY ALL ORDER BY 1"
    ).fetchall()
    print(
        f"duckdb {duckdb.__version__} SQL: {table.num_rows:,} rows in {took:.2f} s "
        f"({table.num_rows / took:,.0f}/s)"
    )
    for kind, count, bad_digit, make_mismatch in kinds:
        print(
            f"  {kind}: {count:,} (check digit wrong where mandatory {bad_digit:,}, "
            f"make mismatch {make_mismatch:,})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for the SQL run")
    parser.add_argument("--python-rows", type=int, default=100_000, help="rows for Python")
    args = parser.parse_args()
    start = time.perf_counter()
    table = make_inputs(args.rows)
    print(f"generated {args.rows:,} inputs in {time.perf_counter() - start:.2f} s")
    bench_python(table.slice(0, args.python_rows))
    bench_sql(table)


if __name__ == "__main__":
    main()
