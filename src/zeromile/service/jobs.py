"""Background jobs for bulk uploads: progress in the ``jobs`` table, work in a thread.

A job validates every row first; with ``strict`` any reject records nothing.
Otherwise good rows are screened and stored in chunks (each chunk one
transaction) and bad rows are reported, so nothing is lost or half-written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from zeromile.errors import ConflictError, NotFoundError, ZeromileError
from zeromile.service import audit, bulk, log_outbox, screening_adapter, security, store
from zeromile.service.declarations import dossier_row, screening_groups
from zeromile.service.models import Job
from zeromile.service.policy import Principal
from zeromile.service.settings import Settings

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5_000
#: Tries of a chunk whose ids another job stored meanwhile.
_CHUNK_ATTEMPTS = 3
#: Rows per screening slice, about: big enough that screening a slice (a fixed
#: cost per call plus a cost per row) takes no longer than storing the one
#: before it, small enough that storing starts early.
SCREEN_ROWS = 25_000


def create(
    session: Session,
    *,
    principal: Principal,
    kind: str,
    idempotency_key: str | None,
    strict: bool,
    total_rows: int,
) -> tuple[Job, bool]:
    """A queued job, or the existing one for a repeated idempotency key."""
    if idempotency_key is not None:
        existing = session.scalar(
            select(Job).where(
                Job.owner_user_id == principal.user_id, Job.idempotency_key == idempotency_key
            )
        )
        if existing is not None:
            if existing.kind != kind:
                raise ConflictError(
                    f"idempotency key {idempotency_key!r} was used for {existing.kind}"
                )
            return existing, True
    job = Job(
        job_id=security.new_id(),
        kind=kind,
        status="queued",
        owner_user_id=principal.user_id,
        exporter_id=principal.exporter_id,
        idempotency_key=idempotency_key,
        total_rows=total_rows,
        processed_rows=0,
        accepted_rows=0,
        rejected_rows=0,
        strict=strict,
        created_at=audit.utcnow(),
    )
    session.add(job)
    audit.record(
        session,
        actor=principal.user_id,
        action="job.create",
        entity="job",
        entity_id=job.job_id,
        before=None,
        after={"kind": kind, "rows": total_rows, "strict": strict},
    )
    return job, False


def get(session: Session, principal: Principal, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or not (principal.sees_everything or job.owner_user_id == principal.user_id):
        raise NotFoundError(f"job {job_id!r} does not exist")
    return job


def run_declarations(
    sessions: sessionmaker[Session],
    job_id: str,
    principal: Principal,
    checked: bulk.Checked,
    settings: Settings,
) -> None:
    """Screen, store (and log, when on) the good rows of a declarations upload."""
    _guarded(
        sessions, job_id, lambda: _declarations(sessions, job_id, principal, checked, settings)
    )


def run_evidence(
    sessions: sessionmaker[Session], job_id: str, kind: str, checked: bulk.Checked
) -> None:
    """Store the good rows of an evidence feed."""
    _guarded(sessions, job_id, lambda: _evidence(sessions, job_id, kind, checked))


def _guarded(sessions: sessionmaker[Session], job_id: str, work: Any) -> None:
    try:
        work()
    except Exception as exc:  # a job must end in a state, whatever happened
        logger.exception("job %s failed", job_id)
        message = str(exc) if isinstance(exc, ZeromileError) else "internal error"
        with sessions() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None:
                job.status = "failed"
                job.error = message
                job.finished_at = audit.utcnow()


def _start(session: Session, job_id: str) -> Job:
    job = session.get(Job, job_id)
    assert job is not None
    job.status = "running"
    return job


def _finish(
    sessions: sessionmaker[Session], job_id: str, checked: bulk.Checked, accepted: int
) -> None:
    with sessions() as session, session.begin():
        job = session.get(Job, job_id)
        assert job is not None
        failed = job.strict and bool(checked.rejects)
        job.status = "failed" if failed else "done"
        job.error = "strict: rows were rejected, nothing was recorded" if failed else None
        job.processed_rows = job.total_rows
        job.accepted_rows = accepted
        job.rejected_rows = len({(r["line"]) for r in checked.rejects})
        job.result = {"rejects": checked.rejects}
        job.finished_at = audit.utcnow()


@dataclass
class _Slice:
    """One screened part of an upload: its rows, their lines and the core's outcomes."""

    start: int
    rows: list[dict[str, Any]]
    lines: list[int]
    outcomes: list[screening_adapter.StorableOutcome] = field(default_factory=list)
    screened_out: set[int] = field(default_factory=set)
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def decisions(self) -> dict[str, tuple[str, str]]:
        """(verdict, decision's JSON text) by declaration id, made by the writer thread."""
        out: dict[str, tuple[str, str]] = {}
        for outcome in self.outcomes:
            out.update(outcome.decisions())
        return out


