"""Decisions reach the log through the outbox: queued with the declaration, drained, retried.

The drainer runs as a thread or, as the server runs it by default, as a child process.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tests.service.conftest import Account, AccountFactory
from tests.service.helpers import declaration_body, license_exporter
from zeromile.errors import LogError
from zeromile.service import declarations as ops
from zeromile.service import log_follower, log_outbox
from zeromile.service.app import create_app
from zeromile.service.context import ServiceContext
from zeromile.service.declaration_schema import DeclarationIn
from zeromile.service.log_outbox import LogDrainer
from zeromile.service.models import Declaration, LogOutbox
from zeromile.service.policy import Principal, Role
from zeromile.service.settings import Settings
from zeromile.tlog.publish import append_decisions, init_log
from zeromile.tlog.reader import LogReader

VIN = "LSVAU2180N2183294"


@pytest.fixture
def operated(
    settings: Settings,
    context: ServiceContext,
    make_account: AccountFactory,
    regulator: Account,
    tmp_path: Path,
) -> Iterator[Principal]:
    """A server operating an empty log, one licensed exporter; the drainer thread stopped."""
    log = tmp_path / "log"
    init_log(log, "test.zeromile.example/log")
    context.settings = settings.model_copy(update={"log_dir": log, "log_append": True})
    with TestClient(create_app(context.settings, context=context)) as client:
        license_exporter(client, regulator.headers, "EXP-1")
    exporter = make_account("exporter", exporter_id="EXP-1")
    yield Principal(
        user_id=exporter.user_id, name=exporter.name, role=Role.EXPORTER, exporter_id="EXP-1"
    )


def submit(context: ServiceContext, principal: Principal, did: str) -> Declaration:
    body = DeclarationIn.model_validate(
        {
            "declaration_id": did,
            "vin": VIN,
            "origin": "CN",
            "destination": "RU",
            "declaration_date": "2025-08-09",
            "declared_condition": "used",
        }
    )
    declaration, _ = ops.submit(
        context.sessions,
        principal=principal,
        body=body,
        idempotency_key=None,
        log_settings=context.settings,
    )
    return declaration


def queued(context: ServiceContext) -> list[LogOutbox]:
    with context.sessions() as session:
        return list(session.scalars(select(LogOutbox).order_by(LogOutbox.outbox_id)))


def log_size(context: ServiceContext) -> int:
    assert context.settings.log_dir is not None
    return LogReader(context.settings.log_dir).checkpoint().size


def test_the_decision_is_queued_in_the_declarations_transaction(
    context: ServiceContext, operated: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(context, operated, "D1")
    assert [row.declaration_id for row in queued(context)] == ["D1"]
    assert log_size(context) == 0

    real = log_outbox.enqueue

    def enqueue_then_fail(*args: Any) -> int:
        real(*args)
        raise RuntimeError("the insert fails after queueing")

    monkeypatch.setattr(log_outbox, "enqueue", enqueue_then_fail)
    with pytest.raises(RuntimeError):
        submit(context, operated, "D2")
    assert [row.declaration_id for row in queued(context)] == ["D1"]
    with context.sessions() as session:
        assert session.get(Declaration, "D2") is None


def test_nothing_is_queued_when_the_server_does_not_operate_the_log(
    context: ServiceContext, operated: Principal
) -> None:
    context.settings = context.settings.model_copy(update={"log_append": False})
    submit(context, operated, "D1")
    assert queued(context) == []


def test_drain_appends_and_clears(context: ServiceContext, operated: Principal) -> None:
    for did in ("D1", "D2", "D3"):
        submit(context, operated, did)
    result = context.log_drainer.drain()
    assert (result.appended, result.failed) == (3, 0)
    assert queued(context) == []
    assert log_size(context) == 3
    assert context.log_drainer.drain().appended == 0


def test_a_failed_append_stays_queued_and_is_retried_after_the_delay(
    context: ServiceContext, operated: Principal
) -> None:
    context.settings = context.settings.model_copy(update={"log_retry_seconds": 30})
    submit(context, operated, "D1")

    def broken(settings: Settings, decisions: list[str]) -> dict[int, Exception]:
        raise LogError("disk full")

    healthy = context.log_drainer.append
    context.log_drainer.append = broken
    start = dt.datetime.now(dt.UTC)
    assert context.log_drainer.drain(now=start).failed == 1
    [row] = queued(context)
    assert row.attempts == 1
    assert row.last_error == "LogError: disk full"
    assert row.next_attempt_at == start + dt.timedelta(seconds=30)

    context.log_drainer.append = healthy
    assert context.log_drainer.drain(now=start + dt.timedelta(seconds=29)).appended == 0
    assert log_size(context) == 0
    assert context.log_drainer.drain(now=start + dt.timedelta(seconds=30)).appended == 1
    assert queued(context) == []
    assert log_size(context) == 1


def test_a_decision_the_log_refuses_stays_queued_and_does_not_hold_the_others(
    context: ServiceContext, operated: Principal
) -> None:
    for did in ("D1", "D2", "D3"):
        submit(context, operated, did)
    with context.tx() as session:  # a stored decision the log cannot take: no VIN
        session.execute(
            update(Declaration)
            .where(Declaration.declaration_id == "D2")
            .values(decision={"declaration_id": "D2", "verdict": "clear"})
        )
    start = dt.datetime.now(dt.UTC)
    result = context.log_drainer.drain(now=start)
    assert (result.appended, result.failed) == (2, 1)
    assert log_size(context) == 2
    [row] = queued(context)
    assert (row.declaration_id, row.attempts) == ("D2", 1)
    assert row.last_error == "LogError: declaration D2: field 'vin' is required"
    assert context.log_drainer.drain(now=start).appended == 0  # not due before the delay


def test_a_crash_between_append_and_delete_appends_nothing_twice(
    context: ServiceContext, operated: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(context, operated, "D1")
    submit(context, operated, "D2")

    def crash(self: LogDrainer, ids: list[int]) -> None:
        raise SystemExit("killed after the append")

    with monkeypatch.context() as patch:
        patch.setattr(LogDrainer, "_forget", crash)
        with pytest.raises(SystemExit):
            context.log_drainer.drain()
    assert log_size(context) == 2
    assert len(queued(context)) == 2
    assert context.log_drainer.drain().appended == 2
    assert log_size(context) == 2
    assert queued(context) == []


def test_an_already_logged_older_decision_is_superseded_not_duplicated(
    context: ServiceContext, operated: Principal
) -> None:
    declaration = submit(context, operated, "D1")
    assert context.settings.log_dir is not None
    assert declaration.decision is not None
    append_decisions(context.settings.log_dir, [{**declaration.decision, "verdict": "review"}])
    context.log_drainer.drain()
    context.log_drainer.drain()
    assert log_size(context) == 2


def test_the_timeline_reports_a_queued_decision_as_pending(
    settings: Settings,
    context: ServiceContext,
    operated: Principal,
    regulator: Account,
) -> None:
    with TestClient(create_app(context.settings, context=context)) as client:
        context.log_drainer.stop()  # keep the row queued while the timeline is read
        submit(context, operated, "D1")
        pending = client.get(f"/api/v1/vehicles/{VIN}", headers=regulator.headers)
        assert pending.status_code == 200
        assert pending.json()["log_pending"] == ["D1"]
        assert pending.json()["log_proofs"] == []
        context.log_drainer.drain()
        logged = client.get(f"/api/v1/vehicles/{VIN}", headers=regulator.headers).json()
    assert logged["log_pending"] == []
    assert [p["declaration_id"] for p in logged["log_proofs"]] == ["D1"]


def test_the_api_queues_and_the_drainer_thread_appends(
    client: TestClient,
    context: ServiceContext,
    operated: Principal,
    make_account: AccountFactory,
) -> None:
    exporter = make_account("exporter", exporter_id="EXP-1")
    response = client.post(
        "/api/v1/declarations",
        json=declaration_body("D9", VIN),
        headers=exporter.headers,
    )
    assert response.status_code == 201, response.text
    context.log_drainer.stop()  # the thread's last drain, or this one, has appended it
    assert log_size(context) == 1
    with context.sessions() as session:
        assert session.scalar(select(func.count()).select_from(LogOutbox)) == 0


def test_a_queued_row_reads_back_due_now_with_no_attempts(
    context: ServiceContext, operated: Principal
) -> None:
    before = dt.datetime.now(dt.UTC)
    submit(context, operated, "D1")
    [row] = queued(context)
    assert (row.attempts, row.last_error) == (0, None)
    assert row.created_at == row.next_attempt_at
    assert before <= row.created_at <= dt.datetime.now(dt.UTC)
    assert row.created_at.tzinfo is not None


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds:.0f} s")
        time.sleep(0.05)


def test_follow_drains_at_start_on_each_wake_and_once_more_when_its_input_closes(
    context: ServiceContext, operated: Principal
) -> None:
    submit(context, operated, "D1")
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as wake:
        # A poll far longer than the test: only wake-ups and the end make it drain.
        follower = threading.Thread(
            target=log_follower.follow,
            args=(context.log_drainer, wake),
            kwargs={"poll_seconds": 3600},
        )
        follower.start()
        wait_for(lambda: log_size(context) == 1, "the first drain")
        submit(context, operated, "D2")
        os.write(write_end, b"\n")
        wait_for(lambda: log_size(context) == 2, "the drain on a wake-up")
        submit(context, operated, "D3")
        os.close(write_end)
        follower.join(timeout=60)
        assert not follower.is_alive()
    assert log_size(context) == 3
    assert queued(context) == []


@pytest.fixture
def in_a_child(context: ServiceContext, operated: Principal) -> Iterator[LogDrainer]:
    """The server's drainer as it runs by default: a child process."""
    context.settings = context.settings.model_copy(update={"log_drain_process": True})
    drainer = context.log_drainer
    drainer.start()
    yield drainer
    drainer.stop()


