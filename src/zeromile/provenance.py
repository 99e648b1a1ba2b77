"""Provenance of a fact: where a rule, rate or threshold comes from and when it holds.

Every rule in the rulebook and every rate in a tariff schedule carries one.
Confidence follows the key of ``shared/regulations.md``: H (official text or
two reliable sources agree), M (one reliable secondary source, or a detail
differs), L (unconfirmed; never encoded as a firm rule).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator


class Confidence(StrEnum):
    """How sure the sources are (H, M, L)."""

    H = "H"
    M = "M"
    L = "L"


class Instrument(BaseModel):
    """The legal instrument a fact rests on (name and number as published)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=3)
    number: str | None = None


class Provenance(BaseModel):
    """Dates in force, instrument, public sources and confidence of one fact."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    effective_from: date
    effective_to: date | None = None
    instrument: Instrument
    sources: tuple[HttpUrl, ...] = Field(min_length=1)
    confidence: Confidence

    @model_validator(mode="after")
    def _dates_ordered(self) -> Provenance:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(
                f"effective_to {self.effective_to} is before effective_from {self.effective_from}"
            )
        return self

    def in_force(self, on: date) -> bool:
        """True when ``on`` lies in [effective_from, effective_to] (both inclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)
