"""``/api/v1/inspection-bodies``: bodies, their accreditations and inspectors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Security
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from zeromile.service import bodies as ops
from zeromile.service.deps import Ctx, PageParams, requires
from zeromile.service.models import InspectionBody
from zeromile.service.pagination import Page, paginate
from zeromile.service.policy import Principal, Role
from zeromile.service.routes import PROBLEM_RESPONSES

router = APIRouter(
    prefix="/inspection-bodies", tags=["inspection-bodies"], responses=PROBLEM_RESPONSES
)

MayManageBodies = Annotated[
    Principal, Security(requires("bodies.manage"), scopes=["bodies.manage"])
]
MayReadBodies = Annotated[Principal, Security(requires("bodies.read"), scopes=["bodies.read"])]


BodyId = Annotated[str, Path(min_length=1, max_length=64)]


class BodyIn(BaseModel):
    body_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=300)
    country: str = Field(pattern=r"^[A-Z]{2}$")


class BodyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    body_id: str
    name: str
    country: str


class AccreditationIn(BaseModel):
    standard: str = Field(
        min_length=1,
        max_length=60,
        description="WM/T 8-2022, WM/T 9-2022, or DEST:<CC>:<reference>",
    )
    valid_from: dt.date
    valid_to: dt.date | None = None


class AccreditationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    accreditation_id: int
    standard: str
    valid_from: dt.date
    valid_to: dt.date | None


class InspectorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    user_id: str
    name: str
    active: bool


@router.get("", response_model=Page[BodyOut])
def list_bodies(
    caller: MayReadBodies,
    context: Ctx,
    page: PageParams,
) -> Page[BodyOut]:
    query = select(InspectionBody)
    if caller.role is Role.INSPECTOR:
        query = query.where(InspectionBody.body_id == caller.inspection_body_id)
    with context.sessions() as session:
        return paginate(
            session,
            query,
            InspectionBody.body_id,
            cursor=page.cursor,
            limit=page.limit,
            render=BodyOut.model_validate,
        )


@router.post("", response_model=BodyOut, status_code=201)
def create_body(
    body: BodyIn,
    caller: MayManageBodies,
    context: Ctx,
) -> BodyOut:
    with context.tx() as session:
        created = ops.create(
            session,
            actor=caller.user_id,
            body_id=body.body_id,
            name=body.name,
            country=body.country,
        )
        return BodyOut.model_validate(created)


@router.get("/{body_id}", response_model=BodyOut)
def get_body(
    body_id: BodyId,
    caller: MayReadBodies,
    context: Ctx,
) -> BodyOut:
    with context.sessions() as session:
        return BodyOut.model_validate(ops.get(session, caller, body_id))


@router.get("/{body_id}/accreditations", response_model=list[AccreditationOut])
def list_accreditations(
    body_id: BodyId,
    caller: MayReadBodies,
    context: Ctx,
) -> list[AccreditationOut]:
    with context.sessions() as session:
        ops.get(session, caller, body_id)
        return [AccreditationOut.model_validate(a) for a in ops.accreditations_of(session, body_id)]


@router.post("/{body_id}/accreditations", response_model=AccreditationOut, status_code=201)
def accredit(
    body_id: BodyId,
    body: AccreditationIn,
    caller: MayManageBodies,
    context: Ctx,
) -> AccreditationOut:
    """Accredit the body for a standard over a validity period."""
    with context.tx() as session:
        accreditation = ops.accredit(
            session,
            actor=caller.user_id,
            body=ops.get(session, caller, body_id),
            standard=body.standard,
            valid_from=body.valid_from,
            valid_to=body.valid_to,
        )
        return AccreditationOut.model_validate(accreditation)


@router.get("/{body_id}/inspectors", response_model=list[InspectorOut])
def list_inspectors(
    body_id: BodyId,
    caller: MayManageBodies,
    context: Ctx,
) -> list[InspectorOut]:
    """Inspector accounts belonging to the body (create them with role inspector)."""
    with context.sessions() as session:
        ops.get(session, caller, body_id)
        return [InspectorOut.model_validate(u) for u in ops.inspectors_of(session, body_id)]
