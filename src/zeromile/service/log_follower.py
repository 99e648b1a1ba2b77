"""The log drainer in a process of its own, so appending never holds the server's GIL.

Appending costs about 70 µs of Python per decision (parsing, canonical JSON,
hashing, the private journal). In a thread of the server that time is taken from the
requests and bulk jobs, which are bound by the same interpreter lock; a child process
runs it on the other core. The server starts ``zeromile log drain --follow`` with its
own settings, and writes a byte to the child's standard input whenever it queues
decisions. The child drains on each byte or every poll interval; when its input
closes (the server stops, or dies) it drains what is due once more and exits.

The outbox makes this safe to interrupt anywhere: rows leave it only after they are
in the log, and appending the same decision twice is a no-op.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, BinaryIO

from zeromile.service.settings import Settings

if TYPE_CHECKING:
    from zeromile.service.log_outbox import LogDrainer

logger = logging.getLogger(__name__)

#: How long a stopping server waits for the child's last drain before killing it
#: (what is left stays queued for the next start).
STOP_SECONDS = 120.0
#: Least time between two restarts of a child that died, so a broken log directory
#: does not turn every request into a process start.
RESTART_SECONDS = 5.0


def command() -> list[str]:
    return [sys.executable, "-m", "zeromile", "log", "drain", "--follow"]


class FollowerProcess:
    """The server's handle on its drainer child: start, wake, stop, restart if it died."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._process: subprocess.Popen[bytes] | None = None
        self._guard = threading.Lock()
        self._started_at = 0.0

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        with self._guard:
            if self._process is None:
                self._spawn()

    def _spawn(self) -> None:
        env = {**os.environ, **self._settings.to_env()}
        # The command is this interpreter running zeromile itself, with no outside input.
        self._process = subprocess.Popen(command(), stdin=subprocess.PIPE, env=env)  # noqa: S603
        assert self._process.stdin is not None
        os.set_blocking(self._process.stdin.fileno(), False)
        self._started_at = time.monotonic()

    def wake(self) -> None:
        """Tell the child decisions are queued; start a new child if it died."""
        with self._guard:
            process = self._process
            if process is None:
                return
            if process.poll() is not None:
                if time.monotonic() - self._started_at < RESTART_SECONDS:
                    return  # rows stay queued; the next wake tries again
                logger.error(
                    "the log drainer exited with %s; starting it again", process.returncode
                )
                assert process.stdin is not None
                with contextlib.suppress(OSError):
                    process.stdin.close()
                self._spawn()
                return
            assert process.stdin is not None
            # A full pipe already holds a wake-up; a broken one is seen at the next wake.
            with contextlib.suppress(BlockingIOError, BrokenPipeError):
                os.write(process.stdin.fileno(), b"\n")

    def stop(self) -> None:
        """Close the child's input and wait for its last drain."""
        with self._guard:
            process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            logger.error("the log drainer did not finish in %.0f s; killing it", STOP_SECONDS)
            process.kill()
            process.wait()


def follow(drainer: LogDrainer, wake: BinaryIO, *, poll_seconds: float) -> None:
    """The child's loop: drain, then wait for a wake byte or the poll interval; EOF ends it."""
    fd = wake.fileno()
    closed = False
    while True:
        try:
            drainer.drain()
        except Exception:  # keep following; the rows stay queued
            logger.exception("draining the log outbox failed")
        if closed:
            return
        readable, _, _ = select.select([fd], [], [], poll_seconds)
        closed = bool(readable) and not os.read(fd, 65_536)
