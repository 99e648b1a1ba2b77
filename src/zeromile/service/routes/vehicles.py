"""``/api/v1/vehicles/{vin}``: one car's timeline across everything the service holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Security
from pydantic import BaseModel, Field
from sqlalchemy import select

from zeromile.errors import LogError
from zeromile.service import declarations as declaration_ops
from zeromile.service import log_outbox
from zeromile.service import reports as report_ops
from zeromile.service.declaration_schema import DeclarationOut
from zeromile.service.deps import Ctx, requires
from zeromile.service.models import Declaration, EvidenceRecord, InspectionReport
from zeromile.service.policy import Principal
from zeromile.service.routes import PROBLEM_RESPONSES, VIN_PATTERN

router = APIRouter(prefix="/vehicles", tags=["vehicles"], responses=PROBLEM_RESPONSES)

MayReadVehicles = Annotated[
    Principal, Security(requires("vehicles.read"), scopes=["vehicles.read"])
]


class TimelineEvent(BaseModel):
    date: dt.date | None
    kind: str = Field(description="registration, odometer, maintenance, inspection, declaration")
    source: str = Field(description="Where the record came from (feed, report id, declaration id)")
    data: dict[str, Any]


class VehicleTimeline(BaseModel):
    vin: str
    events: list[TimelineEvent]
    declarations: list[DeclarationOut]
    log_proofs: list[dict[str, Any]] = Field(
        default_factory=list, description="Inclusion proofs when the transparency log is on."
    )
    log_pending: list[str] = Field(
        default_factory=list,
        description="Declarations whose decisions are queued for the log but not yet in it.",
    )


@router.get("/{vin}", response_model=VehicleTimeline)
def timeline(
    vin: Annotated[str, Path(pattern=VIN_PATTERN)], caller: MayReadVehicles, context: Ctx
) -> VehicleTimeline:
    """Registrations, odometer readings, maintenance, inspections and declarations, by date."""
    vin = vin.upper()
    events: list[TimelineEvent] = []
    with context.sessions() as session:
        for record in session.scalars(select(EvidenceRecord).where(EvidenceRecord.vin == vin)):
            events.append(
                TimelineEvent(
                    date=record.record_date,
                    kind=record.kind,
                    source=f"feed:{record.job_id or 'direct'}",
                    data=record.data,
                )
            )
        for report in session.scalars(select(InspectionReport).where(InspectionReport.vin == vin)):
            events.append(
                TimelineEvent(
                    date=report.inspection_date,
                    kind="inspection",
                    source=f"inspection-report:{report.report_id}",
                    data={
                        "body_id": report.body_id,
                        "standard": report.standard,
                        "odometer_km": report.odometer_km,
                        "overall_result": report.overall_result,
                        "superseded_by": report_ops.superseded_by(session, report.report_id),
                    },
                )
            )
        declarations = [
            declaration_ops.to_out(d)
            for d in session.scalars(
                select(Declaration)
                .where(Declaration.vin == vin)
                .order_by(Declaration.declaration_date, Declaration.declaration_id)
            )
        ]
        ids = [d.declaration_id for d in declarations]
        queued = log_outbox.pending(session, ids)
    for d in declarations:
        events.append(
            TimelineEvent(
                date=d.declaration_date,
                kind="declaration",
                source=f"declaration:{d.declaration_id}",
                data={"exporter_id": d.exporter_id, "verdict": d.verdict, "status": d.status},
            )
        )
    events.sort(key=lambda e: (e.date or dt.date.min, e.kind, e.source))
    proofs = _log_proofs(context.settings.log_dir, ids)
    proven = {p["declaration_id"] for p in proofs}
    return VehicleTimeline(
        vin=vin,
        events=events,
        declarations=declarations,
        log_proofs=proofs,
        log_pending=sorted(queued - proven),
    )


def _log_proofs(log_dir: FsPath | None, declaration_ids: list[str]) -> list[dict[str, Any]]:
    """Inclusion-proof bundles of the declarations' latest log entries (when there is a log)."""
    if log_dir is None or not declaration_ids:
        return []
    from zeromile.tlog.proofs import prove
    from zeromile.tlog.publish import entry_index
    from zeromile.tlog.reader import LogReader

    reader = LogReader(log_dir)
    proofs = []
    for declaration_id in declaration_ids:
        try:
            index = entry_index(log_dir, declaration_id)
        except LogError:
            continue  # not (yet) logged
        proofs.append({"declaration_id": declaration_id, **prove(reader, index).to_json()})
    return proofs
