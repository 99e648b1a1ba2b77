"""Seed the service's store from a synthetic world, for ``zeromile demo``.

The world's exporter registry becomes licence events, its inspectors become
accredited inspection bodies, its evidence feeds and screened declarations are
loaded, and one account per role is created.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from zeromile.errors import InvalidInputError
from zeromile.registry import EventKind
from zeromile.service import audit, bodies, exporters
from zeromile.service.context import ServiceContext
from zeromile.service.declarations import DECLARATION_COLUMNS
from zeromile.service.models import Declaration, EvidenceRecord, Exporter
from zeromile.service.policy import Role
from zeromile.service.users import NewAccount, create_user

_EVIDENCE_DATES = {
    "registrations": "event_date",
    "odometer": "reading_date",
    "maintenance": "service_date",
}
_FINAL = {"suspended": EventKind.SUSPEND, "revoked": EventKind.REVOKE}


def _rows(folder: Path, table: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = folder / f"{table}.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []


def seed(
    context: ServiceContext, dossier: Path, decisions: Path, *, today: dt.date
) -> list[NewAccount]:
    """Load the world into the service and return the demo accounts (one per role)."""
    exporter_rows = _rows(dossier, "exporters")
    body_rows = _rows(dossier, "inspectors")
    with context.tx() as session:
        for row in exporter_rows:
            start = row["licensed_from"]
            exporter = exporters.apply(
                session,
                actor=None,
                exporter_id=row["exporter_id"],
                name=row["name"],
                country=row["country"],
                region=row.get("region"),
                on=start - dt.timedelta(days=30),
                reason="synthetic world: application",
            )
            end = row.get("licensed_to") or start + dt.timedelta(days=3 * 365)
            exporters.transition(
                session,
                actor=None,
                exporter=exporter,
                kind=EventKind.APPROVE,
                on=start,
                reason="synthetic world: licence",
                licence_no=row.get("licence_no") or f"DEMO-{row['exporter_id']}",
                licensed_from=start,
                licensed_to=end,
            )
            if row["status"] in _FINAL:
                # the world gives no date: the change takes effect today, or on the
                # licence's last day if it has lapsed (a lapsed licence cannot be suspended)
                exporters.transition(
                    session,
                    actor=None,
                    exporter=exporter,
                    kind=_FINAL[row["status"]],
                    on=max(min(today, end), start),
                    reason=f"synthetic world: {row['status']}",
                )
        for row in body_rows:
            body = bodies.create(
                session,
                actor=None,
                body_id=row["inspector_id"],
                name=row["name"],
                country=row["country"],
            )
            for standard in str(row.get("standards") or "").split(";"):
                try:
                    bodies.accredit(
                        session,
                        actor=None,
                        body=body,
                        standard=standard,
                        valid_from=row["accredited_from"],
                        valid_to=row.get("accredited_to"),
                    )
                except InvalidInputError:
                    continue  # a standard the service does not model
    now = audit.utcnow()
    for kind, date_column in _EVIDENCE_DATES.items():
        rows = _rows(dossier, kind)
        for start in range(0, len(rows), 20_000):
            with context.tx() as session:
                session.execute(
                    insert(EvidenceRecord),
                    [
                        {
                            "kind": kind,
                            "vin": r["vin"],
                            "record_date": r.get(date_column),
                            "data": audit.jsonable(r),
                            "job_id": "demo",
                            "recorded_at": now,
                        }
                        for r in rows[start : start + 20_000]
                    ],
                )
    _load_declarations(context, dossier, decisions, now)
    return _accounts(context, exporter_rows, body_rows)


def _load_declarations(
    context: ServiceContext, dossier: Path, decisions: Path, now: dt.datetime
) -> None:
    import pyarrow.parquet as pq

    decided = {r["declaration_id"]: r for r in pq.read_table(decisions).to_pylist()}
    rows = _rows(dossier, "declarations")
    with context.tx() as session:
        known = set(session.scalars(select(Exporter.exporter_id)))
        for r in rows:
            if r["exporter_id"] not in known:
                # declared by an exporter absent from the registry: an identity, no licence
                known.add(r["exporter_id"])
                session.add(
                    Exporter(
                        exporter_id=r["exporter_id"],
                        name="(not in the registry)",
                        country=r["origin"],
                        region=None,
                        status="unknown",
                        created_at=now,
                    )
                )
    for start in range(0, len(rows), 20_000):
        batch = []
        for r in rows[start : start + 20_000]:
            decision = decided.get(r["declaration_id"])
            documents = r.get("documents")
            batch.append(
                {
                    **{c: r.get(c) for c in DECLARATION_COLUMNS},
                    "documents": documents.split(";") if isinstance(documents, str) else [],
                    "vehicle": None,
                    "submitted_at": now,
                    "job_id": "demo",
                    "verdict": decision["verdict"] if decision else None,
                    "decision": audit.jsonable(decision) if decision else None,
                }
            )
        with context.tx() as session:
            session.execute(insert(Declaration), batch)


def _accounts(
    context: ServiceContext, exporter_rows: list[dict[str, Any]], body_rows: list[dict[str, Any]]
) -> list[NewAccount]:
    accounts = []
    with context.tx() as session:
        for role in Role:
            extra: dict[str, str | None] = {}
            if role is Role.EXPORTER:
                extra["exporter_id"] = exporter_rows[0]["exporter_id"] if exporter_rows else None
            if role is Role.INSPECTOR:
                extra["inspection_body_id"] = body_rows[0]["inspector_id"] if body_rows else None
            if None in extra.values():
                continue
            accounts.append(
                create_user(session, name=f"demo-{role.value}", role=role, actor=None, **extra)
            )
    return accounts
