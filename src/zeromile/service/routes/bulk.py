"""Bulk uploads as background jobs: declarations and evidence feeds, and ``/jobs``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Header, Path, Query, Response, Security, UploadFile
from pydantic import BaseModel, ConfigDict

from zeromile.errors import PayloadTooLargeError
from zeromile.service import bulk
from zeromile.service import jobs as ops
from zeromile.service.deps import Ctx, requires
from zeromile.service.models import Job
from zeromile.service.policy import Principal
from zeromile.service.routes import PROBLEM_RESPONSES

router = APIRouter(tags=["bulk"], responses=PROBLEM_RESPONSES)

MaySubmitDeclarations = Annotated[
    Principal, Security(requires("declarations.submit"), scopes=["declarations.submit"])
]
MayLoadEvidence = Annotated[
    Principal, Security(requires("evidence.load"), scopes=["evidence.load"])
]
MayReadJobs = Annotated[Principal, Security(requires("jobs.read"), scopes=["jobs.read"])]
IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)
]
Strict = Annotated[bool, Query(description="Record nothing if any row is rejected.")]
Upload = Annotated[UploadFile, File(description="CSV (header row) or Parquet, dossier columns")]


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    job_id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    strict: bool
    total_rows: int
    processed_rows: int
    accepted_rows: int
    rejected_rows: int
    error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


class Reject(BaseModel):
    table: str
    file: str
    line: int
    field: str
    value: str | None
    message: str


class JobResult(BaseModel):
    job: JobOut
    rejects: list[Reject]


def _start(
    context: Ctx,
    caller: Principal,
    kind: str,
    upload: UploadFile,
    strict: bool,
    key: str | None,
    response: Response,
) -> JobOut:
    filename = upload.filename or "upload"
    rows, first_line = bulk.read_rows(upload.file.read(), filename)
    if len(rows) > context.settings.bulk_max_rows:
        raise PayloadTooLargeError(
            f"{filename} has {len(rows)} rows; at most {context.settings.bulk_max_rows} per upload"
        )
    if kind == "declarations":
        checked = bulk.check_declarations(rows, first_line, filename)
    else:
        checked = bulk.check_evidence(kind, rows, first_line, filename)
    with context.tx() as session:
        job, replayed = ops.create(
            session,
            principal=caller,
            kind=kind,
            idempotency_key=key,
            strict=strict,
            total_rows=len(rows),
        )
        out = JobOut.model_validate(job)
    if replayed:
        response.status_code = 200
        return out
    if kind == "declarations":
        context.jobs.submit(
            ops.run_declarations, context.sessions, job.job_id, caller, checked, context.settings
        )
    else:
        context.jobs.submit(ops.run_evidence, context.sessions, job.job_id, kind, checked)
    return out


@router.post("/declarations/bulk", response_model=JobOut, status_code=202)
def upload_declarations(
    file: Upload,
    caller: MaySubmitDeclarations,
    context: Ctx,
    response: Response,
    strict: Strict = False,
    idempotency_key: IdempotencyKey = None,
) -> JobOut:
    """Queue a declarations file; poll ``/jobs/{job_id}`` for progress and result."""
    return _start(context, caller, "declarations", file, strict, idempotency_key, response)


@router.post("/evidence/{kind}/bulk", response_model=JobOut, status_code=202)
def upload_evidence(
    kind: Annotated[Literal["registrations", "odometer", "maintenance"], Path()],
    file: Upload,
    caller: MayLoadEvidence,
    context: Ctx,
    response: Response,
    strict: Strict = False,
    idempotency_key: IdempotencyKey = None,
) -> JobOut:
    """Queue an evidence feed (registrations, odometer readings, maintenance records)."""
    return _start(context, caller, kind, file, strict, idempotency_key, response)


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(
    job_id: Annotated[str, Path(min_length=1, max_length=32)], caller: MayReadJobs, context: Ctx
) -> JobOut:
    with context.sessions() as session:
        return JobOut.model_validate(ops.get(session, caller, job_id))


@router.get("/jobs/{job_id}/result", response_model=JobResult)
def get_job_result(
    job_id: Annotated[str, Path(min_length=1, max_length=32)], caller: MayReadJobs, context: Ctx
) -> JobResult:
    """The job and its rejects (table, file, line, field, value, message), as the CLI reports."""
    with context.sessions() as session:
        job: Job = ops.get(session, caller, job_id)
        result: dict[str, Any] = job.result or {}
        return JobResult(
            job=JobOut.model_validate(job),
            rejects=[Reject.model_validate(r) for r in result.get("rejects", [])],
        )
