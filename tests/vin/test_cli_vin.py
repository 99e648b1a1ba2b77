"""``zeromile vin`` through typer's CliRunner (and once as a real process)."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from zeromile.cli.app import build_app

runner = CliRunner()


def test_json_explains_each_vin_and_exits_0_even_when_invalid() -> None:
    result = runner.invoke(
        build_app(), ["vin", "--json", "1FTFW5L86RFB45612", "1FTFW5L86RFB4561O", "ZVW30-1234567"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["vin_kind"] for d in data] == ["vin", "invalid", "invalid"]
    good = data[0]
    assert (good["wmi_make"], good["wmi_country"], good["year_candidates"]) == (
        "Ford",
        "US",
        [2024],
    )
    assert (good["check_digit_expected"], good["check_digit_found"]) == ("6", "6")
    assert good["check_digit_mandatory"] is True and good["problems"] == []
    assert "I, O or Q" in data[1]["problems"][0]
    assert [d["findings"] for d in data] == [[], ["VIN_INVALID"], ["VIN_INVALID"]]


def test_declared_make_year_and_country_are_checked() -> None:
    result = runner.invoke(
        build_app(),
        [
            "vin", "--json", "--make", "Kia", "--year", "2021", "--registered-in", "JP",
            "KMHRC8A33RU325703", "ZVW30-1234567",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    hyundai, chassis = json.loads(result.output)
    assert hyundai["make_mismatch"] is True and hyundai["year_mismatch"] is True
    assert len(hyundai["problems"]) == 2
    assert hyundai["findings"] == ["VIN_MAKE_MISMATCH", "VIN_YEAR_MISMATCH"]
    assert chassis["vin_kind"] == "jp_chassis"


def test_table_output_names_maker_check_digit_and_problems() -> None:
    wrong = "LRW3E7FA0NC000000"  # check digit should be 6
    result = runner.invoke(build_app(), ["vin", wrong], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Tesla" in result.output
    assert "found 0, expected 6: WRONG (mandatory)" in result.output
    assert "check digit is 0, expected 6" in result.output
    assert "VIN_CHECK_DIGIT" in result.output


def test_no_argument_is_a_usage_error_without_traceback() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "zeromile", "vin"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 2
    assert "Missing argument" in out.stderr and "Traceback" not in out.stderr
