"""Transparency-log speed: durable batched appends, inclusion-proof latency, storage.

    uv run python -m bench.bench_tlog            # 1,000,000 entries (about 15 s)
    uv run python -m bench.bench_tlog --full     # 10,000,000 entries (a few minutes, ~3 GB)

Targets: >= 100,000 appended 200-byte entries per second with every batch fsynced and
committed; median inclusion-proof generation <= 1 ms at 10 million entries.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import time
from pathlib import Path

from zeromile.tlog.merkle import leaf_hash, verify_consistency, verify_inclusion
from zeromile.tlog.note import Signer
from zeromile.tlog.reader import LogReader
from zeromile.tlog.storage import LogWriter

ENTRY_SIZE = 200


def make_batch(start: int, n: int) -> list[bytes]:
    pad = b"z" * (ENTRY_SIZE - 8)
    return [(start + i).to_bytes(8, "big") + pad for i in range(n)]


def bench_append(directory: Path, total: int, batch: int) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    signer = Signer("bench.zeromile.example/log", bytes(32))
    lock = directory.with_name(directory.name + ".lock")
    spent = 0.0
    cpu = 0.0
    rates: list[float] = []
    with LogWriter.create(directory, signer, lock_path=lock) as writer:
        while writer.size < total:
            entries = make_batch(writer.size, min(batch, total - writer.size))
            t0, c0 = time.perf_counter(), time.process_time()
            writer.append(entries)
            dt = time.perf_counter() - t0
            cpu += time.process_time() - c0
            spent += dt
            rates.append(len(entries) / dt)
    apparent = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
    on_disk = sum(p.stat().st_blocks * 512 for p in directory.rglob("*") if p.is_file())
    print(f"append: {total:,} entries of {ENTRY_SIZE} B in batches of {batch:,}")
    print(f"  throughput   {total / spent:,.0f} entries/s (durable; {spent:.1f} s appending)")
    print(f"  cpu          {cpu:.1f} s of CPU, i.e. {total / cpu:,.0f} entries per CPU-second")
    print(f"  load         {os.getloadavg()[0]:.1f} (1-min load average at the end)")
    print(f"  per batch    min {min(rates):,.0f}  median {statistics.median(rates):,.0f} entries/s")
    print(f"  storage      {apparent / total:.1f} B/entry (file bytes), "
          f"{on_disk / total:.1f} B/entry (disk blocks)")  # fmt: skip


def bench_proofs(directory: Path, samples: int) -> None:
    reader = LogReader(directory)
    checkpoint = reader.checkpoint()
    size = checkpoint.size
    rng = random.Random(7)
    indices = [rng.randrange(size) for _ in range(samples)]
    timings: list[float] = []
    for index in indices:
        t0 = time.perf_counter()
        proof = reader.inclusion_proof(index, size)
        timings.append(time.perf_counter() - t0)
    for index in indices[:50]:
        entry = reader.entry(index, size)
        verify_inclusion(
            index, size, leaf_hash(entry), reader.inclusion_proof(index, size), checkpoint.root
        )
    timings.sort()
    ms = [t * 1000 for t in timings]
    print(f"inclusion proofs at {size:,} entries, {samples:,} random indices, cold reader:")
    print(f"  median {statistics.median(ms):.3f} ms  p90 {ms[int(0.9 * len(ms))]:.3f} ms  "
          f"p99 {ms[int(0.99 * len(ms))]:.3f} ms  ({len(proof)} hashes)")  # fmt: skip
    old_sizes = [rng.randrange(1, size) for _ in range(200)]
    t0 = time.perf_counter()
    for old in old_sizes:
        proof = reader.consistency_proof(old, size)
    per = (time.perf_counter() - t0) / len(old_sizes) * 1000
    for old in old_sizes[:5]:
        proof = reader.consistency_proof(old, size)
        verify_consistency(old, size, reader.tree(old).root(), checkpoint.root, proof)
    print(f"consistency proofs: mean {per:.3f} ms over {len(old_sizes)} random old sizes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--proofs", type=int, default=2_000)
    parser.add_argument("--full", action="store_true", help="10,000,000 entries")
    parser.add_argument("--out", type=Path, default=Path("bench/out/tlog"))
    parser.add_argument("--keep", action="store_true", help="keep the log directory")
    args = parser.parse_args()
    total = 10_000_000 if args.full else args.entries
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(f"cpus {os.cpu_count()}, out {args.out}")
    bench_append(args.out, total, args.batch)
    bench_proofs(args.out, args.proofs)
    if not args.keep:
        shutil.rmtree(args.out)


if __name__ == "__main__":
    main()
