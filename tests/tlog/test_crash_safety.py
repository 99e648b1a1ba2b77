"""SIGKILL a writer at random points of large batched appends, 20 times.

After every kill: the log opens, its checkpoint verifies and matches every tile and
bundle (full audit), no entry reported as committed is lost or altered, and appending
continues from where the checkpoint stands.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.tlog.helpers import ORIGIN, entry
from zeromile.tlog.audit import audit
from zeromile.tlog.note import Signer
from zeromile.tlog.reader import LogReader
from zeromile.tlog.storage import LogWriter

TRIALS = 20
ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(log_dir: Path, lock: Path, seed: int, delay: float) -> int:
    """Start the writer, let it commit, kill it; return the last size it reported."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.tlog.crash_writer", str(log_dir), str(lock), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first.startswith("ready"), first
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    committed = int(first.split()[1])
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "committed":
            committed = int(parts[1])
    return committed


def test_sigkill_during_batched_appends_loses_nothing_committed(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    signer = Signer(ORIGIN, bytes(32))
    for trial in range(TRIALS):
        log_dir = tmp_path / f"log{trial // 5}"
        lock = tmp_path / f"lock{trial // 5}"
        committed = _run_and_kill(log_dir, lock, seed=trial, delay=rng.uniform(0.02, 0.35))

        reader = LogReader(log_dir)
        report = audit(reader, signer.verifier())
        size = report.checkpoint.size
        assert size >= committed, f"trial {trial}: reported {committed}, log has {size}"
        for index, data in reader.entries(size):
            assert data == entry(index, 200), f"trial {trial}: entry {index} altered"

        with LogWriter.open(log_dir, signer, lock_path=lock) as writer:
            assert writer.append([entry(size + i, 200) for i in range(3)]) == size
        assert audit(LogReader(log_dir), signer.verifier()).entries == size + 3