def _declarations(
    sessions: sessionmaker[Session],
    job_id: str,
    principal: Principal,
    checked: bulk.Checked,
    settings: Settings,
) -> None:
    """Screen slice k+1 while slice k is stored; in strict mode screen everything first.

    The core and the database drivers release the GIL while they work, so a
    second thread overlaps screening with writing even on two cores.
    """
    with sessions() as session, session.begin():
        strict = _start(session, job_id).strict
    rows, lines = _rows_to_store(principal, checked)
    slices: Iterator[_Slice] = _screened(sessions, rows, lines, checked.filename)
    if strict:
        screened = list(slices)
        for part in screened:
            checked.rejects.extend(part.rejects)
        if checked.rejects:
            _finish(sessions, job_id, checked, 0)
            return
        slices = iter(screened)  # no slice has rejects: none were found
    accepted = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-store") as writer:
        pending: Future[tuple[int, list[dict[str, Any]]]] | None = None
        try:
            for part in slices:
                previous, pending = pending, None
                if previous is not None:
                    accepted += _collect(previous, checked)
                checked.rejects.extend(part.rejects)
                pending = writer.submit(
                    _store_slice, sessions, job_id, principal, part, checked.filename, settings
                )
        finally:
            if pending is not None:
                accepted += _collect(pending, checked)
    _finish(sessions, job_id, checked, accepted)


def _collect(pending: Future[tuple[int, list[dict[str, Any]]]], checked: bulk.Checked) -> int:
    stored, rejects = pending.result()
    checked.rejects.extend(rejects)
    return stored


def _rows_to_store(
    principal: Principal, checked: bulk.Checked
) -> tuple[list[dict[str, Any]], list[int]]:
    """Dossier rows of the good lines; another exporter's rows and repeated ids are rejects."""
    exporter_id = principal.exporter_id or ""
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    first_line: dict[str, int] = {}
    for line, body in checked.good:
        if body.exporter_id not in (None, exporter_id):
            checked.rejects.append(
                bulk.reject(
                    "declarations",
                    checked.filename,
                    line,
                    "exporter_id",
                    body.exporter_id,
                    f"this account submits for exporter {exporter_id!r}",
                )
            )
            continue
        declaration_id = body.declaration_id or f"D-{security.new_id()}"
        if declaration_id in first_line:
            checked.rejects.append(
                bulk.reject(
                    "declarations",
                    checked.filename,
                    line,
                    "declaration_id",
                    declaration_id,
                    f"already exists (line {first_line[declaration_id]} of this upload)",
                )
            )
            continue
        first_line[declaration_id] = line
        rows.append(dossier_row(body, declaration_id, exporter_id))
        lines.append(line)
    return rows, lines


