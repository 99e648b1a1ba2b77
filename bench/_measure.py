"""Run a command as a child process and measure its wall time and peak RSS."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mib: float


def measure(args: list[str]) -> Measured:
    """Wall time and peak resident memory of one child (from wait4's rusage, Linux KiB)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        err = child.stderr.read().decode() if child.stderr else ""
        sys.exit(f"{' '.join(args)} failed ({code}):\n{err}")
    return Measured(seconds, usage.ru_maxrss / 1024)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]
