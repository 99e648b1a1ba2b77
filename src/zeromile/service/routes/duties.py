"""``/api/v1/duties/quote``: price one car with the duty schedules (public)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Security
from pydantic import BaseModel, Field

from zeromile.errors import DutyError, InvalidInputError
from zeromile.service.deps import requires
from zeromile.service.policy import Principal
from zeromile.service.routes import PROBLEM_RESPONSES

router = APIRouter(prefix="/duties", tags=["duties"], responses=PROBLEM_RESPONSES)

MayQuoteDuties = Annotated[Principal, Security(requires("duties.quote"), scopes=["duties.quote"])]

Scalar = str | int | float | bool | None


class QuoteRequest(BaseModel):
    on: dt.date | None = Field(default=None, description="Default: the car's import date.")
    features: dict[str, Scalar | list[str]] = Field(
        max_length=80,
        description="Columns of the features relation (docs/architecture.md), e.g. destination, "
        "import_date, declared_value, currency, engine_cc, fuel, model_year.",
    )


class QuoteOut(BaseModel):
    lines: list[dict[str, Any]]
    total: float | None
    currency: str | None
    findings: list[dict[str, Any]]


@router.post("/quote", response_model=QuoteOut)
def quote(body: QuoteRequest, caller: MayQuoteDuties) -> QuoteOut:
    """The duty lines, total and findings for one car, through the same SQL as a batch."""
    from zeromile.duties import quote as duty_quote
    from zeromile.duties._duckdb import FEATURE_TYPES

    features: dict[str, Any] = {}
    for name, value in body.features.items():
        features[name] = value
        if FEATURE_TYPES.get(name) == "DATE" and isinstance(value, str):
            try:
                features[name] = dt.date.fromisoformat(value)
            except ValueError as exc:
                raise _bad(name, "expected a date YYYY-MM-DD") from exc
    import duckdb

    try:
        result = duty_quote(features, body.on)
    except DutyError:
        raise
    except (ValueError, TypeError, ArithmeticError, NotImplementedError, duckdb.Error) as exc:
        # pyarrow's and DuckDB's conversion errors: a feature value of the wrong type
        raise _bad("features", f"a feature has the wrong type: {exc}") from exc
    return QuoteOut(
        lines=result.lines, total=result.total, currency=result.currency, findings=result.findings
    )


def _bad(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(
        f"{field}: {message}",
        fields=[
            {"field": f"features.{field}" if field != "features" else field, "message": message}
        ],
    )
