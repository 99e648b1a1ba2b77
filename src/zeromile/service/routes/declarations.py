"""``/api/v1/declarations``: submit one (screened inline), list and read."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Response, Security
from sqlalchemy import select

from zeromile.service import declarations as ops
from zeromile.service.declaration_schema import DeclarationIn, DeclarationOut
from zeromile.service.deps import Ctx, PageParams, requires
from zeromile.service.models import Declaration
from zeromile.service.pagination import Page, paginate
from zeromile.service.policy import Principal, Role
from zeromile.service.routes import PROBLEM_RESPONSES, VIN_PATTERN

router = APIRouter(prefix="/declarations", tags=["declarations"], responses=PROBLEM_RESPONSES)

MayReadDeclarations = Annotated[
    Principal, Security(requires("declarations.read"), scopes=["declarations.read"])
]
MaySubmitDeclarations = Annotated[
    Principal, Security(requires("declarations.submit"), scopes=["declarations.submit"])
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Repeat a submission safely: the same key and body return the stored result.",
    ),
]


@router.post(
    "",
    response_model=DeclarationOut,
    status_code=201,
    responses={200: {"model": DeclarationOut, "description": "Replay of an idempotent request"}},
)
def submit(
    body: DeclarationIn,
    caller: MaySubmitDeclarations,
    context: Ctx,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> DeclarationOut:
    """Submit one declaration; it is screened at once and the decision returned."""
    declaration, replayed = ops.submit(
        context.sessions,
        screen=context.batcher.screen,
        principal=caller,
        body=body,
        idempotency_key=idempotency_key,
        log_settings=context.settings,
    )
    if replayed:
        response.status_code = 200
    else:
        context.log_drainer.wake()
    return ops.to_out(declaration)


@router.get("", response_model=Page[DeclarationOut])
def list_declarations(
    caller: MayReadDeclarations,
    context: Ctx,
    page: PageParams,
    vin: Annotated[str | None, Query(pattern=VIN_PATTERN)] = None,
    exporter_id: Annotated[str | None, Query(max_length=64)] = None,
    verdict: Literal["clear", "review", "refuse"] | None = None,
) -> Page[DeclarationOut]:
    """Declarations visible to the caller (an exporter sees only its own)."""
    query = select(Declaration)
    if caller.role is Role.EXPORTER:
        query = query.where(Declaration.exporter_id == caller.exporter_id)
    if exporter_id:
        query = query.where(Declaration.exporter_id == exporter_id)
    if vin:
        query = query.where(Declaration.vin == vin.upper())
    if verdict:
        query = query.where(Declaration.verdict == verdict)
    with context.sessions() as session:
        return paginate(
            session,
            query,
            Declaration.declaration_id,
            cursor=page.cursor,
            limit=page.limit,
            render=ops.to_out,
        )


@router.get("/{declaration_id}", response_model=DeclarationOut)
def get_declaration(
    declaration_id: Annotated[str, Path(min_length=1, max_length=64)],
    caller: MayReadDeclarations,
    context: Ctx,
) -> DeclarationOut:
    with context.sessions() as session:
        return ops.to_out(ops.get(session, caller, declaration_id))
