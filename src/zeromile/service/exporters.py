"""Exporter registry operations on the database: each change an event plus an audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zeromile.errors import ConflictError, NotFoundError, PermissionDeniedError
from zeromile.registry import (
    Conduct,
    EventKind,
    ExitRule,
    ExporterIdentity,
    LicenceEvent,
    check_transition,
    registry_as_of,
    state_as_of,
)
from zeromile.service import audit
from zeromile.service.models import Exporter, ExporterEvent, NegativeListEntry
from zeromile.service.policy import Principal


def _snapshot(exporter: Exporter) -> dict[str, Any]:
    return {
        "name": exporter.name,
        "country": exporter.country,
        "region": exporter.region,
        "status": exporter.status,
        "licence_no": exporter.licence_no,
        "licensed_from": exporter.licensed_from,
        "licensed_to": exporter.licensed_to,
    }


def _events(session: Session, exporter_id: str) -> list[LicenceEvent]:
    rows = session.scalars(
        select(ExporterEvent)
        .where(ExporterEvent.exporter_id == exporter_id)
        .order_by(ExporterEvent.event_id)
    )
    return [_as_event(row) for row in rows]


def _as_event(row: ExporterEvent) -> LicenceEvent:
    return LicenceEvent(
        exporter_id=row.exporter_id,
        kind=EventKind(row.kind),
        effective_date=row.effective_date,
        sequence=row.event_id,
        reason=row.reason,
        licence_no=row.licence_no,
        licensed_from=row.licensed_from,
        licensed_to=row.licensed_to,
    )


def get(session: Session, principal: Principal, exporter_id: str) -> Exporter:
    """An exporter visible to ``principal`` (an exporter account sees only its own)."""
    exporter = session.get(Exporter, exporter_id)
    visible = principal.sees_everything or principal.role.value == "inspector"
    if exporter is None or not (visible or principal.exporter_id == exporter_id):
        raise NotFoundError(f"exporter {exporter_id!r} does not exist")
    return exporter


def apply(
    session: Session,
    *,
    actor: str | None,
    exporter_id: str,
    name: str,
    country: str,
    region: str | None,
    on: dt.date,
    reason: str,
) -> Exporter:
    """Register an application: the exporter's identity and its first event."""
    if session.get(Exporter, exporter_id) is not None:
        raise ConflictError(f"exporter {exporter_id!r} already exists")
    exporter = Exporter(
        exporter_id=exporter_id,
        name=name,
        country=country,
        region=region,
        status="unknown",
        created_at=audit.utcnow(),
    )
    session.add(exporter)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exporter.create",
        entity="exporter",
        entity_id=exporter_id,
        before=None,
        after=_snapshot(exporter),
    )
    return transition(
        session, actor=actor, exporter=exporter, kind=EventKind.APPLY, on=on, reason=reason
    )


def transition(
    session: Session,
    *,
    actor: str | None,
    exporter: Exporter,
    kind: EventKind,
    on: dt.date,
    reason: str,
    licence_no: str | None = None,
    licensed_from: dt.date | None = None,
    licensed_to: dt.date | None = None,
) -> Exporter:
    """Record one licence event after checking it may follow the history."""
    history = _events(session, exporter.exporter_id)
    candidate = LicenceEvent(
        exporter.exporter_id, kind, on, 1 << 62, reason, licence_no, licensed_from, licensed_to
    )
    check_transition(history, candidate)
    before = _snapshot(exporter)
    row = ExporterEvent(
        exporter_id=exporter.exporter_id,
        kind=kind.value,
        effective_date=on,
        reason=reason,
        licence_no=licence_no,
        licensed_from=licensed_from,
        licensed_to=licensed_to,
        actor_user_id=actor,
        recorded_at=audit.utcnow(),
    )
    session.add(row)
    session.flush()
    state = state_as_of([*history, _as_event(row)], on)
    exporter.status = state.status.value
    exporter.licence_no = state.licence_no
    exporter.licensed_from = state.licensed_from
    exporter.licensed_to = state.licensed_to
    audit.record(
        session,
        actor=actor,
        action=f"exporter.{kind.value}",
        entity="exporter",
        entity_id=exporter.exporter_id,
        before=before,
        after={**_snapshot(exporter), "effective_date": on, "reason": reason},
    )
    return exporter


def add_negative_entry(
    session: Session,
    *,
    actor: str | None,
    exporter: Exporter,
    on: dt.date,
    conduct: Conduct,
    description: str,
    rule: ExitRule,
) -> tuple[NegativeListEntry, bool]:
    """Record dishonest conduct; suspend the licence when the exit rule is met.

    Returns the entry and whether this entry suspended the licence.
    """
    entry = NegativeListEntry(
        exporter_id=exporter.exporter_id,
        entry_date=on,
        conduct=conduct.value,
        description=description,
        actor_user_id=actor,
        recorded_at=audit.utcnow(),
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="negative_list.add",
        entity="exporter",
        entity_id=exporter.exporter_id,
        before=None,
        after={"entry_id": entry.entry_id, "entry_date": on, "conduct": conduct.value},
    )
    dates = session.scalars(
        select(NegativeListEntry.entry_date).where(
            NegativeListEntry.exporter_id == exporter.exporter_id
        )
    ).all()
    history = _events(session, exporter.exporter_id)
    licensed = state_as_of(history, on).status.value == "licensed"
    latest = max((e.effective_date for e in history), default=on)
    if licensed and on >= latest and rule.triggered(dates, on):
        count = rule.entries_in_window(dates, on)
        transition(
            session,
            actor=actor,
            exporter=exporter,
            kind=EventKind.SUSPEND,
            on=on,
            reason=rule.reason(count),
        )
        return entry, True
    return entry, False


def events_of(session: Session, exporter_id: str) -> list[ExporterEvent]:
    return list(
        session.scalars(
            select(ExporterEvent)
            .where(ExporterEvent.exporter_id == exporter_id)
            .order_by(ExporterEvent.effective_date, ExporterEvent.event_id)
        )
    )


def negative_entries_of(session: Session, exporter_id: str) -> list[NegativeListEntry]:
    return list(
        session.scalars(
            select(NegativeListEntry)
            .where(NegativeListEntry.exporter_id == exporter_id)
            .order_by(NegativeListEntry.entry_date, NegativeListEntry.entry_id)
        )
    )


def registry_rows(
    session: Session, on: dt.date, exporter_ids: list[str] | None = None
) -> list[dict[str, object]]:
    """The screening's ``exporters`` rows as of ``on`` (all, or the named exporters)."""
    query = select(Exporter)
    events_query = select(ExporterEvent)
    if exporter_ids is not None:
        query = query.where(Exporter.exporter_id.in_(exporter_ids))
        events_query = events_query.where(ExporterEvent.exporter_id.in_(exporter_ids))
    identities = [
        ExporterIdentity(e.exporter_id, e.name, e.country, e.region)
        for e in session.scalars(query.order_by(Exporter.exporter_id))
    ]
    events = [_as_event(row) for row in session.scalars(events_query)]
    return registry_as_of(identities, events, on)


def require_own(principal: Principal, exporter_id: str) -> None:
    """An exporter account acts only for its own exporter."""
    if principal.role.value == "exporter" and principal.exporter_id != exporter_id:
        raise PermissionDeniedError(
            f"this account acts for exporter {principal.exporter_id!r}, not {exporter_id!r}"
        )


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Exporter)) or 0
