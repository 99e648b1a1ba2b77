"""``zeromile duties`` through its runner: features file, comparison, quote, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from zeromile.cli.app import build_app

runner = CliRunner()

FEATURES = [
    {
        "declaration_id": "jp-1",
        "destination": "US",
        "origin": "JP",
        "built_in": "JP",
        "declaration_date": "2025-09-10",
        "arrival_date": "2025-09-15",
        "body": "passenger",
        "fuel": "petrol",
        "engine_cc": 2500,
        "declared_condition": "used",
        "declared_value": 30000,
        "currency": "USD",
        "hs_code": "8703.22.01",
    },
    {
        "declaration_id": "cn-1",
        "destination": "US",
        "origin": "KG",
        "built_in": "CN",
        "declaration_date": "2025-09-16",
        "body": "passenger",
        "fuel": "bev",
        "declared_condition": "new",
        "declared_value": 40000,
        "currency": "USD",
    },
    {
        "declaration_id": "kz-1",
        "destination": "KZ",
        "origin": "CN",
        "declaration_date": "2025-09-16",
        "body": "passenger",
        "fuel": "petrol",
        "engine_cc": 1500,
        "declared_value": 9000,
        "currency": "USD",
    },
]


def _features_file(tmp_path: Path) -> Path:
    path = tmp_path / "features.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in FEATURES))
    return path


def test_features_file_gives_lines_totals_and_findings(tmp_path: Path) -> None:
    out = tmp_path / "duties.parquet"
    result = runner.invoke(
        build_app(), ["duties", "--features", str(_features_file(tmp_path)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = pq.read_table(out).to_pylist()
    assert {(r["declaration_id"], r["rule_id"], r["amount"]) for r in lines} == {
        ("jp-1", "US.MFN.8703", 750.0),
        ("jp-1", "US.S232.AUTOS", 7500.0),
        ("cn-1", "US.MFN.8703", 1000.0),
        ("cn-1", "US.S232.AUTOS", 10000.0),
        ("cn-1", "US.S301.CN.BEV", 40000.0),
    }
    totals = {
        r["declaration_id"]: r["duty_amount"]
        for r in pq.read_table(tmp_path / "duties.totals.parquet").to_pylist()
    }
    assert totals == {"jp-1": 8250.0, "cn-1": 51000.0}  # KZ has no schedule
    findings = pq.read_table(tmp_path / "duties.findings.parquet").to_pylist()
    # jp-1 declares 8703.22 (1,000-1,500 cc) for a 2,500 cc petrol car (8703.23).
    assert [(f["declaration_id"], f["code"]) for f in findings] == [("jp-1", "HS_CODE_MISMATCH")]


def test_on_vs_compares_totals_by_flow(tmp_path: Path) -> None:
    out = tmp_path / "flows.csv"
    result = runner.invoke(
        build_app(),
        [
            "duties",
            "--features",
            str(_features_file(tmp_path)),
            "--on",
            "2025-09-15",
            "--vs",
            "2025-09-16",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    import pyarrow.csv as pacsv

    rows = {r["origin_of_goods"]: r for r in pacsv.read_csv(out).to_pylist()}
    assert rows["JP"]["duty_on"] == 8250.0 and rows["JP"]["duty_vs"] == 4500.0
    assert rows["JP"]["rate_on"] == 0.275 and rows["JP"]["rate_vs"] == 0.15


def test_quote_prints_lines_with_instrument_and_total() -> None:
    result = runner.invoke(
        build_app(),
        [
            "duties",
            "quote",
            "--destination",
            "US",
            "--origin-of-goods",
            "JP",
            "--on",
            "2025-09-16",
            "--value",
            "30000",
            "--currency",
            "USD",
            "--fuel",
            "petrol",
            "--engine-cc",
            "2500",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["total"] == 4500.0
    assert {line["instrument"] for line in payload["lines"]} >= {
        "Executive Order 14345 of 4 September 2025"
    }


def test_bad_schedule_folder_fails_cleanly_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "XX").mkdir()
    (tmp_path / "XX" / "bad.yaml").write_text("schedule_id: XX\nimporter: XX\n")
    out = subprocess.run(
        [sys.executable, "-m", "zeromile", "duties", "check", "--schedules", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "XX/bad.yaml" in out.stderr and "field currency" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_features_value_names_declaration_and_field(tmp_path: Path) -> None:
    path = tmp_path / "features.csv"
    path.write_text("declaration_id,destination,engine_cc\nd-1,US,2500\nd-2,US,big\n")
    result = runner.invoke(build_app(), ["duties", "--features", str(path)])
    assert result.exit_code != 0
    assert "declaration d-2, field engine_cc" in str(result.exception)


def test_two_schedule_versions_compare_on_the_same_date(tmp_path: Path) -> None:
    import shutil

    data = Path(__file__).resolve().parents[2] / "src" / "zeromile" / "duties" / "data"
    other = tmp_path / "other"
    shutil.copytree(data, other)
    us = other / "US" / "us_passenger_cars.yaml"
    us.write_text(
        us.read_text().replace(
            "rate: {kind: ad_valorem, percent: 25}", "rate: {kind: ad_valorem, percent: 50}"
        )
    )
    out = tmp_path / "flows.jsonl"
    result = runner.invoke(
        build_app(),
        [
            "duties",
            "--features",
            str(_features_file(tmp_path)),
            "--on",
            "2025-09-15",
            "--vs-schedules",
            str(other),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {r["origin_of_goods"]: r for r in map(json.loads, out.read_text().splitlines())}
    # 30,000 x (2.5% + 25%) = 8,250 versus 30,000 x (2.5% + 50%) = 15,750
    assert (rows["JP"]["duty_on"], rows["JP"]["duty_vs"]) == (8250.0, 15750.0)
