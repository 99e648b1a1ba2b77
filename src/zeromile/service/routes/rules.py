"""``/api/v1/rules``: the rulebook, as in force on a date (public)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Path, Query, Security
from pydantic import BaseModel

from zeromile.errors import NotFoundError, RulebookError
from zeromile.rules import Rule, Rulebook
from zeromile.service.deps import requires
from zeromile.service.policy import Principal
from zeromile.service.routes import PROBLEM_RESPONSES

router = APIRouter(prefix="/rules", tags=["rules"], responses=PROBLEM_RESPONSES)

MayReadRules = Annotated[Principal, Security(requires("rules.read"), scopes=["rules.read"])]


class RulebookOut(BaseModel):
    version: str
    on: dt.date | None
    rules: list[Rule]


@lru_cache(maxsize=1)
def _rulebook() -> Rulebook:
    """The package's rulebook, loaded and validated on first use (not at import)."""
    return Rulebook.load()


@router.get("", response_model=RulebookOut)
def list_rules(
    caller: MayReadRules,
    on: Annotated[dt.date | None, Query(description="Only rules in force on this date")] = None,
    jurisdiction: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
) -> RulebookOut:
    """Every rule with its provenance (instrument, sources, dates in force, confidence)."""
    book = _rulebook()
    if on is not None:
        book = book.in_force(on=on)
    if jurisdiction is not None:
        book = book.for_jurisdiction(jurisdiction)
    return RulebookOut(version=book.version, on=on, rules=list(book.rules))


@router.get("/{rule_id}", response_model=Rule)
def get_rule(
    rule_id: Annotated[str, Path(min_length=1, max_length=100)], caller: MayReadRules
) -> Rule:
    try:
        return _rulebook().get(rule_id)
    except RulebookError as exc:
        raise NotFoundError(str(exc)) from exc
