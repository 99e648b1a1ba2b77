"""The worksheet outline: which sections apply, what is missing, the overall result."""

from __future__ import annotations

import pytest

from zeromile.errors import InvalidInputError
from zeromile.inspection import (
    OUTLINE,
    ItemResult,
    Section,
    Worksheet,
    overall_from_items,
    parse_standard,
    validate_worksheet,
)


def sheet(*, lapsed: bool = False, ev: bool = False, failing: str | None = None) -> Worksheet:
    sections = [s for s in OUTLINE if s not in (Section.PERIODIC_SAFETY, Section.TRACTION_BATTERY)]
    if lapsed:
        sections.append(Section.PERIODIC_SAFETY)
    if ev:
        sections.append(Section.TRACTION_BATTERY)
    return Worksheet.model_validate(
        {
            "periodic_inspection_lapsed": lapsed,
            "traction_battery": ev,
            "battery_state_of_health_pct": 91.0 if ev else None,
            "sections": {
                s.value: {c: {"result": "fail" if c == failing else "pass"} for c in OUTLINE[s]}
                for s in sections
            },
        }
    )


def test_complete_sheet_passes() -> None:
    validate_worksheet(sheet(lapsed=True, ev=True))
    assert overall_from_items(sheet()) is ItemResult.PASS


def test_lapsed_periodic_inspection_requires_the_safety_items() -> None:
    incomplete = sheet()
    incomplete.periodic_inspection_lapsed = True
    with pytest.raises(InvalidInputError) as info:
        validate_worksheet(incomplete)
    missing = {f["field"] for f in info.value.fields}
    assert missing == {
        f"worksheet.sections.periodic_safety.{c}" for c in OUTLINE[Section.PERIODIC_SAFETY]
    }


def test_section_that_does_not_apply_is_refused() -> None:
    extra = sheet(ev=True)
    extra.traction_battery = False
    with pytest.raises(InvalidInputError) as info:
        validate_worksheet(extra)
    assert info.value.fields == [
        {
            "field": "worksheet.sections.traction_battery",
            "message": "does not apply to this vehicle",
        }
    ]


def test_one_failed_item_fails_the_vehicle() -> None:
    assert overall_from_items(sheet(failing="no_flood_traces")) is ItemResult.FAIL


@pytest.mark.parametrize("code", ["WM/T 8-2022", "WM/T 9-2022", "DEST:KZ:ST RK 1234"])
def test_known_standards(code: str) -> None:
    assert parse_standard(code) == code


@pytest.mark.parametrize("code", ["WM/T 8", "ISO 9001", "DEST:kz:x", ""])
def test_unknown_standards(code: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_standard(code)
