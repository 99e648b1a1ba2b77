"""The export inspection worksheet: sections and items after WM/T 8-2022 / 9-2022.

Section 4 of both standards (quality requirements) lists identity and
documents, accident traces (structure, flood, fire), appearance, powertrain,
cab/interior, chassis and a road test; lighting, seat belts, tyres, steering,
braking and curb mass are added when the vehicle is outside its periodic
safety-inspection validity. The item codes, the split into items and the
traction-battery section are this project's encoding (see
``docs/inspection-reports.md``); the standards' Annex A worksheet was not
available to copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field

from zeromile.errors import InvalidInputError


class ItemResult(StrEnum):
    PASS = "pass"  # noqa: S105 - an inspection outcome
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"


class Section(StrEnum):
    IDENTITY_DOCUMENTS = "identity_documents"
    ACCIDENT = "accident"
    EXTERIOR = "exterior"
    POWERTRAIN = "powertrain"
    INTERIOR = "interior"
    CHASSIS = "chassis"
    ROAD_TEST = "road_test"
    PERIODIC_SAFETY = "periodic_safety"
    TRACTION_BATTERY = "traction_battery"


#: section → item codes. Every item of an applicable section must be reported.
OUTLINE: dict[Section, tuple[str, ...]] = {
    Section.IDENTITY_DOCUMENTS: (
        "vin_matches_documents",
        "engine_or_motor_marking_matches",
        "body_and_seating_match_registration",
        "no_illegal_modification",
        "service_life_margin_at_least_one_year",
        "not_mortgaged_seized_or_under_supervision",
        "legal_documents_complete",
    ),
    Section.ACCIDENT: ("structural_members_intact", "no_flood_traces", "no_fire_traces"),
    Section.EXTERIOR: ("body_and_paint", "glazing_and_mirrors"),
    Section.POWERTRAIN: (
        "mountings_secure",
        "no_cracks_or_leaks",
        "no_coolant_in_oil",
        "belts_and_lines",
        "battery_terminals",
    ),
    Section.INTERIOR: ("cab_and_seats", "instruments_and_warning_lamps"),
    Section.CHASSIS: ("suspension", "steering_linkage", "underbody"),
    Section.ROAD_TEST: ("no_fault_or_warning_signals", "drive_and_brake_behaviour"),
    Section.PERIODIC_SAFETY: (
        "lighting",
        "seat_belts",
        "tyres",
        "steering",
        "braking_performance",
        "curb_mass",
    ),
    Section.TRACTION_BATTERY: ("state_of_health",),
}

_ALWAYS = tuple(s for s in OUTLINE if s not in (Section.PERIODIC_SAFETY, Section.TRACTION_BATTERY))


class WorksheetItem(BaseModel):
    result: ItemResult
    note: str = Field(default="", max_length=2000)


class Worksheet(BaseModel):
    """The filled worksheet: section → item code → result and note."""

    periodic_inspection_lapsed: bool = Field(
        description="Outside the periodic safety-inspection validity: periodic_safety applies."
    )
    traction_battery: bool = Field(description="BEV/PHEV: the traction_battery section applies.")
    battery_state_of_health_pct: float | None = Field(default=None, ge=0, le=100)
    sections: dict[Section, dict[str, WorksheetItem]]


@dataclass(frozen=True, slots=True)
class _Problem:
    field: str
    message: str


def required_sections(worksheet: Worksheet) -> tuple[Section, ...]:
    extra = []
    if worksheet.periodic_inspection_lapsed:
        extra.append(Section.PERIODIC_SAFETY)
    if worksheet.traction_battery:
        extra.append(Section.TRACTION_BATTERY)
    return (*_ALWAYS, *extra)


def validate_worksheet(worksheet: Worksheet) -> None:
    """Raise :class:`InvalidInputError` naming each missing, unknown or extra item."""
    problems: list[_Problem] = []
    required = required_sections(worksheet)
    for section in required:
        given: Mapping[str, WorksheetItem] = worksheet.sections.get(section, {})
        for code in OUTLINE[section]:
            if code not in given:
                problems.append(_Problem(f"worksheet.sections.{section}.{code}", "missing"))
        for code in given:
            if code not in OUTLINE[section]:
                known = ", ".join(OUTLINE[section])
                problems.append(
                    _Problem(f"worksheet.sections.{section}.{code}", f"unknown; expected {known}")
                )
    for section in worksheet.sections:
        if section not in required:
            problems.append(
                _Problem(f"worksheet.sections.{section}", "does not apply to this vehicle")
            )
    if worksheet.traction_battery and worksheet.battery_state_of_health_pct is None:
        problems.append(
            _Problem("worksheet.battery_state_of_health_pct", "required for a traction battery")
        )
    if problems:
        raise InvalidInputError(
            f"the worksheet has {len(problems)} problem(s); first: "
            f"{problems[0].field}: {problems[0].message}",
            fields=[{"field": p.field, "message": p.message} for p in problems],
        )


def overall_from_items(worksheet: Worksheet) -> ItemResult:
    """``fail`` if any applicable item failed, else ``pass``."""
    for section in required_sections(worksheet):
        for item in worksheet.sections.get(section, {}).values():
            if item.result is ItemResult.FAIL:
                return ItemResult.FAIL
    return ItemResult.PASS
