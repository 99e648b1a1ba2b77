"""Background jobs for bulk uploads: progress in the ``jobs`` table, work in a thread.

A job validates every row first; with ``strict`` any reject records nothing.
Otherwise good rows are screened and stored in chunks (each chunk one
transaction) and bad rows are reported, so nothing is lost or half-written.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from zeromile.errors import ConflictError, NotFoundError, ZeromileError
from zeromile.service import audit, bulk, log_outbox, screening_adapter, security
from zeromile.service.declarations import dossier_row, screening_groups
from zeromile.service.models import Declaration, EvidenceRecord, Job
from zeromile.service.policy import Principal
from zeromile.service.settings import Settings

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5_000
SCREEN_ROWS = 50_000


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


def _declarations(
    sessions: sessionmaker[Session],
    job_id: str,
    principal: Principal,
    checked: bulk.Checked,
    settings: Settings,
) -> None:
    with sessions() as session, session.begin():
        strict = _start(session, job_id).strict
    exporter_id = principal.exporter_id or ""
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
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
        rows.append(dossier_row(body, declaration_id, exporter_id))
        lines.append(line)
    decisions, screened_out = _screen_all(sessions, rows, lines, checked)
    if strict and checked.rejects:
        _finish(sessions, job_id, checked, 0)
        return
    keep = [
        (row, line) for row, line in zip(rows, lines, strict=True) if id(row) not in screened_out
    ]
    accepted = 0
    for start in range(0, len(keep), CHUNK_ROWS):
        chunk = keep[start : start + CHUNK_ROWS]
        with sessions() as session, session.begin():
            ids = [row["declaration_id"] for row, _ in chunk]
            taken = set(
                session.scalars(
                    select(Declaration.declaration_id).where(Declaration.declaration_id.in_(ids))
                )
            )
            now = audit.utcnow()
            fresh = []
            for row, line in chunk:
                if row["declaration_id"] in taken:
                    checked.rejects.append(
                        bulk.reject(
                            "declarations",
                            checked.filename,
                            line,
                            "declaration_id",
                            row["declaration_id"],
                            "already exists",
                        )
                    )
                    continue
                decision = decisions.get(row["declaration_id"])
                fresh.append(
                    {
                        **row,
                        "vehicle": None,
                        "idempotency_key": None,
                        "request_hash": None,
                        "submitted_by": principal.user_id,
                        "submitted_at": now,
                        "job_id": job_id,
                        "verdict": str(decision["verdict"]) if decision else None,
                        "decision": audit.jsonable(decision) if decision else None,
                    }
                )
            if fresh:
                session.execute(insert(Declaration), fresh)
            log_outbox.enqueue(session, settings, [row["decision"] for row in fresh])
            accepted += len(fresh)
        with sessions() as session, session.begin():
            job = session.get(Job, job_id)
            assert job is not None
            job.processed_rows = min(start + len(chunk), job.total_rows)
    _finish(sessions, job_id, checked, accepted)


def _screen_all(
    sessions: sessionmaker[Session],
    rows: list[dict[str, Any]],
    lines: list[int],
    checked: bulk.Checked,
) -> tuple[dict[str, dict[str, Any]], set[int]]:
    """Screen every row before storing any (so strict mode can still record nothing).

    The core's rejects come back by row within each group; they are reported
    against the uploaded file's line, exactly as the CLI words them.
    """
    decisions: dict[str, dict[str, Any]] = {}
    screened_out: set[int] = set()
    for start in range(0, len(rows), SCREEN_ROWS):
        part = rows[start : start + SCREEN_ROWS]
        with sessions() as session:
            groups = screening_groups(session, part, {})
        for indexes, tables in groups:
            outcome = screening_adapter.screen(tables)
            if outcome is None:
                return decisions, screened_out
            decisions.update(outcome.decisions)
            for reject in outcome.rejects:
                if reject.get("table") != "declarations":
                    continue
                row_index = start + indexes[int(reject["line"]) - 1]
                screened_out.add(id(rows[row_index]))
                checked.rejects.append(
                    bulk.reject(
                        "declarations",
                        checked.filename,
                        lines[row_index],
                        str(reject.get("field")),
                        reject.get("value"),
                        str(reject.get("message")),
                    )
                )
    return decisions, screened_out


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
            session.add_all(
                EvidenceRecord(
                    kind=kind, vin=vin, record_date=when, data=data, job_id=job_id, recorded_at=now
                )
                for _, (vin, when, data) in chunk
            )
            job = session.get(Job, job_id)
            assert job is not None
            job.processed_rows = start + len(chunk)
    _finish(sessions, job_id, checked, len(checked.good))
