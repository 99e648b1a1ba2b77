"""EU countervailing duties per producer and Russia's fee and single rate, by hand."""

from __future__ import annotations

from datetime import date

import pytest

from tests.duties.conftest import codes_of, lines_of, run_rows, totals_by_id
from zeromile.duties import FxRate, Schedules

BEV = {
    "body": "passenger",
    "fuel": "bev",
    "declared_condition": "new",
    "declared_value": 30000.0,
    "currency": "EUR",
    "destination": "DE",
    "origin_of_goods": "CN",
}


@pytest.mark.parametrize(
    ("make", "rule", "cvd"),
    [
        ("BYD", "EU.CVD.BEV.BYD", 5100.0),  # 30,000 x 17.0%
        ("Geely", "EU.CVD.BEV.GEELY", 5640.0),  # 18.8%
        ("SAIC", "EU.CVD.BEV.SAIC", 10590.0),  # 35.3%
        ("Tesla", "EU.CVD.BEV.TESLA", 2340.0),  # 7.8%
        ("Unnamed Motors", "EU.CVD.BEV.ALL_OTHERS", 10590.0),  # residual 35.3%
    ],
)
def test_eu_cvd_per_producer_on_top_of_10_percent(
    schedules: Schedules, make: str, rule: str, cvd: float
) -> None:
    result = run_rows(
        schedules, [{**BEV, "declaration_id": "x", "make": make}], on=date(2025, 1, 15)
    )
    assert lines_of(result, "x") == {"EU.MFN.8703.CN": 3000.0, rule: cvd}
    assert totals_by_id(result)["x"] == (3000.0 + cvd, "EUR")


def test_eu_cvd_not_before_30_october_2024_and_not_on_used_or_petrol_cars(
    schedules: Schedules,
) -> None:
    rows = [
        {**BEV, "declaration_id": "early", "make": "BYD", "import_date": date(2024, 10, 29)},
        {
            **BEV,
            "declaration_id": "used",
            "make": "BYD",
            "declared_condition": "used",
            "import_date": date(2025, 1, 15),
        },
        {
            **BEV,
            "declaration_id": "petrol",
            "make": "BYD",
            "fuel": "petrol",
            "engine_cc": 1500,
            "import_date": date(2025, 1, 15),
        },
    ]
    result = run_rows(schedules, rows)
    for declaration_id in ("early", "used", "petrol"):
        assert lines_of(result, declaration_id) == {"EU.MFN.8703.CN": 3000.0}


def test_eu_cvd_without_make_asks_for_review(schedules: Schedules) -> None:
    result = run_rows(schedules, [{**BEV, "declaration_id": "x"}], on=date(2025, 1, 15))
    assert ("DUTY_MISSING_EVIDENCE", "review", "EU.CVD.BEV.BYD") in codes_of(result, "x")
    assert totals_by_id(result)["x"] == (None, None)


def test_eu_other_origins_have_no_rate_and_say_so(schedules: Schedules) -> None:
    row = {**BEV, "declaration_id": "jp", "origin_of_goods": "JP", "make": "Nissan"}
    result = run_rows(schedules, [row], on=date(2025, 1, 15))
    assert codes_of(result, "jp") == {("DUTY_NO_RATE", "info", "EU-8703.mfn")}
    assert totals_by_id(result)["jp"] == (None, None)


RU_CAR = {
    "body": "passenger",
    "fuel": "petrol",
    "engine_cc": 1600,
    "destination": "RU",
    "origin_of_goods": "CN",
    "importer_kind": "legal_entity",
    "model_year": 2024,
    "declared_value": 20000.0,
    "currency": "EUR",
}


@pytest.mark.parametrize(
    ("on", "model_year", "fee"),
    [
        (date(2024, 9, 30), 2023, 300600.0),
        (date(2024, 10, 1), 2023, 556200.0),
        (date(2024, 12, 31), 2023, 556200.0),
        (date(2025, 1, 1), 2023, 667400.0),
        (date(2024, 9, 30), 2019, 528800.0),
        (date(2024, 10, 1), 2019, 963800.0),
    ],
)
def test_russian_utilisation_fee_bands(
    schedules: Schedules, on: date, model_year: int, fee: float
) -> None:
    row = {**RU_CAR, "declaration_id": "x", "model_year": model_year}
    result = run_rows(schedules, [row], on=on)
    assert lines_of(result, "x") == {next(iter(lines_of(result, "x"))): fee}
    # No customs-duty rate for legal entities is established: no total, and it says so.
    assert ("DUTY_NO_RATE", "info", "RU-8703.customs_duty") in codes_of(result, "x")
    assert totals_by_id(result)["x"] == (None, None)


