"""One case per finding, and each threshold's edge (inclusive / exclusive)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.builders import (
    MG_VIN,
    MG_VIN_2,
    TOYOTA_VIN,
    day,
    declaration,
    exporter,
    reading,
    registration,
    vehicle,
)
from tests.screening.conftest import codes


@pytest.mark.parametrize(("km", "fires"), [(500, True), (501, False)])
def test_zero_mileage_km_threshold_is_inclusive(screen, km, fires) -> None:
    d = screen(
        declarations=[declaration(declared_odometer_km=str(km))],
        vehicles=[vehicle()],
        registrations=[registration(event_date=day(-10))],
    )["D1"]
    assert ("ZERO_MILEAGE" in codes(d)) is fires
    assert d["zero_mileage"] is fires


@pytest.mark.parametrize(("days", "fires"), [(365, True), (366, False)])
def test_zero_mileage_days_threshold_is_inclusive(screen, days, fires) -> None:
    d = screen(
        declarations=[declaration(declared_odometer_km="20")],
        vehicles=[vehicle()],
        registrations=[registration(event_date=day(-days))],
    )["D1"]
    assert ("ZERO_MILEAGE" in codes(d)) is fires


def test_zero_mileage_takes_the_highest_reading_up_to_the_declaration(screen) -> None:
    d = screen(
        declarations=[declaration(declared_odometer_km="5")],
        vehicles=[vehicle()],
        registrations=[registration(event_date=day(-10))],
        odometer=[reading(800, -5), reading(9000, 30)],  # the later reading is not yet known
    )["D1"]
    assert "ZERO_MILEAGE" not in codes(d)
    assert json.loads(d["evidence"])["facts"]["max_km"] == 800


def test_zero_mileage_evidence_names_the_source_of_the_highest_reading(screen) -> None:
    d = screen(
        declarations=[declaration(declared_odometer_km="5")],
        vehicles=[vehicle()],
        registrations=[registration(event_date=day(-10))],
        odometer=[reading(120, -6, source="registration"), reading(300, -4, source="inspection")],
        inspections=[
            {
                "report_id": "R1",
                "vin": MG_VIN,
                "inspector_id": "I1",
                "inspection_date": day(-2),
                "standard": "WM/T 8-2022",
                "odometer_km": "250",
                "result": "pass",
            }
        ],
    )["D1"]
    ev = json.loads(d["evidence"])["findings"]["ZERO_MILEAGE"]
    assert (ev["max_km"], ev["max_km_source"]) == (300, "odometer (inspection)")
    assert json.loads(d["evidence"])["facts"]["readings"] == 4


def test_a_tie_between_sources_is_named_the_same_way_every_time(screen) -> None:
    """The same km on the same day from two sources: the evidence names the higher code."""
    d = screen(
        declarations=[declaration(declared_odometer_km="40")],
        vehicles=[vehicle()],
        registrations=[registration(event_date=day(-10))],
        odometer=[reading(40, 0, source="registration")],
    )["D1"]
    ev = json.loads(d["evidence"])["findings"]["ZERO_MILEAGE"]
    assert (ev["max_km"], ev["max_km_source"]) == (40, "declaration D1")


def test_zero_mileage_needs_declared_used(screen) -> None:
    d = screen(
        declarations=[declaration(declared_condition="new", declared_odometer_km="3")],
        registrations=[registration(event_date=day(-3))],
    )["D1"]
    assert "ZERO_MILEAGE" not in codes(d)


def test_zero_mileage_evidence_names_reading_and_thresholds(screen) -> None:
    d = screen(
        declarations=[declaration(declared_odometer_km="12")],
        vehicles=[vehicle()],
        registrations=[registration(event_date=day(-11))],
    )["D1"]
    ev = json.loads(d["evidence"])["findings"]["ZERO_MILEAGE"]
    assert ev["max_km"] == 12
    assert ev["max_km_source"] == "declaration D1"
    assert ev["days_since_first_registration"] == 11
    assert ev["threshold_km"] == 500
    assert ev["threshold_days"] == 365


@pytest.mark.parametrize(("drop", "fires"), [(100, False), (101, True)])
def test_rollback_tolerance_is_exclusive(screen, drop, fires) -> None:
    d = screen(
        declarations=[declaration()],
        odometer=[reading(50_000, -100), reading(50_000 - drop, -50)],
    )["D1"]
    assert ("ODOMETER_ROLLBACK" in codes(d)) is fires


def test_rollback_after_service_uses_maintenance_and_declared_readings(screen) -> None:
    d = screen(
        declarations=[declaration(declared_odometer_km="1200")],
        maintenance=[{"vin": MG_VIN, "service_date": day(-40), "km": "61000", "kind": "oil"}],
    )["D1"]
    assert "ODOMETER_ROLLBACK" in codes(d)
    ev = json.loads(d["evidence"])["findings"]["ODOMETER_ROLLBACK"]["first_rollback"]
    assert ev["km"] == 1200
    assert ev["source"] == "declaration D1"
    assert ev["earlier_km"] == 61000
    assert ev["earlier_source"] == "maintenance"
    assert d["verdict"] == "review"


def test_rollback_ignores_same_day_readings_and_later_ones(screen) -> None:
    d = screen(
        declarations=[declaration()],
        odometer=[reading(9000, -10), reading(100, -10), reading(9000, 5), reading(10, 6)],
    )["D1"]
    assert "ODOMETER_ROLLBACK" not in codes(d)


def test_rollback_compares_with_earlier_days_only_even_beside_a_higher_same_day_reading(
    screen,
) -> None:
    d = screen(
        declarations=[declaration()],
        odometer=[reading(5000, -20), reading(9000, -10), reading(4800, -10)],
    )["D1"]
    ev = json.loads(d["evidence"])["findings"]["ODOMETER_ROLLBACK"]["first_rollback"]
    assert ev["km"] == 4800
    assert ev["source"] == "odometer (telematics)"
    assert ev["earlier_km"] == 5000  # not the 9,000 read the same day
    assert ev["earlier_source"] == "odometer (telematics)"
    assert ev["drop_km"] == 200


def test_a_rollback_tie_between_sources_names_the_lower_code(screen) -> None:
    d = screen(
        declarations=[declaration(declared_odometer_km="1200")],
        maintenance=[
            {"vin": MG_VIN, "service_date": day(-40), "km": "61000", "kind": "oil"},
            {"vin": MG_VIN, "service_date": day(0), "km": "1200", "kind": "oil"},
        ],
        odometer=[reading(61000, -40, source="inspection")],
    )["D1"]
    ev = json.loads(d["evidence"])["findings"]["ODOMETER_ROLLBACK"]["first_rollback"]
    assert (ev["km"], ev["source"]) == (1200, "maintenance")  # not the declaration
    assert (ev["earlier_km"], ev["earlier_source"]) == (61000, "odometer (inspection)")


def test_used_never_registered(screen) -> None:
    ds = screen(
        declarations=[
            declaration(),
            declaration(declaration_id="D2", vin=MG_VIN_2),
            declaration(declaration_id="D3", vin=TOYOTA_VIN, origin="JP", declared_condition="new"),
        ],
        registrations=[
            registration(vin=MG_VIN_2, event_date=day(0)),
            registration(event_date=day(1)),
        ],
    )
    assert "USED_NEVER_REGISTERED" in codes(ds["D1"])  # registered only the day after
    assert "USED_NEVER_REGISTERED" not in codes(ds["D2"])  # registered that very day
    assert "USED_NEVER_REGISTERED" not in codes(ds["D3"])  # declared new


def test_no_registrations_table_means_no_registration_finding_and_says_so(screen) -> None:
    d = screen(declarations=[declaration()])["D1"]
    assert "USED_NEVER_REGISTERED" not in codes(d)
    assert "registrations" in json.loads(d["evidence"])["not_supplied"]


@pytest.mark.parametrize(
    ("row", "fires"),
    [
        (exporter(), False),
        (exporter(exporter_id="OTHER"), True),
        (exporter(status="suspended"), True),
        (exporter(status="revoked"), True),
        (exporter(licensed_from=day(0)), False),
        (exporter(licensed_from=day(1)), True),
        (exporter(licensed_to=day(0)), False),
        (exporter(licensed_to=day(-1)), True),
    ],
)
def test_exporter_unlicensed(screen, row, fires) -> None:
    d = screen(declarations=[declaration()], exporters=[row])["D1"]
    assert ("EXPORTER_UNLICENSED" in codes(d)) is fires
    assert (d["verdict"] == "refuse") is fires


@pytest.mark.parametrize(("gap", "fires"), [(90, True), (91, False)])
def test_duplicate_declaration_window_is_inclusive_and_marks_both(screen, gap, fires) -> None:
    ds = screen(
        declarations=[
            declaration(),
            declaration(declaration_id="D2", exporter_id="E2", declaration_date=day(gap)),
        ]
    )
    assert ("DUPLICATE_DECLARATION" in codes(ds["D1"])) is fires
    assert ("DUPLICATE_DECLARATION" in codes(ds["D2"])) is fires


def test_duplicate_needs_another_exporter_and_the_same_origin(screen) -> None:
    ds = screen(
        declarations=[
            declaration(),
            declaration(declaration_id="D2", declaration_date=day(5)),
            declaration(
                declaration_id="D3", exporter_id="E3", origin="KG", declaration_date=day(9)
            ),
        ]
    )
    assert all("DUPLICATE_DECLARATION" not in codes(d) for d in ds.values())


def test_reexport_through_kyrgyzstan(screen) -> None:
    ds = screen(
        declarations=[
            declaration(destination="KG"),
            declaration(
                declaration_id="D2",
                exporter_id="E9",
                origin="KG",
                destination="RU",
                declaration_date=day(20),
            ),
        ]
    )
    assert "REEXPORT" not in codes(ds["D1"])
    assert "REEXPORT" in codes(ds["D2"])
    ev = json.loads(ds["D2"]["evidence"])["findings"]["REEXPORT"]
    assert ev["earlier_declaration_id"] == "D1"
    assert ev["earlier_route"] == "CN->KG"
    assert ds["D2"]["verdict"] == "clear"  # info only


@pytest.mark.parametrize(
    ("vin", "origin", "registered_in", "expected"),
    [
        ("LSJA24U6OMG12345", "CN", "CN", "VIN_INVALID"),  # 16 characters with an O
        ("LSJA24U69MG12345Q", "CN", "CN", "VIN_INVALID"),  # Q is not allowed
        ("ZVW30-1234567", "JP", "JP", None),  # a chassis number of a JP-registered car
        ("ZVW30-1234567", "CN", "CN", "VIN_INVALID"),  # chassis number but not registered in JP
    ],
)
def test_vin_invalid(screen, vin, origin, registered_in, expected) -> None:
    d = screen(
        declarations=[declaration(vin=vin, origin=origin)],
        registrations=[registration(vin=vin, country=registered_in, region="")],
    )["D1"]
    found = codes(d) & {"VIN_INVALID"}
    assert found == ({expected} if expected else set())
    if expected:
        assert d["verdict"] == "refuse"


def test_check_digit_mandatory_in_china_only_reviewed(screen) -> None:
    wrong = MG_VIN[:8] + ("0" if MG_VIN[8] != "0" else "1") + MG_VIN[9:]
    d = screen(declarations=[declaration(vin=wrong)])["D1"]
    assert "VIN_CHECK_DIGIT" in codes(d)
    assert d["verdict"] == "review"


def test_check_digit_not_mandatory_in_europe(screen) -> None:
    d = screen(declarations=[declaration(vin="WVWZZZ1JZ3W386752", origin="DE")])["D1"]
    assert "VIN_CHECK_DIGIT" not in codes(d)


def test_make_and_year_mismatch(screen) -> None:
    ds = screen(
        declarations=[declaration(), declaration(declaration_id="D2", vin=MG_VIN_2)],
        vehicles=[vehicle(make="Toyota"), vehicle(vin=MG_VIN_2, model_year="2015")],
    )
    assert "VIN_MAKE_MISMATCH" in codes(ds["D1"])
    assert "VIN_YEAR_MISMATCH" not in codes(ds["D1"])
    assert "VIN_YEAR_MISMATCH" in codes(ds["D2"])  # position 10 'M' is 1991 or 2021
    assert "VIN_MAKE_MISMATCH" not in codes(ds["D2"])


def test_as_of_ignores_evidence_known_later(screen) -> None:
    kw = {
        "declarations": [declaration(declaration_date=day(10))],
        "odometer": [reading(40_000, -50), reading(1_000, 5)],
    }
    assert "ODOMETER_ROLLBACK" in codes(screen(**kw)["D1"])
    assert "ODOMETER_ROLLBACK" not in codes(screen(as_of=date.fromisoformat(day(0)), **kw)["D1"])


def test_verdict_is_the_worst_finding(screen) -> None:
    d = screen(
        declarations=[declaration(declared_odometer_km="1")],
        registrations=[registration(event_date=day(-1))],
        exporters=[exporter(status="revoked")],
        odometer=[reading(5000, -20)],
    )["D1"]
    assert {"EXPORTER_UNLICENSED", "ODOMETER_ROLLBACK"} <= codes(d)
    assert d["verdict"] == "refuse"
    assert d["findings"] == ";".join(sorted(codes(d)))
