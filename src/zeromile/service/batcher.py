"""Natural batching of single submissions into shared screening runs.

A screening run has a fixed cost (about 1 s here: engine start, reference
tables, SQL steps) that barely grows with rows, so concurrent single
submissions are screened together: while one run works, new requests queue,
and the next run takes every queued request that does not conflict with
another in the batch (same VIN, or different registry rows for one exporter).
No request waits for a timer; a lone request is screened at once.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from zeromile.service.screening_adapter import ScreenOutcome, Tables

Screen = Callable[[Tables], ScreenOutcome | None]
_KEYED = {"vehicles": "vin", "exporters": "exporter_id", "inspectors": "inspector_id"}


@dataclass
class _Request:
    tables: Tables
    future: Future[ScreenOutcome | None] = field(default_factory=Future)

    def vins(self) -> set[str]:
        return {str(r["vin"]) for r in self.tables.get("declarations", ())}

    def exporters(self) -> dict[str, Any]:
        return {str(r["exporter_id"]): dict(r) for r in self.tables.get("exporters", ())}


class ScreeningBatcher:
    """One worker thread screening queued requests in conflict-free batches."""

    def __init__(self, screen: Screen, *, max_batch: int = 500) -> None:
        self._screen = screen
        self._max_batch = max_batch
        self._queue: queue.Queue[_Request | None] = queue.Queue()
        self._held: list[_Request] = []
        self._thread = threading.Thread(target=self._run, name="zeromile-screen", daemon=True)
        self._thread.start()

    def screen(self, tables: Tables) -> ScreenOutcome | None:
        """Screen one request's tables; blocks until its batch is done."""
        request = _Request(tables)
        self._queue.put(request)
        return request.future.result()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _next_batch(self) -> list[_Request] | None:
        pending = self._held or []
        self._held = []
        if not pending:
            first = self._queue.get()
            if first is None:
                return None
            pending = [first]
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                self._queue.put(None)
                break
            pending.append(item)
        batch: list[_Request] = []
        vins: set[str] = set()
        exporters: dict[str, Any] = {}
        for request in pending:
            mine = request.exporters()
            clash = request.vins() & vins or any(
                k in exporters and exporters[k] != v for k, v in mine.items()
            )
            if clash or len(batch) >= self._max_batch:
                self._held.append(request)
                continue
            batch.append(request)
            vins |= request.vins()
            exporters.update(mine)
        return batch

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                outcome = self._screen(_merge(batch))
            except BaseException as exc:  # every waiting request learns of the failure
                for request in batch:
                    request.future.set_exception(exc)
                continue
            for request, part in zip(batch, _split(batch, outcome), strict=True):
                request.future.set_result(part)


def _merge(batch: list[_Request]) -> dict[str, list[Any]]:
    merged: dict[str, list[Any]] = {"declarations": []}
    seen: dict[str, set[Any]] = {name: set() for name in _KEYED}
    for request in batch:
        for name, rows in request.tables.items():
            target = merged.setdefault(name, [])
            key = _KEYED.get(name)
            for row in rows:
                if key is not None:
                    if row[key] in seen[name]:
                        continue
                    seen[name].add(row[key])
                target.append(row)
    return merged


def _split(batch: list[_Request], outcome: ScreenOutcome | None) -> Sequence[ScreenOutcome | None]:
    """Each request's decisions and its own rows' rejects (lines renumbered from 1)."""
    if outcome is None:
        return [None] * len(batch)
    owners: dict[str, list[tuple[int, int]]] = {"declarations": [], "vehicles": []}
    for index, request in enumerate(batch):
        for name in owners:
            for line, _ in enumerate(request.tables.get(name, ()), start=1):
                owners[name].append((index, line))
    parts = [ScreenOutcome({}) for _ in batch]
    for index, request in enumerate(batch):
        for row in request.tables.get("declarations", ()):
            decision = outcome.decisions.get(str(row["declaration_id"]))
            if decision is not None:
                parts[index].decisions[str(row["declaration_id"])] = decision
    for reject in outcome.rejects:
        table = str(reject.get("table"))
        if table in owners and 0 < int(reject["line"]) <= len(owners[table]):
            index, line = owners[table][int(reject["line"]) - 1]
            parts[index].rejects.append({**reject, "line": line})
    return parts
