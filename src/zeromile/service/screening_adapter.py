"""The one place the service calls the screening core.

The service never screens by itself: it builds Arrow tables in the dossier
format (``zeromile.dossier.contract``), adds the exporter registry as of the
declarations' date and the vehicles' stored evidence, and hands them to
``zeromile.screening.screen_dossier``. A declaration batch whose exporters'
registry rows differ by date is screened in groups, one registry per group.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zeromile.errors import ScreeningError, ZeromileError

logger = logging.getLogger(__name__)

Tables = Mapping[str, Sequence[Mapping[str, Any]]]


@dataclass(frozen=True, slots=True)
class ScreenOutcome:
    """Decisions by declaration id; rejects as the CLI reports them (line = row in group)."""

    decisions: dict[str, dict[str, Any]]
    rejects: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def available() -> bool:
    """Whether this build ships the screening core."""
    try:
        import zeromile.screening  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


@lru_cache(maxsize=1)
def _extensions() -> tuple[Any, ...]:
    """The screening's standard extensions (the rulebook), built once per process."""
    from zeromile.screening.standard import standard_extensions

    return tuple(standard_extensions())


def warm_up() -> None:
    """Load the core and build its rulebook now, so the first request or job does not wait.

    Both take a second or more and are built once per process.
    """
    if available():
        _extensions()


def screen(tables: Tables) -> ScreenOutcome | None:
    """Screen dossier tables given as rows; None when the core is not available."""
    result = _screen_dossier(tables)
    if result is None:
        return None
    decisions = {row["declaration_id"]: row for row in result.decisions.to_pylist()}
    return ScreenOutcome(decisions, result.rejects.to_pylist(), dict(result.summary))


@dataclass(frozen=True, slots=True)
class StorableOutcome:
    """The core's decisions as its Arrow table, to be stored; rejects as :func:`screen` gives.

    :meth:`decisions` turns the table into what a declarations row stores, so a
    bulk job can do that in its writer thread, off the screening's path.
    """

    table: Any  # pyarrow.Table of decision rows
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def decisions(self) -> dict[str, tuple[str, str]]:
        """(verdict, decision's JSON text) by declaration id.

        The text parses to :func:`zeromile.service.store.json_text` of the
        decision row that :func:`screen` returns, and the verdict is
        ``str(row["verdict"])``; both are made without a Python dict per decision.
        """
        from zeromile.service.store import json_texts

        ids = self.table.column("declaration_id").to_pylist()
        verdicts = [str(v) for v in self.table.column("verdict").to_pylist()]
        texts = json_texts(self.table)
        return dict(zip(ids, zip(verdicts, texts, strict=True), strict=True))


def screen_for_storage(tables: Tables) -> StorableOutcome | None:
    """Like :func:`screen`, with the decisions left as the core's table (see StorableOutcome)."""
    result = _screen_dossier(tables)
    if result is None:
        return None
    return StorableOutcome(result.decisions, result.rejects.to_pylist())


def _screen_dossier(tables: Tables) -> Any | None:
    """The core's result for the tables; None when the core is not available."""
    try:
        from zeromile.screening import ScreeningSettings, screen_dossier
    except ModuleNotFoundError:
        return None
    extensions = _extensions()
    import pyarrow as pa

    arrow: dict[str, pa.Table] = {}
    for name, rows in tables.items():
        if not rows and name != "declarations":
            continue
        try:
            arrow[name] = pa.Table.from_pylist(list(rows))
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise ScreeningError(f"{name}: rows cannot form a table: {exc}") from exc
    try:
        return screen_dossier(arrow, settings=ScreeningSettings(), extensions=extensions)
    except ZeromileError:
        raise
    except Exception as exc:  # the core's contract is ZeromileError; anything else is a bug
        raise ScreeningError(f"screening failed: {exc}") from exc