def test_the_server_drains_in_a_child_process_which_drains_once_more_at_stop(
    context: ServiceContext, operated: Principal, in_a_child: LogDrainer
) -> None:
    pid = in_a_child.follower_pid
    assert pid is not None and pid != os.getpid()
    submit(context, operated, "D1")
    in_a_child.wake()
    wait_for(lambda: log_size(context) == 1, "the child's append")
    submit(context, operated, "D2")  # no wake-up: the child's last drain takes it
    in_a_child.stop()
    assert in_a_child.follower_pid is None
    assert log_size(context) == 2
    assert queued(context) == []
    with pytest.raises(ProcessLookupError):  # exited, and reaped by stop()
        os.kill(pid, 0)


def test_a_child_that_died_is_started_again_on_the_next_wake(
    context: ServiceContext,
    operated: Principal,
    in_a_child: LogDrainer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(log_follower, "RESTART_SECONDS", 0.0)
    first = in_a_child.follower_pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    submit(context, operated, "D1")

    def restarted() -> bool:
        in_a_child.wake()
        return in_a_child.follower_pid != first

    wait_for(restarted, "the restart")
    wait_for(lambda: log_size(context) == 1, "the new child's append")


def test_settings_cross_to_a_child_process_through_the_environment(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    changed = settings.model_copy(
        update={"log_dir": tmp_path / "log", "log_append": True, "log_retry_seconds": 2.5}
    )
    for name, value in changed.to_env().items():
        monkeypatch.setenv(name, value)
    assert Settings() == changed
