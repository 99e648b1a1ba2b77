"""Declarations: store, de-duplicate by idempotency key, screen through the core.

Screening runs between a read and a write transaction, so the database's
write lock is never held while the core works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from zeromile.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from zeromile.service import audit, screening_adapter, security
from zeromile.service import exporters as exporter_ops
from zeromile.service.declaration_schema import DeclarationIn, DeclarationOut, VehicleIn
from zeromile.service.models import Declaration, EvidenceRecord, InspectionReport
from zeromile.service.policy import Principal, Role

DECLARATION_COLUMNS = (
    "declaration_id",
    "vin",
    "exporter_id",
    "origin",
    "origin_region",
    "destination",
    "declaration_date",
    "arrival_date",
    "declared_condition",
    "declared_odometer_km",
    "declared_value",
    "currency",
    "hs_code",
    "importer_kind",
    "documents",
)


def request_hash(body: DeclarationIn) -> str:
    """Digest of the canonical JSON (RFC 8785) of a request, to recognise a replay."""
    return hashlib.sha256(rfc8785.dumps(body.model_dump(mode="json"))).hexdigest()


def dossier_row(body: DeclarationIn, declaration_id: str, exporter_id: str) -> dict[str, Any]:
    data = body.model_dump(exclude={"vehicle"})
    data.update(declaration_id=declaration_id, exporter_id=exporter_id, vin=body.vin.upper())
    return {column: data[column] for column in DECLARATION_COLUMNS}


def dossier_tables(
    session: Session, rows: list[dict[str, Any]], vehicles: Mapping[str, VehicleIn]
) -> dict[str, list[dict[str, Any]]]:
    """The dossier tables for screening ``rows``: registry as of each date, stored evidence."""
    vins = sorted({r["vin"] for r in rows})
    evidence: dict[str, list[dict[str, Any]]] = {}
    for record in session.scalars(select(EvidenceRecord).where(EvidenceRecord.vin.in_(vins))):
        evidence.setdefault(record.kind, []).append(record.data)
    inspections = [
        {
            "vin": r.vin,
            "inspection_date": r.inspection_date,
            "odometer_km": r.odometer_km,
            "result": r.overall_result,
            "standard": r.standard,
            "body_id": r.body_id,
        }
        for r in session.scalars(select(InspectionReport).where(InspectionReport.vin.in_(vins)))
    ]
    exporters: dict[tuple[str, dt.date], dict[str, object]] = {}
    for r in rows:
        key = (r["exporter_id"], r["declaration_date"])
        if key not in exporters:
            found = exporter_ops.registry_rows(session, key[1], [key[0]])
            exporters[key] = found[0] if found else {}
    return {
        "declarations": rows,
        "vehicles": [{"vin": vin, **v.model_dump()} for vin, v in vehicles.items()],
        "exporters": [e for e in exporters.values() if e],
        "inspections": inspections,
        **evidence,
    }


def submit(
    sessions: sessionmaker[Session],
    *,
    principal: Principal,
    body: DeclarationIn,
    idempotency_key: str | None,
) -> tuple[Declaration, bool]:
    """Screen and store one declaration; returns it and whether this was a replay."""
    if principal.role is not Role.EXPORTER or principal.exporter_id is None:
        raise PermissionDeniedError("only an exporter account submits declarations")
    exporter_id = principal.exporter_id
    if body.exporter_id is not None and body.exporter_id != exporter_id:
        raise PermissionDeniedError(
            f"this account submits for exporter {exporter_id!r}, not {body.exporter_id!r}"
        )
    digest = request_hash(body)
    with sessions() as session:
        replay = _replay(session, exporter_id, idempotency_key, digest)
        if replay is not None:
            return replay, True
        declaration_id = body.declaration_id or f"D-{security.new_id()}"
        row = dossier_row(body, declaration_id, exporter_id)
        vehicles = {row["vin"]: body.vehicle} if body.vehicle else {}
        tables = dossier_tables(session, [row], vehicles)
    outcome = screening_adapter.screen(tables)
    if outcome is not None and outcome.rejects:
        raise InvalidInputError(
            f"the declaration was rejected: {outcome.rejects[0].get('message')}",
            fields=[
                {"field": str(r.get("field") or "declaration"), "message": str(r.get("message"))}
                for r in outcome.rejects
            ],
        )
    decision = outcome.decisions.get(declaration_id) if outcome else None
    with sessions() as session, session.begin():
        replay = _replay(session, exporter_id, idempotency_key, digest)
        if replay is not None:
            return replay, True
        if session.get(Declaration, declaration_id) is not None:
            raise ConflictError(f"declaration {declaration_id!r} already exists")
        declaration = Declaration(
            **row,
            vehicle=body.vehicle.model_dump() if body.vehicle else None,
            idempotency_key=idempotency_key,
            request_hash=digest,
            submitted_by=principal.user_id,
            submitted_at=audit.utcnow(),
            verdict=str(decision["verdict"]) if decision else None,
            decision=audit.jsonable(decision) if decision else None,
        )
        session.add(declaration)
        try:
            session.flush()
        except IntegrityError as exc:
            raise ConflictError(
                "a concurrent request used the same declaration id or idempotency key; "
                "retry to receive the stored result"
            ) from exc
        audit.record(
            session,
            actor=principal.user_id,
            action="declaration.submit",
            entity="declaration",
            entity_id=declaration_id,
            before=None,
            after={"vin": row["vin"], "verdict": declaration.verdict},
        )
        return declaration, False


def _replay(session: Session, exporter_id: str, key: str | None, digest: str) -> Declaration | None:
    if key is None:
        return None
    existing = session.scalar(
        select(Declaration).where(
            Declaration.exporter_id == exporter_id, Declaration.idempotency_key == key
        )
    )
    if existing is not None and existing.request_hash != digest:
        raise ConflictError(
            f"idempotency key {key!r} was used for a different declaration "
            f"({existing.declaration_id})"
        )
    return existing


def get(session: Session, principal: Principal, declaration_id: str) -> Declaration:
    declaration = session.get(Declaration, declaration_id)
    if declaration is None or not visible(principal, declaration.exporter_id):
        raise NotFoundError(f"declaration {declaration_id!r} does not exist")
    return declaration


def visible(principal: Principal, exporter_id: str) -> bool:
    return principal.sees_everything or principal.exporter_id == exporter_id


def to_out(declaration: Declaration) -> DeclarationOut:
    return DeclarationOut(
        declaration_id=declaration.declaration_id,
        exporter_id=declaration.exporter_id,
        vin=declaration.vin,
        origin=declaration.origin,
        origin_region=declaration.origin_region,
        destination=declaration.destination,
        declaration_date=declaration.declaration_date,
        arrival_date=declaration.arrival_date,
        declared_condition=declaration.declared_condition,
        declared_odometer_km=declaration.declared_odometer_km,
        declared_value=declaration.declared_value,
        currency=declaration.currency,
        hs_code=declaration.hs_code,
        importer_kind=declaration.importer_kind,
        documents=list(declaration.documents),
        vehicle=VehicleIn.model_validate(declaration.vehicle) if declaration.vehicle else None,
        submitted_at=declaration.submitted_at,
        status="decided" if declaration.verdict else "pending",
        verdict=declaration.verdict,  # type: ignore[arg-type]
        decision=declaration.decision,
    )
