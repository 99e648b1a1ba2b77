"""VIN syntax (ISO 3779) and Japanese chassis numbers."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zeromile.vin import classify, explain_vin, is_jp_chassis_number
from zeromile.vin.syntax import (
    REASON_BAD_CHARACTERS,
    REASON_CHASSIS_NOT_JP,
    REASON_FORBIDDEN_LETTERS,
    REASON_MISSING,
)


def test_a_real_vin_is_a_vin_even_lower_case_and_padded() -> None:
    result = classify("  1ftfw5l86rfb45612 ")
    assert (result.kind, result.normalized) == ("vin", "1FTFW5L86RFB45612")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, REASON_MISSING),
        ("   ", REASON_MISSING),
        ("1FTFW5L86RFB4561", "has 16 characters, expected 17"),
        ("1FTFW5L86RFB456120", "has 18 characters, expected 17"),
        ("1FTFW5L86RFB4561O", REASON_FORBIDDEN_LETTERS),
        ("IFTFW5L86RFB45612", REASON_FORBIDDEN_LETTERS),
        ("1FTFW5L86RFB4561Q", REASON_FORBIDDEN_LETTERS),
        ("1FTFW5L86RFB4561*", REASON_BAD_CHARACTERS),
        ("1FTFW5L86RFB4561É", REASON_BAD_CHARACTERS),
    ],
)
def test_invalid_identifiers_say_why(raw: str | None, reason: str) -> None:
    result = classify(raw)
    assert result.kind == "invalid"
    assert result.invalid_reason == reason


@pytest.mark.parametrize(
    "chassis", ["ZVW30-1234567", "NHP10-1234567", "GE6-1234567", "L375S-0123456", "ZC72S-12345"]
)
def test_japanese_chassis_numbers_are_accepted_for_cars_registered_in_japan(chassis: str) -> None:
    assert is_jp_chassis_number(chassis)
    assert classify(chassis, registration_country="JP").kind == "jp_chassis"
    assert classify(chassis.lower(), registration_country=" jp ").kind == "jp_chassis"


@pytest.mark.parametrize("country", [None, "CN", "RU"])
def test_a_chassis_number_outside_japan_is_invalid(country: str | None) -> None:
    result = classify("ZVW30-1234567", registration_country=country)
    assert (result.kind, result.invalid_reason) == ("invalid", REASON_CHASSIS_NOT_JP)


@pytest.mark.parametrize(
    "text", ["ZVW30 1234567", "ZVW301234567", "30ZVW-1234567", "ZVW30-123", "ZVW30-12345AB"]
)
def test_shapes_that_are_not_chassis_numbers(text: str) -> None:
    assert not is_jp_chassis_number(text)
    assert classify(text, registration_country="JP").kind == "invalid"


def test_chassis_numbers_are_not_decoded() -> None:
    exp = explain_vin("ZVW30-1234567", registration_country="JP", declared_make="Toyota")
    assert exp.vin_kind == "jp_chassis"
    assert exp.wmi_make is None and exp.check_digit_expected is None
    assert exp.make_mismatch is None and exp.problems() == []


@given(st.text(max_size=30), st.one_of(st.none(), st.text(max_size=5)))
def test_any_text_is_explained_never_raised(text: str, country: str | None) -> None:
    exp = explain_vin(text, registration_country=country, declared_make=text)
    assert exp.vin_kind in ("vin", "jp_chassis", "invalid")
    assert (exp.vin_kind == "invalid") == (exp.vin_invalid_reason is not None)
    data = exp.as_dict()
    assert json.loads(json.dumps(data)) == data
