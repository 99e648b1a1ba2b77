"""Every benchmark, one after the other, each printing its own figures.

    uv run python -m bench            # bounded defaults (about 10 minutes here)
    uv run python -m bench --full     # the issues' scales (screening at 0.1, 1 and 3; about an hour)
    uv run python -m bench screen vin # only these

Each benchmark runs in its own process so that one's memory does not weigh
on the next one's peak RSS.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

#: name -> (bounded arguments, issue-scale arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "vin": ([], []),
    "generate": (["--scales", "0.1"], ["--large"]),
    "screen": (["--scales", "0.1"], ["--scales", "0.1", "1", "3"]),
    "rules": ([], []),
    "duties": ([], []),
    "tlog": ([], ["--full"]),
    "service": ([], ["--seconds", "30", "--bulk-rows", "100000"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    parser.add_argument("--full", action="store_true", help="run at the issues' scales")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    failed = []
    for name in args.names or list(BENCHMARKS):
        bounded, full = BENCHMARKS[name]
        print(f"\n== bench {name}", flush=True)
        cmd = [sys.executable, "-m", f"bench.bench_{name}", *(full if args.full else bounded)]
        if subprocess.run(cmd, check=False).returncode != 0:
            failed.append(name)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
