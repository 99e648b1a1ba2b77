"""Inspection bodies and their accreditations (per standard, with validity)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from zeromile.errors import ConflictError, InvalidInputError, NotFoundError
from zeromile.inspection import parse_standard
from zeromile.service import audit
from zeromile.service.models import Accreditation, InspectionBody, User
from zeromile.service.policy import Principal, Role


def create(
    session: Session, *, actor: str | None, body_id: str, name: str, country: str
) -> InspectionBody:
    if session.get(InspectionBody, body_id) is not None:
        raise ConflictError(f"inspection body {body_id!r} already exists")
    body = InspectionBody(body_id=body_id, name=name, country=country, created_at=audit.utcnow())
    session.add(body)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="inspection_body.create",
        entity="inspection_body",
        entity_id=body_id,
        before=None,
        after={"name": name, "country": country},
    )
    return body


def get(session: Session, principal: Principal, body_id: str) -> InspectionBody:
    """A body visible to ``principal``; inspectors see only their own."""
    body = session.get(InspectionBody, body_id)
    own = principal.role is not Role.INSPECTOR or principal.inspection_body_id == body_id
    if body is None or not own:
        raise NotFoundError(f"inspection body {body_id!r} does not exist")
    return body


def accredit(
    session: Session,
    *,
    actor: str | None,
    body: InspectionBody,
    standard: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
) -> Accreditation:
    """Accredit ``body`` for ``standard`` from ``valid_from`` to ``valid_to`` (inclusive)."""
    parse_standard(standard)
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInputError(
            f"valid_to {valid_to} is before valid_from {valid_from}",
            fields=[{"field": "valid_to", "message": "must not precede valid_from"}],
        )
    accreditation = Accreditation(
        body_id=body.body_id,
        standard=standard,
        valid_from=valid_from,
        valid_to=valid_to,
        actor_user_id=actor,
        recorded_at=audit.utcnow(),
    )
    session.add(accreditation)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="inspection_body.accredit",
        entity="inspection_body",
        entity_id=body.body_id,
        before=None,
        after={"standard": standard, "valid_from": valid_from, "valid_to": valid_to},
    )
    return accreditation


def accreditations_of(session: Session, body_id: str) -> list[Accreditation]:
    return list(
        session.scalars(
            select(Accreditation)
            .where(Accreditation.body_id == body_id)
            .order_by(Accreditation.valid_from, Accreditation.accreditation_id)
        )
    )


def is_accredited(session: Session, body_id: str, standard: str, on: dt.date) -> bool:
    """Whether some accreditation of ``body_id`` for ``standard`` covers ``on``."""
    return any(
        a.standard == standard and a.valid_from <= on and (a.valid_to is None or on <= a.valid_to)
        for a in accreditations_of(session, body_id)
    )


def inspectors_of(session: Session, body_id: str) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.inspection_body_id == body_id, User.role == Role.INSPECTOR.value)
            .order_by(User.name)
        )
    )


def screening_rows(session: Session, body_ids: list[str]) -> list[dict[str, object]]:
    """The dossier's ``inspectors`` rows for these bodies (inspector_id is the body id)."""
    rows: list[dict[str, object]] = []
    for body_id in body_ids:
        body = session.get(InspectionBody, body_id)
        accreditations = accreditations_of(session, body_id)
        if body is None or not accreditations:
            continue
        ends = [a.valid_to for a in accreditations]
        rows.append(
            {
                "inspector_id": body_id,
                "name": body.name,
                "country": body.country,
                "standards": ";".join(sorted({a.standard for a in accreditations})),
                "accredited_from": min(a.valid_from for a in accreditations),
                "accredited_to": None if None in ends else max(e for e in ends if e),
            }
        )
    return rows
