"""A sliding-window rate limiter for login attempts (in process, thread-safe).

Kept in memory on purpose: it guards one server process against password
guessing; a fleet behind a load balancer would move it to a shared store.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from zeromile.errors import RateLimitedError


class SlidingWindowLimiter:
    """At most ``limit`` hits per key within ``window`` seconds."""

    def __init__(
        self, *, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, *keys: str) -> None:
        """Count one attempt against every key; raise if any key is over its limit."""
        now = self._clock()
        with self._lock:
            for key in keys:
                hits = self._hits.setdefault(key, deque())
                while hits and now - hits[0] >= self._window:
                    hits.popleft()
                if len(hits) >= self._limit:
                    raise RateLimitedError(
                        f"more than {self._limit} login attempts in {self._window:.0f} s; "
                        "wait and retry"
                    )
            for key in keys:
                self._hits[key].append(now)
