"""The declaration as the API accepts it: the dossier's declaration columns plus,
optionally, the vehicle's attributes.

One model validates single JSON submissions and each row of a bulk upload, so
both report the same field names and messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from zeromile.service.routes import VIN_PATTERN

# The dossier contract's enumerations (a test checks they match zeromile.dossier.contract).
Fuel = Literal["petrol", "diesel", "hev", "phev", "bev", "erev", "fcev", "lpg", "cng", "other"]
Body = Literal["passenger", "commercial", "trailer"]
Steering = Literal["lhd", "rhd"]
Damage = Literal["none", "accident", "flood", "flood_total_loss", "fire", "salvage", "junk"]
Condition = Literal["used", "new"]
ImporterKind = Literal["legal_entity", "individual"]

Country = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")


class VehicleIn(BaseModel):
    """Vehicle attributes (the dossier's ``vehicles`` columns); all optional."""

    model_config = ConfigDict(extra="forbid")

    make: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=100)
    model_year: int | None = Field(default=None, ge=1950, le=2100)
    built_in: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    fuel: Fuel | None = None
    body: Body | None = None
    steering: Steering | None = None
    damage: Damage | None = None
    engine_cc: int | None = Field(default=None, ge=0, le=20_000)
    power_kw: float | None = Field(default=None, ge=0, le=2_000)
    msrp: float | None = Field(default=None, ge=0, le=1e9)
    msrp_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class DeclarationIn(BaseModel):
    """An export declaration in the dossier's columns."""

    model_config = ConfigDict(extra="forbid")

    declaration_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="Generated when omitted.",
    )
    vin: str = Field(pattern=VIN_PATTERN)
    exporter_id: str | None = Field(
        default=None, max_length=64, description="Defaults to the caller's exporter."
    )
    origin: str = Country
    origin_region: str | None = Field(default=None, max_length=100)
    destination: str = Country
    declaration_date: dt.date
    arrival_date: dt.date | None = None
    declared_condition: Condition
    declared_odometer_km: int | None = Field(default=None, ge=0, le=5_000_000)
    declared_value: float | None = Field(default=None, ge=0, le=1e10)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    hs_code: str | None = Field(default=None, pattern=r"^[0-9.]{4,14}$")
    importer_kind: ImporterKind | None = None
    documents: list[str] = Field(default_factory=list, max_length=50)
    vehicle: VehicleIn | None = None


class DeclarationOut(BaseModel):
    declaration_id: str
    exporter_id: str
    vin: str
    origin: str
    origin_region: str | None
    destination: str
    declaration_date: dt.date
    arrival_date: dt.date | None
    declared_condition: str | None
    declared_odometer_km: int | None
    declared_value: float | None
    currency: str | None
    hs_code: str | None
    importer_kind: str | None
    documents: list[str]
    vehicle: VehicleIn | None
    submitted_at: dt.datetime
    status: Literal["pending", "decided"] = Field(
        description="pending: stored, not yet screened (screening core unavailable)"
    )
    verdict: Literal["clear", "review", "refuse"] | None
    decision: dict[str, object] | None = Field(
        description="The screening's decision record: findings, evidence, rulebook version."
    )
