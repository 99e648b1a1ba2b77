"""The shape of a tariff schedule file, validated on load.

A schedule is one importer's duties on passenger cars: a list of rate lines.
Each line says *when* it applies (origin, HS subheading, condition, fuel,
engine size, age, maker, importer kind, value band), *what* it charges (one
rate component), which lines it *supersedes* while it applies, an optional
tariff-rate *quota*, and the *provenance* of the figure. Lines of different
layers add up; a line that supersedes another removes it for that car.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from zeromile.provenance import Provenance

FUELS = ("petrol", "diesel", "hev", "phev", "bev", "erev", "fcev", "lpg", "cng", "other")
_Iso2 = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
_Iso4217 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
_Subheading = Annotated[str, Field(pattern=r"^8703\.\d{2}$")]


class Valuation(StrEnum):
    """The customs value the ad valorem rates apply to."""

    FOB = "FOB"
    CIF = "CIF"


class Layer(StrEnum):
    """Kinds of charge that add up on one car."""

    MFN = "mfn"
    SECTION_232 = "section_232"
    SECTION_301 = "section_301"
    DEAL = "deal"
    COUNTERVAILING = "countervailing"
    CUSTOMS_DUTY = "customs_duty"
    LEVY = "levy"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Strict):
    """An interval ``over < x <= up_to`` (the tariff texts' "exceeding ... not exceeding")."""

    over: float | None = None
    up_to: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.over is None and self.up_to is None:
            raise ValueError("a band needs 'over', 'up_to' or both")
        if self.over is not None and self.up_to is not None and self.up_to <= self.over:
            raise ValueError(f"band up_to {self.up_to} is not above over {self.over}")
        return self


class ValueBand(Band):
    """A band on the customs value, expressed in a named currency."""

    currency: _Iso4217


class When(_Strict):
    """Conditions a car must meet for a line to apply (all must hold)."""

    origins: tuple[_Iso2, ...] | None = None
    exclude_origins: tuple[_Iso2, ...] = ()
    hs: tuple[_Subheading, ...] | None = None
    condition: Literal["new", "used"] | None = None
    fuel: tuple[Literal[FUELS], ...] | None = None  # type: ignore[valid-type]
    engine_cc: Band | None = None
    power_kw: Band | None = None
    age_years: Band | None = None
    makers: tuple[str, ...] | None = None
    importer_kind: Literal["legal_entity", "individual"] | None = None
    value: ValueBand | None = None


class AdValorem(_Strict):
    """A percentage of the customs value."""

    kind: Literal["ad_valorem"]
    percent: float = Field(ge=0, le=1000)


class PerCc(_Strict):
    """An amount per cubic centimetre of engine displacement."""

    kind: Literal["per_cc"]
    amount: float = Field(gt=0)
    currency: _Iso4217


class AdValoremMinPerCc(_Strict):
    """``percent`` of the value, but not less than ``min_per_cc`` per cc."""

    kind: Literal["ad_valorem_min_per_cc"]
    percent: float = Field(ge=0, le=1000)
    min_per_cc: float = Field(gt=0)
    currency: _Iso4217


class Fixed(_Strict):
    """A fixed amount per car (levies such as Russia's utilisation fee)."""

    kind: Literal["fixed"]
    amount: float = Field(ge=0)
    currency: _Iso4217


class TopUpTo(_Strict):
    """Raise the all-in ad valorem rate of the other lines to ``percent`` (never lower it)."""

    kind: Literal["top_up_to"]
    percent: float = Field(ge=0, le=1000)


Component = Annotated[
    AdValorem | PerCc | AdValoremMinPerCc | Fixed | TopUpTo, Field(discriminator="kind")
]


class Quota(_Strict):
    """A tariff-rate quota: the line applies to the first ``annual_units`` cars of a year.

    First come, first served by ``import_date`` then declaration id, per
    calendar year of the key date.
    """

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    annual_units: int = Field(gt=0)


class RateLine(_Strict):
    """One dated, cited rate of a schedule."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    layer: Layer
    description: str = Field(min_length=3)
    when: When = When()
    rate: Component
    supersedes: tuple[str, ...] = ()
    quota: Quota | None = None
    note: str | None = None
    provenance: Provenance


class Schedule(_Strict):
    """One importer's schedule for passenger cars (HS 8703)."""

    schedule_id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    importer: _Iso2
    destinations: tuple[_Iso2, ...] = ()
    currency: _Iso4217
    valuation: Valuation
    description: str = Field(min_length=3)
    required_layers: tuple[Layer, ...] = ()
    gaps: tuple[str, ...] = ()
    lines: tuple[RateLine, ...] = Field(min_length=1)

    def destinations_or_importer(self) -> tuple[str, ...]:
        """Destination codes this schedule serves (a customs union lists its members)."""
        return self.destinations or (self.importer,)

    @model_validator(mode="after")
    def _ids_resolve(self) -> Schedule:
        ids = [line.id for line in self.lines]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate line ids {duplicates}")
        for line in self.lines:
            unknown = [s for s in line.supersedes if s not in ids]
            if unknown:
                raise ValueError(f"line {line.id} supersedes unknown line(s) {unknown}")
        return self
