"""``/api/v1/stats``: public counts of decided declarations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Security
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from zeromile.service.deps import Ctx, requires
from zeromile.service.models import Declaration
from zeromile.service.policy import Principal
from zeromile.service.routes import PROBLEM_RESPONSES

router = APIRouter(prefix="/stats", tags=["stats"], responses=PROBLEM_RESPONSES)

MayReadStats = Annotated[Principal, Security(requires("stats.read"), scopes=["stats.read"])]


class StatsRow(BaseModel):
    origin: str
    destination: str
    verdict: str = Field(description="clear, review, refuse, or pending")
    declarations: int


class Stats(BaseModel):
    date_from: dt.date | None
    date_to: dt.date | None
    rows: list[StatsRow]


@router.get("", response_model=Stats)
def stats(
    caller: MayReadStats,
    context: Ctx,
    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
) -> Stats:
    """Declarations by origin, destination and verdict; aggregates only, no VINs or exporters."""
    verdict = func.coalesce(Declaration.verdict, "pending")
    query = select(Declaration.origin, Declaration.destination, verdict, func.count()).group_by(
        Declaration.origin, Declaration.destination, verdict
    )
    if date_from:
        query = query.where(Declaration.declaration_date >= date_from)
    if date_to:
        query = query.where(Declaration.declaration_date <= date_to)
    with context.sessions() as session:
        rows = [
            StatsRow(origin=o, destination=d, verdict=v, declarations=n)
            for o, d, v, n in session.execute(
                query.order_by(Declaration.origin, Declaration.destination, verdict)
            )
        ]
    return Stats(date_from=date_from, date_to=date_to, rows=rows)
