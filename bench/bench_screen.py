"""Screening speed and memory on the synthetic world, beside a hand-written floor.

For each scale: wall time and peak RSS of `zeromile screen` with the rulebook
and duties, without them, and of a single hand-written DuckDB query that
computes only the zero-mileage and rollback flags over the same files (the
floor). Targets: full screening within 2x the floor, under 4 GiB; rules and
duties within 1.5x of screening without them; cost about linear in scale.

The floor runs without a memory limit, as a one-off query would; beside it,
the same query under the screening's default limit (the capped floor) shows
what that limit costs where the data outgrow it.

Wall times on a shared two-core machine vary by a tenth from run to run, so
each scale runs ``--repeat`` rounds of floor, core and full, one after the
other, and prints the median of each time and of the rounds' ratios (peak
RSS: the highest seen).

    uv run python -m bench.bench_screen                 # scales 0.1 and 1
    uv run python -m bench.bench_screen --scales 0.1 1 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
from pathlib import Path

from bench._measure import Measured, measure, python
from zeromile.cli.screen import MEMORY_LIMIT

OUT = Path(__file__).resolve().parent / "out"

FLOOR_SQL = """
SET threads = {threads};{memory}
COPY (
WITH readings AS (
  SELECT vin, reading_date AS d, km FROM read_parquet('{w}/odometer.parquet')
  UNION ALL SELECT vin, service_date, km FROM read_parquet('{w}/maintenance.parquet') WHERE km IS NOT NULL
  UNION ALL SELECT vin, inspection_date, odometer_km FROM read_parquet('{w}/inspections.parquet')
    WHERE odometer_km IS NOT NULL
  UNION ALL SELECT vin, declaration_date, declared_odometer_km FROM read_parquet('{w}/declarations.parquet')
    WHERE declared_odometer_km IS NOT NULL),
prev AS (
  SELECT vin, d, km, max(km) OVER (PARTITION BY vin ORDER BY d
    RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL 1 DAY PRECEDING) AS prev_max FROM readings),
rb AS (SELECT vin, min(d) AS first_rollback FROM prev WHERE prev_max - km > 100 GROUP BY vin),
fr AS (SELECT vin, min(event_date) AS first_reg FROM read_parquet('{w}/registrations.parquet')
       WHERE event = 'first_registration' GROUP BY vin),
decl AS (SELECT * FROM read_parquet('{w}/declarations.parquet'))
SELECT d.declaration_id,
       coalesce(d.declared_condition = 'used' AND max(r.km) <= 500
         AND date_diff('day', any_value(fr.first_reg), d.declaration_date) BETWEEN 0 AND 365, FALSE)
         AS zero_mileage,
       coalesce(any_value(rb.first_rollback) <= d.declaration_date, FALSE) AS rollback
FROM decl d
LEFT JOIN readings r ON r.vin = d.vin AND r.d <= d.declaration_date
LEFT JOIN fr ON fr.vin = d.vin
LEFT JOIN rb ON rb.vin = d.vin
GROUP BY d.declaration_id, d.declared_condition, d.declaration_date
) TO '{out}' (FORMAT parquet);
"""


def world(scale: float, seed: int) -> Path:
    """Generate (once) the world of this scale and seed."""
    folder = OUT / f"world-s{scale}-seed{seed}"
    if not (folder / "truth.parquet").exists():
        cmd = python("-m", "zeromile", "generate", "--out", str(folder))
        measure([*cmd, "--scale", str(scale), "--seed", str(seed)])
    return folder


def warm_up(seed: int) -> None:
    """Screen a tiny world once, unmeasured, with bytecode caching allowed.

    Where ``PYTHONDONTWRITEBYTECODE`` is set, every process would compile the
    project and its libraries from source (about 1.7 s here); an installed
    environment has that bytecode, so the measured runs read it instead.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    folder = world(0.001, seed)
    for args in (
        python(
            "-m", "zeromile", "screen", str(folder / "dossier"), "--out", str(folder / "d.parquet")
        ),
        python("-c", "import duckdb"),
    ):
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)


def floor(folder: Path, threads: int, *, capped: bool = False) -> Measured:
    """The floor query; ``capped``: under the screening's default memory limit."""
    memory = (
        f"\nSET memory_limit = '{MEMORY_LIMIT}';\nSET temp_directory = '{folder / 'floor-spill'}';"
        if capped
        else ""
    )
    sql = FLOOR_SQL.format(
        w=folder / "dossier", out=folder / "floor.parquet", threads=threads, memory=memory
    )
    script = (
        "import duckdb\ncon = duckdb.connect()\n"
        f"for stmt in {sql!r}.split(';'):\n"
        "    if stmt.strip():\n        con.execute(stmt).fetchall()\n"
    )
    return measure(python("-c", script))


def screen(folder: Path, *, rules: bool, threads: int) -> Measured:
    flags = [] if rules else ["--no-rules", "--no-duties"]
    return measure(
        python(
            "-m",
            "zeromile",
            "screen",
            str(folder / "dossier"),
            "--out",
            str(folder / ("decisions.parquet" if rules else "decisions-core.parquet")),
            "--threads",
            str(threads),
            *flags,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="rounds per scale (medians)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    warm_up(args.seed)
    print(
        f"{'scale':>6} {'floor s':>8} {'core s':>8} {'full s':>8} {'full/floor':>10} "
        f"{'full/core':>9} {'full RSS MiB':>12} {'floor RSS MiB':>13} {'s per 1M decl':>13} "
        f"{'capped floor s':>14} {'full/capped':>11}  full/floor of each round"
    )
    for scale in args.scales:
        folder = world(scale, args.seed)
        rounds = []
        for _ in range(max(1, args.repeat)):
            f = floor(folder, args.threads)
            core = screen(folder, rules=False, threads=args.threads)
            full = screen(folder, rules=True, threads=args.threads)
            capped = floor(folder, args.threads, capped=True)
            rounds.append((f, core, full, capped))
        fs, cs, us, caps = ([r[i].seconds for r in rounds] for i in range(4))
        ratios = [u / f for f, u in zip(fs, us, strict=True)]
        full_s = statistics.median(us)
        print(
            f"{scale:>6} {statistics.median(fs):>8.1f} {statistics.median(cs):>8.1f} "
            f"{full_s:>8.1f} {statistics.median(ratios):>10.2f} "
            f"{statistics.median(u / c for c, u in zip(cs, us, strict=True)):>9.2f} "
            f"{max(r[2].peak_rss_mib for r in rounds):>12.0f} "
            f"{max(r[0].peak_rss_mib for r in rounds):>13.0f} {full_s / scale:>13.1f} "
            f"{statistics.median(caps):>14.1f} "
            f"{statistics.median(u / c for c, u in zip(caps, us, strict=True)):>11.2f}"
            f"  {' '.join(f'{x:.2f}' for x in ratios)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
