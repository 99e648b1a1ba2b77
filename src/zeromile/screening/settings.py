"""Thresholds of the screening, with the defaults of the core specification."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ScreeningSettings(BaseModel):
    """Every threshold the findings use; each is a setting, none is hidden in SQL."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zero_mileage_max_km: int = Field(
        500, ge=0, description="ZERO_MILEAGE: highest reading at most this (inclusive)."
    )
    zero_mileage_max_days: int = Field(
        365,
        ge=0,
        description="ZERO_MILEAGE: first registration at most this many days before the declaration (inclusive).",
    )
    rollback_tolerance_km: int = Field(
        100,
        ge=0,
        description="ODOMETER_ROLLBACK: a reading lower than an earlier one by more than this.",
    )
    duplicate_window_days: int = Field(
        90,
        ge=0,
        description="DUPLICATE_DECLARATION: same VIN, origin, other exporter within this many days.",
    )
    batch_window_days: int = Field(
        7,
        ge=0,
        description="Score: first registrations of one model by one owner within +/- this many days form a batch.",
    )
    score_threshold: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Score at or above which a declaration counts as a likely zero-mileage car in summaries.",
    )
