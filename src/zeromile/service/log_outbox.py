"""Durable, non-blocking transparency-log appends through an outbox table.

A decision to log is queued as a ``log_outbox`` row in the same transaction that
stores the declaration, so a committed decision is never forgotten. A drainer
(a child process by default, see ``log_follower``, or a thread) appends queued rows
to the log in batches and deletes them afterwards.
Appending is idempotent (the log skips a decision identical to the declaration's
latest entry), so a crash between the append and the delete appends nothing new
when the rows are drained again. A failed batch stays queued with its error and
is retried after ``ZEROMILE_LOG_RETRY_SECONDS``; so does a decision the log refuses
(a record it cannot take), while the rest of its batch is appended.

One writer at a time: a process lock here, and on PostgreSQL an advisory lock so
several service processes sharing a database take turns.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Text, cast, delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from zeromile.service import audit, store
from zeromile.service.log_follower import FollowerProcess
from zeromile.service.models import Declaration, LogOutbox
from zeromile.service.settings import Settings

logger = logging.getLogger(__name__)

BATCH_ROWS = 5_000
POLL_SECONDS = 1.0
#: Arbitrary, fixed key of the PostgreSQL advisory lock held while appending.
ADVISORY_KEY = 0x7A65_726F_6C6F_6721 & 0x7FFF_FFFF_FFFF_FFFF
ERROR_CHARS = 2_000
#: Stored texts of a declaration without a decision (SQL NULL, JSON null, empty).
NO_DECISION = (None, "null", "{}")


def enabled(settings: Settings) -> bool:
    """True when this server operates the log (appends its decisions)."""
    return bool(settings.log_append and settings.log_dir)


def enqueue(
    session: Session, settings: Settings, decisions: Iterable[Mapping[str, Any] | None]
) -> int:
    """Queue the decisions for the log inside the caller's transaction; how many were queued."""
    return enqueue_ids(session, settings, [str(d["declaration_id"]) for d in decisions if d])


def enqueue_ids(session: Session, settings: Settings, declaration_ids: Iterable[str]) -> int:
    """Queue the decisions of these declarations (stored in this transaction) for the log."""
    if not enabled(settings):
        return 0
    now = audit.utcnow()
    rows = [
        {
            "declaration_id": declaration_id,
            "created_at": now,
            "attempts": 0,
            "last_error": None,
            "next_attempt_at": now,
        }
        for declaration_id in declaration_ids
    ]
    store.insert_outbox(session, rows)
    return len(rows)


def pending(session: Session, declaration_ids: Iterable[str]) -> set[str]:
    """Which of the declarations have a decision still waiting for the log."""
    ids = list(declaration_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(LogOutbox.declaration_id).where(LogOutbox.declaration_id.in_(ids)).distinct()
        )
    )


@dataclass(frozen=True)
class DrainResult:
    appended: int = 0
    failed: int = 0
    busy: bool = False  # another process holds the log

    @property
    def full(self) -> bool:
        return self.appended + self.failed >= BATCH_ROWS


