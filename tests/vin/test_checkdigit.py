"""Check digit (49 CFR 565.15 / GB 16735): properties and where it is mandatory."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.vin.real_vins import VPIC_DECODED
from tests.vin.strategies import raw_vins, valid_vins, vin_chars
from zeromile.vin import (
    TRANSLITERATION,
    check_digit_mandatory,
    compute_check_digit,
    explain_vin,
    with_check_digit,
)


@pytest.mark.parametrize("vin", [v for v, _, _ in VPIC_DECODED])
def test_real_vins_carry_the_check_digit_we_compute(vin: str) -> None:
    assert compute_check_digit(vin) == vin[8]


def test_position_9_does_not_weigh_in_its_own_check_digit() -> None:
    # "1M8GDM9AXKP042788" is the valid example of vininfo's tests/test_module.py
    # (https://github.com/idlesign/vininfo/blob/master/tests/test_module.py).
    assert compute_check_digit("1M8GDM9A0KP042788") == "X"
    assert compute_check_digit("1M8GDM9AXKP042788") == "X"


@given(raw_vins())
def test_with_check_digit_always_yields_a_valid_check_digit(vin: str) -> None:
    fixed = with_check_digit(vin)
    assert compute_check_digit(fixed) == fixed[8]
    assert fixed[:8] == vin[:8] and fixed[9:] == vin[9:]


@given(valid_vins())
def test_with_check_digit_is_idempotent_on_valid_vins(vin: str) -> None:
    assert with_check_digit(vin) == vin


@given(valid_vins(), st.integers(min_value=0, max_value=16), vin_chars)
def test_a_single_substitution_breaks_the_check_digit_unless_values_are_equal(
    vin: str, position: int, char: str
) -> None:
    if position == 8:
        return  # position 9 is the check digit itself
    changed = vin[:position] + char + vin[position + 1 :]
    still_valid = compute_check_digit(changed) == changed[8]
    assert still_valid == (TRANSLITERATION[char] == TRANSLITERATION[vin[position]])


@pytest.mark.parametrize(
    ("vin", "mandatory"),
    [
        ("1FTFW5L86RFB45612", True),  # United States
        ("2HGFE4F86SH011469", True),  # Canada
        ("3VWR17AU5KM502465", True),  # Mexico
        ("4S4GUHU63S3737318", True),
        ("5N1AT2MVXLC807279", True),
        (with_check_digit("LRW3E7FA0NC000000"), True),  # China, GB 16735
        ("WBAVL1C5XFVY41004", False),  # Germany
        ("JTDBBRBE6LJ007243", False),  # Japan
        ("KMHRC8A33RU325703", False),  # Korea
    ],
)
def test_check_digit_is_mandatory_in_north_america_and_china_only(
    vin: str, mandatory: bool
) -> None:
    assert check_digit_mandatory(vin) is mandatory


def test_a_wrong_check_digit_is_reported_with_expected_and_found() -> None:
    good = with_check_digit("LGXCE4CB0P0000001")
    wrong_digit = "0" if good[8] != "0" else "1"
    bad = good[:8] + wrong_digit + good[9:]
    exp = explain_vin(bad)
    assert exp.vin_kind == "vin"
    assert (exp.check_digit_found, exp.check_digit_expected) == (wrong_digit, good[8])
    assert exp.check_digit_ok is False and exp.check_digit_error
    assert exp.finding_codes() == ["VIN_CHECK_DIGIT"]
    assert any("mandatory" in p for p in exp.problems())


def test_a_wrong_check_digit_outside_mandatory_regions_is_not_an_error() -> None:
    # European VINs need not carry a check digit (e.g. this Mercedes has none).
    exp = explain_vin("WDD2221821A000001")
    assert exp.check_digit_mandatory is False
    assert exp.check_digit_ok is (compute_check_digit("WDD2221821A000001") == "1")
    assert not exp.check_digit_error
    assert "VIN_CHECK_DIGIT" not in exp.finding_codes()
