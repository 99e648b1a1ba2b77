"""``/api/v1/inspection-reports``: file (never edit) export inspection reports."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Security
from pydantic import BaseModel, Field
from sqlalchemy import select

from zeromile.inspection import ItemResult, Worksheet
from zeromile.service import audit
from zeromile.service import reports as ops
from zeromile.service.deps import Ctx, PageParams, requires
from zeromile.service.models import InspectionReport
from zeromile.service.pagination import Page, paginate
from zeromile.service.policy import Principal
from zeromile.service.routes import PROBLEM_RESPONSES, VIN_PATTERN

router = APIRouter(
    prefix="/inspection-reports", tags=["inspection-reports"], responses=PROBLEM_RESPONSES
)

MayFileReports = Annotated[Principal, Security(requires("reports.file"), scopes=["reports.file"])]
MayReadReports = Annotated[Principal, Security(requires("reports.read"), scopes=["reports.read"])]


class ReportIn(BaseModel):
    vin: str = Field(pattern=VIN_PATTERN)
    standard: str = Field(min_length=1, max_length=60)
    inspection_date: dt.date
    odometer_km: int = Field(ge=0, le=5_000_000)
    overall_result: ItemResult
    worksheet: Worksheet
    supersedes: str | None = Field(
        default=None, max_length=32, description="report_id this report corrects"
    )


class ReportOut(BaseModel):
    report_id: str
    vin: str
    body_id: str
    inspector_user_id: str
    standard: str
    inspection_date: dt.date
    odometer_km: int
    overall_result: str
    worksheet: dict[str, Any]
    supersedes: str | None
    superseded_by: str | None
    filed_at: dt.datetime


def _out(report: InspectionReport, superseded_by: str | None) -> ReportOut:
    return ReportOut(
        report_id=report.report_id,
        vin=report.vin,
        body_id=report.body_id,
        inspector_user_id=report.inspector_user_id,
        standard=report.standard,
        inspection_date=report.inspection_date,
        odometer_km=report.odometer_km,
        overall_result=report.overall_result,
        worksheet=report.worksheet,
        supersedes=report.supersedes,
        superseded_by=superseded_by,
        filed_at=report.filed_at,
    )


@router.post("", response_model=ReportOut, status_code=201)
def file_report(
    body: ReportIn,
    caller: MayFileReports,
    context: Ctx,
) -> ReportOut:
    """File a report for the caller's body; it cannot be changed afterwards."""
    with context.tx() as session:
        report = ops.file_report(
            session,
            principal=caller,
            vin=body.vin.upper(),
            standard=body.standard,
            inspection_date=body.inspection_date,
            odometer_km=body.odometer_km,
            overall_result=body.overall_result,
            worksheet=body.worksheet,
            supersedes=body.supersedes,
            today=audit.utcnow().date(),
        )
        return _out(report, None)


@router.get("", response_model=Page[ReportOut])
def list_reports(
    caller: MayReadReports,
    context: Ctx,
    page: PageParams,
    vin: Annotated[str | None, Query(pattern=VIN_PATTERN)] = None,
) -> Page[ReportOut]:
    """Reports visible to the caller, optionally for one VIN."""
    query = select(InspectionReport)
    body_scope = ops.scope(caller)
    if body_scope is not None:
        query = query.where(InspectionReport.body_id == body_scope)
    if vin:
        query = query.where(InspectionReport.vin == vin.upper())
    with context.sessions() as session:
        return paginate(
            session,
            query,
            InspectionReport.report_id,
            cursor=page.cursor,
            limit=page.limit,
            render=lambda r: _out(r, ops.superseded_by(session, r.report_id)),
        )


@router.get("/{report_id}", response_model=ReportOut)
def get_report(
    report_id: Annotated[str, Path(min_length=1, max_length=32)],
    caller: MayReadReports,
    context: Ctx,
) -> ReportOut:
    with context.sessions() as session:
        report = ops.get(session, caller, report_id)
        return _out(report, ops.superseded_by(session, report_id))
