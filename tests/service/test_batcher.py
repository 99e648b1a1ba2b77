"""Concurrent single submissions share screening runs without mixing their results."""

from __future__ import annotations

import threading
import time
from typing import Any

from zeromile.service.batcher import ScreeningBatcher
from zeromile.service.screening_adapter import ScreenOutcome, Tables


def tables(n: int, vin: str | None = None, status: str = "active") -> dict[str, list[Any]]:
    return {
        "declarations": [{"declaration_id": f"D{n}", "vin": vin or f"V{n}", "exporter_id": "E"}],
        "exporters": [{"exporter_id": "E", "status": status}],
    }


class SlowScreen:
    """Records each run's declarations; rejects declaration D7."""

    def __init__(self) -> None:
        self.runs: list[list[str]] = []

    def __call__(self, merged: Tables) -> ScreenOutcome:
        time.sleep(0.05)
        ids = [str(r["declaration_id"]) for r in merged["declarations"]]
        self.runs.append(ids)
        rejects = [
            {"table": "declarations", "line": i + 1, "field": "vin", "message": "bad"}
            for i, d in enumerate(ids)
            if d == "D7"
        ]
        return ScreenOutcome({d: {"declaration_id": d, "verdict": "clear"} for d in ids}, rejects)


def run_concurrently(batcher: ScreeningBatcher, requests: list[Tables]) -> list[Any]:
    results: list[Any] = [None] * len(requests)

    def one(i: int) -> None:
        results[i] = batcher.screen(requests[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_requests_are_batched_and_answered_separately() -> None:
    screen = SlowScreen()
    batcher = ScreeningBatcher(screen)
    try:
        results = run_concurrently(batcher, [tables(n) for n in range(20)])
    finally:
        batcher.close()
    assert len(screen.runs) < 20
    assert sorted(d for run in screen.runs for d in run) == sorted(f"D{n}" for n in range(20))
    for n, outcome in enumerate(results):
        assert list(outcome.decisions) == [f"D{n}"]
        expected = [{"table": "declarations", "line": 1, "field": "vin", "message": "bad"}]
        assert outcome.rejects == (expected if n == 7 else [])


def test_conflicting_requests_go_to_different_runs() -> None:
    screen = SlowScreen()
    batcher = ScreeningBatcher(screen)
    try:
        run_concurrently(
            batcher,
            [tables(1, vin="SAME"), tables(2, vin="SAME"), tables(3, status="suspended")],
        )
    finally:
        batcher.close()
    for run in screen.runs:
        assert not {"D1", "D2"} <= set(run)
        assert not ({"D3"} <= set(run) and ({"D1"} <= set(run) or {"D2"} <= set(run)))


def test_a_failed_run_fails_its_requests_only() -> None:
    def broken(merged: Tables) -> ScreenOutcome:
        raise RuntimeError("engine down")

    batcher = ScreeningBatcher(broken)
    try:
        try:
            batcher.screen(tables(1))
        except RuntimeError as exc:
            assert str(exc) == "engine down"
        else:
            raise AssertionError("expected the run's failure")
    finally:
        batcher.close()