def slice_bounds(total: int, target: int) -> list[tuple[int, int]]:
    """Split ``total`` rows into equal slices of about ``target`` rows (none empty)."""
    count = max(1, -(-total // target))
    edges = [total * i // count for i in range(count + 1)]
    return [(a, b) for a, b in pairwise(edges) if b > a]


def _screened(
    sessions: sessionmaker[Session], rows: list[dict[str, Any]], lines: list[int], filename: str
) -> Iterator[_Slice]:
    """Screen the rows in slices; the core's rejects are reported against the file's line.

    Without the screening core every slice comes back without decisions.
    """
    core = True
    for start, stop in slice_bounds(len(rows), SCREEN_ROWS):
        part = _Slice(start, rows[start:stop], lines[start:stop])
        if core:
            with sessions() as session:
                groups = screening_groups(session, part.rows, {})
            for indexes, tables in groups:
                outcome = screening_adapter.screen_for_storage(tables)
                if outcome is None:
                    core = False
                    break
                part.outcomes.append(outcome)
                for reject in outcome.rejects:
                    if reject.get("table") != "declarations":
                        continue
                    index = indexes[int(reject["line"]) - 1]
                    part.screened_out.add(index)
                    part.rejects.append(
                        bulk.reject(
                            "declarations",
                            filename,
                            part.lines[index],
                            str(reject.get("field")),
                            reject.get("value"),
                            str(reject.get("message")),
                        )
                    )
        yield part


def _store_slice(
    sessions: sessionmaker[Session],
    job_id: str,
    principal: Principal,
    part: _Slice,
    filename: str,
    settings: Settings,
) -> tuple[int, list[dict[str, Any]]]:
    """Store a screened slice in chunks, one transaction each; (stored, rejects)."""
    keep = [
        (index, row, line)
        for index, (row, line) in enumerate(zip(part.rows, part.lines, strict=True))
        if index not in part.screened_out
    ]
    decisions = part.decisions()
    stored = 0
    rejects: list[dict[str, Any]] = []
    for start in range(0, len(keep), CHUNK_ROWS):
        chunk = keep[start : start + CHUNK_ROWS]
        last = start + CHUNK_ROWS >= len(keep)
        done = part.start + (len(part.rows) if last else chunk[-1][0] + 1)
        fresh = _store_chunk(
            sessions,
            job_id,
            principal,
            decisions,
            [(r, n) for _, r, n in chunk],
            filename,
            rejects,
            done,
            settings,
        )
        stored += len(fresh)
    if not keep:
        with sessions() as session, session.begin():
            _progress(session, job_id, part.start + len(part.rows))
    return stored, rejects


def _store_chunk(
    sessions: sessionmaker[Session],
    job_id: str,
    principal: Principal,
    decisions: dict[str, tuple[str, str]],
    chunk: list[tuple[dict[str, Any], int]],
    filename: str,
    rejects: list[dict[str, Any]],
    done: int,
    settings: Settings,
) -> list[dict[str, Any]]:
    """One transaction: skip ids already stored, insert the rest, queue their decisions
    for the log (when this server operates it), move progress.

    If another job stores one of the ids between the check and the insert, the
    whole chunk is rolled back and checked again, so the race ends as an
    "already exists" reject instead of a half-written chunk.
    """
    ids = [row["declaration_id"] for row, _ in chunk]
    for attempt in range(1, _CHUNK_ATTEMPTS + 1):
        taken_rejects: list[dict[str, Any]] = []
        try:
            with sessions() as session, session.begin():
                taken = store.existing_declaration_ids(session, ids)
                now = audit.utcnow()
                fresh = []
                logged = []
                for row, line in chunk:
                    declaration_id = row["declaration_id"]
                    if declaration_id in taken:
                        taken_rejects.append(
                            bulk.reject(
                                "declarations",
                                filename,
                                line,
                                "declaration_id",
                                declaration_id,
                                "already exists",
                            )
                        )
                        continue
                    decision = decisions.get(declaration_id)
                    fresh.append(_declaration_record(row, decision, principal, job_id, now))
                    if decision is not None:
                        logged.append(declaration_id)
                store.insert_declarations(session, fresh)
                log_outbox.enqueue_ids(session, settings, logged)
                _progress(session, job_id, done)
        except store.DuplicateKeyError:
            if attempt == _CHUNK_ATTEMPTS:
                raise
            logger.info("job %s: an id was stored meanwhile; checking the chunk again", job_id)
            continue
        rejects.extend(taken_rejects)
        return fresh
    raise AssertionError("unreachable")


def _declaration_record(
    row: dict[str, Any],
    decision: tuple[str, str] | None,
    principal: Principal,
    job_id: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """A declarations row as the ORM would store it, JSON columns already serialised.

    ``decision`` is the screening's verdict and decision text (None: not screened).
    """
    documents = row["documents"]
    verdict, text = decision if decision is not None else (None, _NULL)
    return {
        **row,
        "documents": store.json_text(documents) if documents else _EMPTY_LIST,
        "vehicle": _NULL,
        "idempotency_key": None,
        "request_hash": None,
        "submitted_by": principal.user_id,
        "submitted_at": now,
        "job_id": job_id,
        "verdict": verdict,
        "decision": text,
    }


_NULL = store.json_text(None)
_EMPTY_LIST = store.json_text([])


def _progress(session: Session, job_id: str, processed: int) -> None:
    session.execute(update(Job).where(Job.job_id == job_id).values(processed_rows=processed))


def _evidence(
    sessions: sessionmaker[Session], job_id: str, kind: str, checked: bulk.Checked
) -> None:
    with sessions() as session, session.begin():
        strict = _start(session, job_id).strict
    if strict and checked.rejects:
        _finish(sessions, job_id, checked, 0)
        return
    for start in range(0, len(checked.good), CHUNK_ROWS):
        chunk = checked.good[start : start + CHUNK_ROWS]
        with sessions() as session, session.begin():
            now = audit.utcnow()
            store.insert_evidence(
                session,
                [
                    {
                        "kind": kind,
                        "vin": vin,
                        "record_date": when,
                        "data": store.json_text(data),
                        "job_id": job_id,
                        "recorded_at": now,
                    }
                    for _, (vin, when, data) in chunk
                ],
            )
            _progress(session, job_id, start + len(chunk))
    _finish(sessions, job_id, checked, len(checked.good))
