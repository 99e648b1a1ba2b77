"""US duties: MFN, Section 232, Section 301, the deals' top-up rule and the UK quota.

Expected amounts are computed by hand from the rates in regulations notes §7.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.duties.conftest import CAR, codes_of, lines_of, run_rows, totals_by_id
from zeromile.duties import Schedules, quote


def us_car(declaration_id: str, origin: str, **extra: object) -> dict[str, object]:
    return {
        **CAR,
        "declaration_id": declaration_id,
        "destination": "US",
        "origin_of_goods": origin,
        **extra,
    }


def test_japanese_car_pays_27_5_percent_the_day_before_the_deal_and_15_after(
    schedules: Schedules,
) -> None:
    rows = [us_car("jp", "JP")]
    before = run_rows(schedules, rows, on=date(2025, 9, 15))
    after = run_rows(schedules, rows, on=date(2025, 9, 16))
    # 30,000 x (2.5% + 25%) = 8,250 ; 30,000 x 15% = 4,500 (2.5% MFN + 12.5% top-up)
    assert totals_by_id(before)["jp"] == (8250.0, "USD")
    assert lines_of(before, "jp") == {"US.MFN.8703": 750.0, "US.S232.AUTOS": 7500.0}
    assert totals_by_id(after)["jp"] == (4500.0, "USD")
    assert lines_of(after, "jp") == {"US.MFN.8703": 750.0, "US.DEAL.JP": 3750.0}


def test_korean_car_pays_25_percent_before_1_november_2025_and_15_from_then(
    schedules: Schedules,
) -> None:
    rows = [us_car("kr", "KR", declared_value=20000.0)]
    before = run_rows(schedules, rows, on=date(2025, 10, 31))
    after = run_rows(schedules, rows, on=date(2025, 11, 1))
    # No MFN line for Korea (the sources' "15% instead of 25%"): 20,000 x 25% = 5,000;
    # from 1 Nov the top-up raises 0% to 15%: 3,000.
    assert totals_by_id(before)["kr"] == (5000.0, "USD")
    assert totals_by_id(after)["kr"] == (3000.0, "USD")
    assert lines_of(after, "kr") == {"US.DEAL.KR": 3000.0}


def test_eu_car_deal_applies_from_1_august_2025(schedules: Schedules) -> None:
    rows = [us_car("de", "DE", declared_value=50000.0)]
    assert totals_by_id(run_rows(schedules, rows, on=date(2025, 7, 31)))["de"] == (13750.0, "USD")
    assert totals_by_id(run_rows(schedules, rows, on=date(2025, 8, 1)))["de"] == (7500.0, "USD")


def test_chinese_bev_layers_mfn_232_and_301(schedules: Schedules) -> None:
    rows = [us_car("cn", "CN", fuel="bev", engine_cc=None, declared_value=40000.0)]
    result = run_rows(schedules, rows, on=date(2025, 9, 16))
    # 40,000 x (2.5% + 25% + 100%) = 1,000 + 10,000 + 40,000 = 51,000
    assert lines_of(result, "cn") == {
        "US.MFN.8703": 1000.0,
        "US.S232.AUTOS": 10000.0,
        "US.S301.CN.BEV": 40000.0,
    }
    assert totals_by_id(result)["cn"] == (51000.0, "USD")


def test_chinese_petrol_car_has_no_301_ev_line(schedules: Schedules) -> None:
    result = run_rows(schedules, [us_car("cn", "CN")], on=date(2025, 9, 16))
    assert "US.S301.CN.BEV" not in lines_of(result, "cn")


def test_uk_quota_100000th_car_pays_10_percent_and_100001st_pays_27_5(
    schedules: Schedules,
) -> None:
    # 99,998 UK cars already entered in 2025; three more arrive, ordered by date then id.
    rows = [
        us_car("uk-c", "GB", import_date=date(2025, 9, 2)),
        us_car("uk-a", "GB", import_date=date(2025, 9, 1)),
        us_car("uk-b", "GB", import_date=date(2025, 9, 1)),
    ]
    result = run_rows(schedules, rows, quota_usage={("US-UK-EPD-AUTOS", 2025): 99998})
    totals = totals_by_id(result)
    assert totals["uk-a"] == (3000.0, "USD")  # 99,999th: 7.5% + 2.5%
    assert totals["uk-b"] == (3000.0, "USD")  # 100,000th
    assert totals["uk-c"] == (8250.0, "USD")  # 100,001st: 25% + 2.5%
    assert lines_of(result, "uk-c") == {"US.MFN.8703": 750.0, "US.S232.AUTOS": 7500.0}


def test_uk_quota_restarts_each_year(schedules: Schedules) -> None:
    rows = [
        us_car("late-2025", "GB", import_date=date(2025, 12, 31)),
        us_car("early-2026", "GB", import_date=date(2026, 1, 2)),
    ]
    result = run_rows(schedules, rows, quota_usage={("US-UK-EPD-AUTOS", 2025): 100000})
    totals = totals_by_id(result)
    assert totals["late-2025"] == (8250.0, "USD")
    assert totals["early-2026"] == (3000.0, "USD")


def test_uk_car_before_the_deal_pays_27_5(schedules: Schedules) -> None:
    result = run_rows(schedules, [us_car("uk", "GB")], on=date(2025, 6, 29))
    assert totals_by_id(result)["uk"] == (8250.0, "USD")


@pytest.mark.parametrize(
    ("built_in", "origin", "expected"),
    [
        ("JP", "AE", 4500.0),  # a Japanese-built car shipped from the UAE keeps Japanese origin
        ("TH", "JP", 8250.0),  # a Japanese brand built in Thailand, shipped from Japan: 27.5%
        ("US", "JP", None),  # US-built goods returning: not encoded, so no total
    ],
)
def test_duty_keys_on_the_country_of_manufacture_not_the_ship_from_country(
    schedules: Schedules, built_in: str, origin: str, expected: float | None
) -> None:
    row = {
        **CAR,
        "declaration_id": "x",
        "destination": "US",
        "built_in": built_in,
        "origin": origin,
    }
    totals = totals_by_id(run_rows(schedules, [row], on=date(2025, 9, 16)))
    assert totals["x"][0] == expected


def test_chinese_car_reexported_from_kyrgyzstan_keeps_chinese_origin(schedules: Schedules) -> None:
    row = {
        **CAR,
        "declaration_id": "kg",
        "destination": "US",
        "origin": "KG",
        "origin_of_goods": "CN",
        "fuel": "bev",
        "engine_cc": None,
    }
    assert "US.S301.CN.BEV" in lines_of(run_rows(schedules, [row], on=date(2025, 9, 16)), "kg")


def test_missing_engine_size_does_not_block_a_rate_that_covers_every_engine_size(
    schedules: Schedules,
) -> None:
    result = run_rows(schedules, [us_car("jp", "JP", engine_cc=None)], on=date(2025, 9, 16))
    assert totals_by_id(result)["jp"] == (4500.0, "USD")
    assert codes_of(result, "jp") == set()


def test_missing_value_gives_review_and_no_total(schedules: Schedules) -> None:
    result = run_rows(schedules, [us_car("jp", "JP", declared_value=None)], on=date(2025, 9, 16))
    assert totals_by_id(result)["jp"] == (None, None)
    assert ("DUTY_MISSING_EVIDENCE", "review", "US.MFN.8703") in codes_of(result, "jp")


def test_quote_runs_the_same_sql_for_one_car() -> None:
    q = quote({**CAR, "destination": "US", "origin_of_goods": "JP"}, date(2025, 9, 15))
    assert q.total == 8250.0 and q.currency == "USD"
    assert {line["rule_id"] for line in q.lines} == {"US.MFN.8703", "US.S232.AUTOS"}
    assert all(line["source"].startswith("https://") for line in q.lines)


@settings(max_examples=6, deadline=None)
@given(
    entries=st.integers(min_value=1, max_value=12),
    left=st.integers(min_value=-3, max_value=12),
)
def test_quota_admits_exactly_the_units_left_first_come_first_served(
    entries: int, left: int
) -> None:
    schedules = Schedules.load()
    rows = [
        us_car(f"uk-{i:02d}", "GB", import_date=date(2025, 7, 1) + timedelta(days=i))
        for i in range(entries)
    ]
    used = 100_000 - left
    result = run_rows(schedules, rows, quota_usage={("US-UK-EPD-AUTOS", 2025): used})
    in_quota = sorted(
        r["declaration_id"]
        for r in result.lines.to_pylist()
        if r["rule_id"] == "US.EPD.UK.IN_QUOTA"
    )
    admitted = max(0, min(entries, left))
    assert in_quota == [f"uk-{i:02d}" for i in range(admitted)]
