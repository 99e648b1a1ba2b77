"""Inspection reports: filed once by an accredited body's inspector, then immutable.

A correction is a new report naming the one it supersedes; the original stays
readable, marked as superseded. There is no update or delete operation.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zeromile.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from zeromile.inspection import (
    ItemResult,
    Worksheet,
    overall_from_items,
    parse_standard,
    validate_worksheet,
)
from zeromile.service import audit, bodies, security
from zeromile.service.models import InspectionReport
from zeromile.service.policy import Principal, Role


def file_report(
    session: Session,
    *,
    principal: Principal,
    vin: str,
    standard: str,
    inspection_date: dt.date,
    odometer_km: int,
    overall_result: ItemResult,
    worksheet: Worksheet,
    supersedes: str | None,
    today: dt.date,
) -> InspectionReport:
    """Check who files, against what, and the worksheet; then store the report."""
    if principal.role is not Role.INSPECTOR or principal.inspection_body_id is None:
        raise PermissionDeniedError("only an inspector of an inspection body files reports")
    body_id = principal.inspection_body_id
    parse_standard(standard)
    if inspection_date > today:
        raise InvalidInputError(
            f"inspection_date {inspection_date} is in the future (today is {today})",
            fields=[{"field": "inspection_date", "message": "must not be in the future"}],
        )
    if not bodies.is_accredited(session, body_id, standard, inspection_date):
        raise PermissionDeniedError(
            f"inspection body {body_id!r} is not accredited for {standard} on {inspection_date}"
        )
    validate_worksheet(worksheet)
    if overall_result is ItemResult.NOT_APPLICABLE:
        raise InvalidInputError(
            "overall_result must be pass or fail",
            fields=[{"field": "overall_result", "message": "expected pass or fail"}],
        )
    if overall_result is ItemResult.PASS and overall_from_items(worksheet) is ItemResult.FAIL:
        raise InvalidInputError(
            "overall_result is pass but at least one applicable item failed",
            fields=[{"field": "overall_result", "message": "contradicts failed items"}],
        )
    if supersedes is not None:
        _check_supersedable(session, supersedes, vin=vin, body_id=body_id)
    report = InspectionReport(
        report_id=security.new_id(),
        vin=vin,
        body_id=body_id,
        inspector_user_id=principal.user_id,
        standard=standard,
        inspection_date=inspection_date,
        odometer_km=odometer_km,
        overall_result=overall_result.value,
        worksheet=worksheet.model_dump(mode="json"),
        supersedes=supersedes,
        filed_at=audit.utcnow(),
    )
    session.add(report)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent correction of the same report won
        raise ConflictError(f"report {supersedes!r} has already been superseded") from exc
    audit.record(
        session,
        actor=principal.user_id,
        action="inspection_report.file",
        entity="inspection_report",
        entity_id=report.report_id,
        before=None,
        after={
            "vin": vin,
            "standard": standard,
            "overall_result": report.overall_result,
            "supersedes": supersedes,
        },
    )
    return report


def _check_supersedable(session: Session, report_id: str, *, vin: str, body_id: str) -> None:
    old = session.get(InspectionReport, report_id)
    if old is None or old.body_id != body_id:
        raise NotFoundError(f"inspection report {report_id!r} does not exist for this body")
    if old.vin != vin:
        raise InvalidInputError(
            f"a correction must concern the same VIN ({old.vin}), not {vin}",
            fields=[{"field": "vin", "message": "differs from the superseded report"}],
        )
    if superseded_by(session, report_id) is not None:
        raise ConflictError(f"report {report_id!r} has already been superseded")


def superseded_by(session: Session, report_id: str) -> str | None:
    return session.scalar(
        select(InspectionReport.report_id).where(InspectionReport.supersedes == report_id)
    )


def get(session: Session, principal: Principal, report_id: str) -> InspectionReport:
    report = session.get(InspectionReport, report_id)
    if report is None or not _visible(principal, report):
        raise NotFoundError(f"inspection report {report_id!r} does not exist")
    return report


def _visible(principal: Principal, report: InspectionReport) -> bool:
    return principal.sees_everything or report.body_id == principal.inspection_body_id


def scope(principal: Principal) -> str | None:
    """The body whose reports ``principal`` may list (None: all)."""
    return None if principal.sees_everything else principal.inspection_body_id or ""