@contextmanager
def _writer_lock(engine: Engine) -> Iterator[bool]:
    """Across processes: a PostgreSQL advisory lock (SQLite relies on the log's file lock)."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        got = bool(
            connection.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}
            ).scalar()
        )
        connection.commit()
        try:
            yield got
        finally:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                connection.commit()


def _append(settings: Settings, decisions: list[str]) -> Mapping[int, Exception]:
    """Append what the log takes; the decisions it refuses, by position."""
    from zeromile.errors import LogError
    from zeromile.tlog.publish import append_decision_texts

    assert settings.log_dir is not None
    refused: dict[int, LogError] = {}
    append_decision_texts(settings.log_dir, decisions, refused=refused)
    return refused


class LogDrainer:
    """Appends queued decisions to the log: in a background thread, or on demand."""

    def __init__(
        self,
        engine: Engine,
        sessions: sessionmaker[Session],
        settings: Callable[[], Settings],
        *,
        append: Callable[[Settings, list[str]], Mapping[int, Exception]] = _append,
    ) -> None:
        self._engine = engine
        self._sessions = sessions
        self._settings = settings
        self.append = append
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._follower: FollowerProcess | None = None

    # -- in the background: a child process, or a thread ---------------------------------

    def start(self) -> None:
        """Drain in the background: in a child process when so set and the log is on."""
        if self._thread is not None or self._follower is not None:
            return
        settings = self._settings()
        if enabled(settings) and settings.log_drain_process:
            self._follower = FollowerProcess(settings)
            self._follower.start()
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="zeromile-log", daemon=True)
        self._thread.start()

    @property
    def follower_pid(self) -> int | None:
        """The drainer child's process id, when there is one."""
        return None if self._follower is None else self._follower.pid

    def wake(self) -> None:
        """Something was queued: drain now rather than at the next poll."""
        if self._follower is not None:
            self._follower.wake()
        else:
            self._wake.set()

    def stop(self) -> None:
        """Stop draining in the background, after one last drain of what is due (shutdown)."""
        follower, self._follower = self._follower, None
        if follower is not None:
            follower.stop()  # the child drains once more when its input closes
            return
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            self._wake.set()
            thread.join()
        try:
            self.drain()
        except Exception:  # shutdown must go on; the rows stay queued
            logger.exception("draining the log outbox at shutdown failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.drain()
            except Exception:  # keep the thread alive; the rows stay queued
                logger.exception("draining the log outbox failed")

    # -- draining -----------------------------------------------------------------------

    def drain(self, *, now: dt.datetime | None = None) -> DrainResult:
        """Append every due row, batch after batch; totals of appended and failed rows."""
        appended = failed = 0
        while True:
            result = self.drain_batch(now=now)
            appended += result.appended
            failed += result.failed
            if result.busy or not result.full or not result.appended:
                return DrainResult(appended, failed, result.busy)

    def drain_batch(self, *, now: dt.datetime | None = None) -> DrainResult:
        """Append up to BATCH_ROWS due rows, then delete them (or record the failure)."""
        settings = self._settings()
        if not enabled(settings):
            return DrainResult()
        with self._lock, _writer_lock(self._engine) as got:
            if not got:
                return DrainResult(busy=True)
            now = now or audit.utcnow()
            with self._sessions() as session:
                rows = session.execute(  # the stored JSON text, parsed once by the log
                    select(LogOutbox.outbox_id, cast(Declaration.decision, Text).label("decision"))
                    .join(Declaration, Declaration.declaration_id == LogOutbox.declaration_id)
                    .where(LogOutbox.next_attempt_at <= now)
                    .order_by(LogOutbox.outbox_id)
                    .limit(BATCH_ROWS)
                ).all()
            if not rows:
                return DrainResult()
            ids = [row.outbox_id for row in rows]
            logged = [
                (row.outbox_id, row.decision) for row in rows if row.decision not in NO_DECISION
            ]
            retry_at = now + dt.timedelta(seconds=settings.log_retry_seconds)
            try:
                refused = self.append(settings, [text for _, text in logged])
            except Exception as exc:
                logger.exception("appending %d decision(s) to the log failed", len(logged))
                self._mark_failed(dict.fromkeys(ids, exc), retry_at)
                return DrainResult(failed=len(ids))
            # A decision the log refuses stays queued with its error; it does not hold the rest.
            failures = {logged[position][0]: error for position, error in refused.items()}
            for outbox_id, error in failures.items():
                logger.error("the log refused queued decision %d: %s", outbox_id, error)
            self._mark_failed(failures, retry_at)
            self._forget([i for i in ids if i not in failures])
            return DrainResult(appended=len(ids) - len(failures), failed=len(failures))

    def _forget(self, ids: list[int]) -> None:
        with self._sessions() as session, session.begin():
            session.execute(
                delete(LogOutbox).where(store.one_of(session, LogOutbox.outbox_id, ids))
            )

    def _mark_failed(self, failures: Mapping[int, Exception], retry_at: dt.datetime) -> None:
        """Count an attempt on each row, with its error, and put its next one off."""
        by_message: dict[str, list[int]] = {}
        for outbox_id, exc in failures.items():
            message = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
            by_message.setdefault(message, []).append(outbox_id)
        if not by_message:
            return
        with self._sessions() as session, session.begin():
            for message, ids in by_message.items():
                session.execute(
                    update(LogOutbox)
                    .where(store.one_of(session, LogOutbox.outbox_id, ids))
                    .values(
                        attempts=LogOutbox.attempts + 1,
                        last_error=message,
                        next_attempt_at=retry_at,
                    )
                )

    def queued(self) -> int:
        """Rows waiting, due or not."""
        with self._sessions() as session:
            return int(session.scalar(select(func.count()).select_from(LogOutbox)) or 0)
