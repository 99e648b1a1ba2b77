"""Time and peak memory of ``zeromile generate`` at scales 0.1 and 1 (and 3 with --large).

Each scale runs in a fresh process so the peak resident size is that run's own.

    uv run python -m bench.bench_generate            # scales 0.1 and 1
    uv run python -m bench.bench_generate --large    # adds scale 3
    uv run python -m bench.bench_generate --scales 0.01 0.1
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from zeromile.synth import WorldConfig, generate_world, write_world
scale, out, fmt = float(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
t0 = time.perf_counter()
world = generate_world(WorldConfig(scale=scale, seed=1, file_format=fmt))
t1 = time.perf_counter()
write_world(world, out, fmt)
t2 = time.perf_counter()
print(json.dumps({"generate_s": t1 - t0, "write_s": t2 - t1, "rows": world.summary["rows"],
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(scale: float, file_format: str) -> dict[str, object]:
    """Generate and write one world in a child process; return its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(scale), tmp, file_format],
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    figures: dict[str, object] = json.loads(done.stdout)
    figures.update(
        {"scale": scale, "format": file_format, "wall_s": wall, "disk_mib": size / 2**20}
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also run scale 3")
    parser.add_argument("--scales", type=float, nargs="*", default=None)
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    args = parser.parse_args()
    scales = args.scales or [0.1, 1.0, *([3.0] if args.large else [])]
    print(
        f"{'scale':>6} {'decl':>10} {'odometer':>11} {'maint':>11} {'gen s':>7} "
        f"{'write s':>8} {'wall s':>7} {'peak MiB':>9} {'disk MiB':>9}"
    )
    for scale in scales:
        f = run(scale, args.format)
        rows = f["rows"]
        assert isinstance(rows, dict)
        print(
            f"{scale:>6} {rows['declarations']:>10,} {rows['odometer']:>11,} "
            f"{rows['maintenance']:>11,} {f['generate_s']:>7.1f} {f['write_s']:>8.1f} "
            f"{f['wall_s']:>7.1f} {f['peak_rss_mib']:>9,.0f} {f['disk_mib']:>9,.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
