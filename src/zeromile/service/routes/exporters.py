"""``/api/v1/exporters``: the registry of licensed exporters and its negative list."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Security
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from zeromile.registry import Conduct, EventKind, ExitRule
from zeromile.service import exporters as ops
from zeromile.service.deps import Ctx, PageParams, requires
from zeromile.service.models import Exporter
from zeromile.service.pagination import Page, paginate
from zeromile.service.policy import Principal, Role
from zeromile.service.routes import PROBLEM_RESPONSES

router = APIRouter(prefix="/exporters", tags=["exporters"], responses=PROBLEM_RESPONSES)

MayManageExporters = Annotated[
    Principal, Security(requires("exporters.manage"), scopes=["exporters.manage"])
]
MayReadExporters = Annotated[
    Principal, Security(requires("exporters.read"), scopes=["exporters.read"])
]
MayAddNegativeList = Annotated[
    Principal, Security(requires("negative_list.add"), scopes=["negative_list.add"])
]
MayReadNegativeList = Annotated[
    Principal, Security(requires("negative_list.read"), scopes=["negative_list.read"])
]


ExporterId = Annotated[str, Path(min_length=1, max_length=64)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]


class ExporterApplication(BaseModel):
    exporter_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=300)
    country: Country
    region: str | None = Field(default=None, max_length=100)
    applied_on: dt.date
    reason: str = Field(default="application received", min_length=1, max_length=2000)


class ExporterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    exporter_id: str
    name: str
    country: str
    region: str | None
    status: str
    licence_no: str | None
    licensed_from: dt.date | None
    licensed_to: dt.date | None


class LicenceEventIn(BaseModel):
    kind: Literal["approve", "suspend", "revoke", "reinstate"]
    effective_date: dt.date
    reason: str = Field(min_length=1, max_length=2000)
    licence_no: str | None = Field(default=None, min_length=1, max_length=100)
    licensed_from: dt.date | None = None
    licensed_to: dt.date | None = None


class LicenceEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_id: int
    kind: str
    effective_date: dt.date
    reason: str
    licence_no: str | None
    licensed_from: dt.date | None
    licensed_to: dt.date | None
    actor_user_id: str | None
    recorded_at: dt.datetime


class NegativeEntryIn(BaseModel):
    entry_date: dt.date
    conduct: Conduct
    description: str = Field(min_length=1, max_length=4000)


class NegativeEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    entry_id: int
    entry_date: dt.date
    conduct: str
    description: str
    actor_user_id: str | None
    recorded_at: dt.datetime


class NegativeEntryResult(BaseModel):
    entry: NegativeEntryOut
    suspended: bool = Field(description="Whether this entry met the exit rule and suspended.")
    exporter: ExporterOut


class RegistryRow(BaseModel):
    exporter_id: str
    name: str
    country: str
    region: str | None
    licence_no: str | None
    licensed_from: dt.date | None
    licensed_to: dt.date | None
    status: str


@router.get("", response_model=Page[ExporterOut])
def list_exporters(
    caller: MayReadExporters,
    context: Ctx,
    page: PageParams,
) -> Page[ExporterOut]:
    """Exporters visible to the caller (an exporter account sees only its own)."""
    query = select(Exporter)
    if caller.role is Role.EXPORTER:
        query = query.where(Exporter.exporter_id == caller.exporter_id)
    with context.sessions() as session:
        return paginate(
            session,
            query,
            Exporter.exporter_id,
            cursor=page.cursor,
            limit=page.limit,
            render=ExporterOut.model_validate,
        )


@router.post("", response_model=ExporterOut, status_code=201)
def apply(
    body: ExporterApplication,
    caller: MayManageExporters,
    context: Ctx,
) -> ExporterOut:
    """Record an exporter's licence application."""
    with context.tx() as session:
        exporter = ops.apply(
            session,
            actor=caller.user_id,
            exporter_id=body.exporter_id,
            name=body.name,
            country=body.country,
            region=body.region,
            on=body.applied_on,
            reason=body.reason,
        )
        return ExporterOut.model_validate(exporter)


@router.get("/registry", response_model=list[RegistryRow])
def registry(
    caller: MayManageExporters,
    context: Ctx,
    as_of: Annotated[dt.date, Query(description="The date the registry is read on")],
) -> list[RegistryRow]:
    """The registry as the screening sees it on ``as_of`` (status folded from events)."""
    with context.sessions() as session:
        return [RegistryRow.model_validate(r) for r in ops.registry_rows(session, as_of)]


@router.get("/{exporter_id}", response_model=ExporterOut)
def get_exporter(
    exporter_id: ExporterId,
    caller: MayReadExporters,
    context: Ctx,
) -> ExporterOut:
    with context.sessions() as session:
        return ExporterOut.model_validate(ops.get(session, caller, exporter_id))


@router.get("/{exporter_id}/events", response_model=list[LicenceEventOut])
def list_events(
    exporter_id: ExporterId,
    caller: MayReadExporters,
    context: Ctx,
) -> list[LicenceEventOut]:
    """The licence's dated history."""
    with context.sessions() as session:
        ops.get(session, caller, exporter_id)
        return [LicenceEventOut.model_validate(e) for e in ops.events_of(session, exporter_id)]


@router.post("/{exporter_id}/events", response_model=ExporterOut, status_code=201)
def add_event(
    exporter_id: ExporterId,
    body: LicenceEventIn,
    caller: MayManageExporters,
    context: Ctx,
) -> ExporterOut:
    """Approve, suspend, revoke or reinstate, effective on a date, with a reason."""
    with context.tx() as session:
        exporter = ops.transition(
            session,
            actor=caller.user_id,
            exporter=ops.get(session, caller, exporter_id),
            kind=EventKind(body.kind),
            on=body.effective_date,
            reason=body.reason,
            licence_no=body.licence_no,
            licensed_from=body.licensed_from,
            licensed_to=body.licensed_to,
        )
        return ExporterOut.model_validate(exporter)


@router.get("/{exporter_id}/negative-list", response_model=list[NegativeEntryOut])
def list_negative(
    exporter_id: ExporterId,
    caller: MayReadNegativeList,
    context: Ctx,
) -> list[NegativeEntryOut]:
    with context.sessions() as session:
        ops.get(session, caller, exporter_id)
        entries = ops.negative_entries_of(session, exporter_id)
        return [NegativeEntryOut.model_validate(e) for e in entries]


@router.post("/{exporter_id}/negative-list", response_model=NegativeEntryResult, status_code=201)
def add_negative(
    exporter_id: ExporterId,
    body: NegativeEntryIn,
    caller: MayAddNegativeList,
    context: Ctx,
) -> NegativeEntryResult:
    """Record dishonest conduct; the exit rule may suspend the licence in the same step."""
    settings = context.settings
    rule = ExitRule(settings.negative_list_threshold, settings.negative_list_window_days)
    with context.tx() as session:
        exporter = ops.get(session, caller, exporter_id)
        entry, suspended = ops.add_negative_entry(
            session,
            actor=caller.user_id,
            exporter=exporter,
            on=body.entry_date,
            conduct=body.conduct,
            description=body.description,
            rule=rule,
        )
        return NegativeEntryResult(
            entry=NegativeEntryOut.model_validate(entry),
            suspended=suspended,
            exporter=ExporterOut.model_validate(exporter),
        )
