"""Declarations: store, de-duplicate by idempotency key, screen through the core.

Screening runs between a read and a write transaction, so the database's
write lock is never held while the core works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import rfc8785
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from zeromile.dossier.contract import TABLES
from zeromile.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from zeromile.registry import contract_row
from zeromile.service import audit, bodies, log_outbox, screening_adapter, security, store
from zeromile.service import exporters as exporter_ops
from zeromile.service import reports as report_ops
from zeromile.service.declaration_schema import DeclarationIn, DeclarationOut, VehicleIn
from zeromile.service.models import Declaration, EvidenceRecord, InspectionReport
from zeromile.service.policy import Principal, Role
from zeromile.service.screening_adapter import ScreenOutcome, Tables
from zeromile.service.settings import Settings

#: Columns stored for a declaration (the contract's, plus ``origin_region``).
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
    """The declaration's stored columns (:data:`DECLARATION_COLUMNS`, in that order).

    Read from the validated model's attributes, as ``model_dump`` would give them
    (bulk uploads build one per row, so no dump of the whole model).
    """
    row = {column: getattr(body, column) for column in DECLARATION_COLUMNS}
    row.update(
        declaration_id=declaration_id,
        exporter_id=exporter_id,
        vin=body.vin.upper(),
        documents=list(body.documents),
    )
    return row


@cache
def _contract_columns(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in TABLES[table].columns)


def _contract(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """Keep the contract's columns; lists become the contract's ``;``-joined codes."""
    out = {}
    for name in _contract_columns(table):
        value = row.get(name)
        out[name] = ";".join(value) if isinstance(value, list) else value
    return out


def _as_text(row: Mapping[str, Any]) -> dict[str, Any]:
    """Evidence from feeds mixes CSV text and Parquet types; the contract validates text."""
    return {k: None if v is None else str(v) for k, v in row.items()}


def screening_groups(
    session: Session, rows: list[dict[str, Any]], vehicles: Mapping[str, VehicleIn]
) -> list[tuple[list[int], dict[str, list[dict[str, Any]]]]]:
    """Dossier tables for ``rows``, grouped so each group sees one registry state.

    Returns (indexes of ``rows`` in the group, tables). The registry is read as
    of each declaration's date; declarations whose exporters' rows agree share
    a group (usually all of them).
    """
    vins = sorted({r["vin"] for r in rows})
    evidence: dict[str, list[dict[str, Any]]] = {}
    for record in session.scalars(
        select(EvidenceRecord).where(store.one_of(session, EvidenceRecord.vin, vins))
    ):
        evidence.setdefault(record.kind, []).append(_as_text(_contract(record.kind, record.data)))
    inspections = [
        {
            "report_id": r.report_id,
            "vin": r.vin,
            "inspector_id": r.body_id,
            "inspection_date": r.inspection_date,
            "standard": r.standard,
            "odometer_km": r.odometer_km,
            "result": r.overall_result,
            "battery_soh_pct": r.worksheet.get("battery_state_of_health_pct"),
        }
        for r in session.scalars(
            select(InspectionReport).where(store.one_of(session, InspectionReport.vin, vins))
        )
        if report_ops.superseded_by(session, r.report_id) is None
    ]
    body_ids = sorted({str(i["inspector_id"]) for i in inspections})
    shared = {
        "vehicles": [
            _contract("vehicles", {"vin": v, **b.model_dump()}) for v, b in vehicles.items()
        ],
        "inspections": inspections,
        "inspectors": bodies.screening_rows(session, body_ids),
        **evidence,
    }
    # (exporter, its registry row as a sorted tuple) for each (exporter, date) seen
    group_of: dict[tuple[str, dt.date], tuple[Any, ...]] = {}
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, r in enumerate(rows):
        key = (r["exporter_id"], r["declaration_date"])
        group = group_of.get(key)
        if group is None:
            found = exporter_ops.registry_rows(session, key[1], [key[0]])
            registry = (contract_row(found[0]) if found else None) or {}
            state = tuple(sorted(registry.items()))
            group = group_of[key] = (key[0], state)
        groups.setdefault(group, []).append(index)
    out = []
    for (_, state), indexes in groups.items():
        tables = {
            **shared,
            "declarations": [_contract("declarations", rows[i]) for i in indexes],
            "exporters": [dict(state)] if state else [],
        }
        out.append((indexes, tables))
    return out


def submit(
    sessions: sessionmaker[Session],
    *,
    screen: Callable[[Tables], ScreenOutcome | None] | None = None,
    principal: Principal,
    body: DeclarationIn,
    idempotency_key: str | None,
    log_settings: Settings | None = None,
) -> tuple[Declaration, bool]:
    """Screen and store one declaration; returns it and whether this was a replay.

    With ``log_settings`` of a server that operates the log, the decision is queued
    for it in the same transaction.
    """
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
        groups = screening_groups(session, [row], vehicles)
    outcome = (screen or screening_adapter.screen)(groups[0][1])
    blocking = [r for r in (outcome.rejects if outcome else []) if r.get("table") in _OWN_TABLES]
    if blocking:
        raise InvalidInputError(
            f"the declaration was rejected: {blocking[0].get('field')}: {blocking[0].get('message')}",
            fields=[
                {"field": _reject_field(r), "message": str(r.get("message"))} for r in blocking
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
        if log_settings is not None:
            log_outbox.enqueue(session, log_settings, [declaration.decision])
        return declaration, False


#: Rejects in these tables concern the request itself; others concern stored evidence.
_OWN_TABLES = ("declarations", "vehicles")


def _reject_field(reject: Mapping[str, Any]) -> str:
    name = str(reject.get("field") or "declaration")
    return f"vehicle.{name}" if reject.get("table") == "vehicles" else name


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
        verdict=declaration.verdict,
        decision=declaration.decision,
    )
