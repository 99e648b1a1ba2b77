"""Currency conversion: the latest rate on or before the key date; a gap is a finding."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.duties.conftest import CAR, codes_of, lines_of, run_rows, totals_by_id
from zeromile.duties import Schedules, parse_fx_csv, shipped_fx
from zeromile.errors import DutyError


def test_value_in_euro_converted_with_the_shipped_ecb_rate(schedules: Schedules) -> None:
    row = {
        **CAR,
        "declaration_id": "x",
        "destination": "US",
        "origin_of_goods": "JP",
        "declared_value": 30000.0,
        "currency": "EUR",
    }
    result = run_rows(schedules, [row], on=date(2025, 9, 16))
    # ECB 16 Sep 2025: 1 EUR = 1.1807 USD -> base 35,421 USD; 2.5% = 885.525 and the
    # top-up 12.5% = 4,427.625, each rounded to the cent; the total is the sum of the lines.
    assert lines_of(result, "x") == {"US.MFN.8703": 885.53, "US.DEAL.JP": 4427.63}
    assert totals_by_id(result)["x"] == (5313.16, "USD")


def test_latest_rate_on_or_before_the_key_date_is_used(schedules: Schedules) -> None:
    row = {
        **CAR,
        "declaration_id": "x",
        "destination": "US",
        "origin_of_goods": "JP",
        "declared_value": 10000.0,
        "currency": "EUR",
    }
    # No ECB rate in the shipped table for 20 Sep 2025: the 16 Sep rate (1.1807) holds.
    # Base 11,807 USD: 2.5% = 295.175 -> 295.18, top-up 12.5% = 1,475.875 -> 1,475.88.
    result = run_rows(schedules, [row], on=date(2025, 9, 20))
    assert lines_of(result, "x") == {"US.MFN.8703": 295.18, "US.DEAL.JP": 1475.88}
    assert totals_by_id(result)["x"] == (1771.06, "USD")


def test_unknown_currency_is_a_finding_not_a_crash(schedules: Schedules) -> None:
    row = {
        **CAR,
        "declaration_id": "x",
        "destination": "US",
        "origin_of_goods": "JP",
        "currency": "XAU",
    }
    result = run_rows(schedules, [row], on=date(2025, 9, 16))
    assert ("DUTY_FX_MISSING", "info", "US.MFN.8703") in codes_of(result, "x")
    assert totals_by_id(result)["x"] == (None, None)


def test_no_rate_before_the_first_published_date(schedules: Schedules) -> None:
    row = {
        **CAR,
        "declaration_id": "x",
        "destination": "US",
        "origin_of_goods": "JP",
        "currency": "JPY",
        "declared_value": 4_000_000.0,
    }
    result = run_rows(schedules, [row], on=date(2024, 1, 2))
    assert totals_by_id(result)["x"] == (None, None)


def test_shipped_table_is_cited_and_parses() -> None:
    rates = shipped_fx()
    assert {r.currency for r in rates} == {"USD", "JPY", "KRW", "CNY", "GBP"}
    from zeromile.duties.fx import shipped_fx_text

    assert "https://www.ecb.europa.eu/" in shipped_fx_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date,currency\n2025-01-01,USD\n", "rates.csv:1: header lacks column(s) ['per_eur']"),
        ("date,currency,per_eur\n2025-13-01,USD,1.1\n", "rates.csv:2: field date"),
        ("date,currency,per_eur\n2025-01-01,US,1.1\n", "rates.csv:2: field currency"),
        ("date,currency,per_eur\n2025-01-01,USD,-1\n", "rates.csv:2: field per_eur"),
        ("# only a comment\n", "no rates"),
    ],
)
def test_malformed_rate_files_name_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(DutyError, match=re.escape(message)):
        parse_fx_csv(text, name="rates.csv")