def test_russian_fee_outside_the_confirmed_bands_is_not_invented(schedules: Schedules) -> None:
    row = {**RU_CAR, "declaration_id": "x", "engine_cc": 2500}
    result = run_rows(schedules, [row], on=date(2025, 3, 1))
    assert lines_of(result, "x") == {}
    assert ("DUTY_NO_RATE", "info", "RU-8703.levy") in codes_of(result, "x")


RUB_RATES = [FxRate(date(2025, 3, 3), "RUB", 95.0), FxRate(date(2025, 3, 3), "USD", 1.05)]


def test_eaeu_single_rate_percent_or_per_cc_minimum_whichever_higher(schedules: Schedules) -> None:
    rows = [
        # EUR 8,000, 2,000 cc: 54% = 4,320 vs 2.5 x 2,000 = 5,000 -> 5,000 EUR = 475,000 RUB
        {
            **RU_CAR,
            "declaration_id": "per-cc",
            "importer_kind": "individual",
            "declared_value": 8000.0,
            "engine_cc": 2000,
        },
        # EUR 16,000, 1,600 cc: 48% = 7,680 vs 3.5 x 1,600 = 5,600 -> 7,680 EUR = 729,600 RUB
        {
            **RU_CAR,
            "declaration_id": "percent",
            "importer_kind": "individual",
            "declared_value": 16000.0,
        },
    ]
    result = run_rows(schedules, rows, on=date(2025, 3, 10), fx=RUB_RATES)
    assert lines_of(result, "per-cc") == {
        "RU.ETT.IND.UPTO3.V8500": 475000.0,
        "RU.UTIL.IND.UPTO3": 3400.0,
    }
    assert lines_of(result, "percent") == {
        "RU.ETT.IND.UPTO3.V16700": 729600.0,
        "RU.UTIL.IND.UPTO3": 3400.0,
    }
    assert totals_by_id(result)["percent"] == (733000.0, "RUB")


def test_value_band_uses_the_value_converted_to_euro(schedules: Schedules) -> None:
    # USD 9,450 / 1.05 = EUR 9,000: second band (48%, min 3.5/cc): 4,320 vs 5,600 -> 5,600 EUR
    row = {
        **RU_CAR,
        "declaration_id": "x",
        "importer_kind": "individual",
        "declared_value": 9450.0,
        "currency": "USD",
    }
    result = run_rows(schedules, [row], on=date(2025, 3, 10), fx=RUB_RATES)
    assert lines_of(result, "x")["RU.ETT.IND.UPTO3.V16700"] == 532000.0


def test_per_cc_duty_without_engine_size_asks_for_review(schedules: Schedules) -> None:
    row = {**RU_CAR, "declaration_id": "x", "importer_kind": "individual", "engine_cc": None}
    result = run_rows(schedules, [row], on=date(2025, 3, 10), fx=RUB_RATES)
    findings = [f for f in result.findings.to_pylist() if f["code"] == "DUTY_MISSING_EVIDENCE"]
    assert findings and all("engine_cc" in f["evidence"] for f in findings)
    assert totals_by_id(result)["x"] == (None, None)


def test_individual_preferential_fee_needs_power_from_december_2025(schedules: Schedules) -> None:
    base = {**RU_CAR, "importer_kind": "individual"}
    rows = [
        {**base, "declaration_id": "small", "power_kw": 110.0},
        {**base, "declaration_id": "strong", "power_kw": 150.0},
        {**base, "declaration_id": "unknown"},
    ]
    result = run_rows(schedules, rows, on=date(2025, 12, 5), fx=RUB_RATES)
    assert lines_of(result, "small")["RU.UTIL.IND.UPTO3.POWER_CAP"] == 3400.0
    assert "RU.UTIL.IND.UPTO3.POWER_CAP" not in lines_of(result, "strong")
    assert ("DUTY_MISSING_EVIDENCE", "review", "RU.UTIL.IND.UPTO3.POWER_CAP") in codes_of(
        result, "unknown"
    )
