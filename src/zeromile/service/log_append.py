"""Appending decisions to the transparency log, when this server operates it.

The log has one writer at a time, so appends from request threads and bulk
jobs take one lock. An append happens after the decision is committed: if it
fails, the decision stays stored and the failure is logged, to be appended
again (the log skips a decision whose latest entry is identical).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from zeromile.errors import LogError
from zeromile.service.settings import Settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()


def append(settings: Settings, decisions: Iterable[Mapping[str, Any] | None]) -> list[int]:
    """Append the decisions to the log if configured; their indexes (empty when off)."""
    rows = [d for d in decisions if d]
    if not (settings.log_append and settings.log_dir and rows):
        return []
    from zeromile.tlog.publish import append_decisions

    with _lock:
        try:
            return append_decisions(settings.log_dir, rows)
        except LogError:
            logger.exception("appending %d decision(s) to the log failed", len(rows))
            return []
