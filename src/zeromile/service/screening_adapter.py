"""The one place the service calls the screening core.

The service never screens by itself: it builds one-row (or bulk) Arrow tables
in the dossier format, adds the exporter registry as of each declaration's
date and the vehicle's stored evidence, and hands them to
``zeromile.screening.screen_dossier``. If the core is not installed in this
build, declarations are stored as ``pending``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zeromile.errors import ScreeningError, ZeromileError

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScreenOutcome:
    decisions: dict[str, dict[str, Any]]
    rejects: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def available() -> bool:
    """Whether this build ships the screening core."""
    try:
        importlib.import_module("zeromile.screening")
    except ModuleNotFoundError:
        return False
    return True


def screen(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> ScreenOutcome | None:
    """Screen dossier tables given as rows; None when the core is not available."""
    try:
        screening = importlib.import_module("zeromile.screening")
    except ModuleNotFoundError:
        return None
    import pyarrow as pa

    arrow = {name: pa.Table.from_pylist(list(rows)) for name, rows in tables.items() if rows}
    try:
        result = screening.screen_dossier(arrow, settings=screening.ScreeningSettings())
    except ZeromileError:
        raise
    except Exception as exc:  # the core's contract is ZeromileError; anything else is a bug there
        raise ScreeningError(f"screening failed: {exc}") from exc
    decisions = {row["declaration_id"]: row for row in result.decisions.to_pylist()}
    return ScreenOutcome(decisions, result.rejects.to_pylist(), dict(result.summary))
