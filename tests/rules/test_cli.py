"""``zeromile rules`` through the CLI runner and as a process (for the error trap)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zeromile.cli.app import build_app, main

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), ["rules", *args])
    return result.exit_code, result.output


def test_list_filters_by_date_and_jurisdiction() -> None:
    code, out = run("list", "--on", "2023-08-08", "--jurisdiction", "jp")
    assert code == 0
    assert "JP-EXP-RU-LUXURY" in out and "JP-EXP-RU-ENGINE" not in out
    code, out = run("list", "--on", "2023-08-09", "--jurisdiction", "JP")
    assert "JP-EXP-RU-ENGINE" in out and "KE-IMP" not in out


def test_list_rejects_a_bad_date() -> None:
    code, out = run("list", "--on", "9 August")
    assert code == 2
    assert "expected a date YYYY-MM-DD" in out


def test_show_prints_instrument_and_sources() -> None:
    code, out = run("show", "ke-imp-age-8y")
    assert code == 0
    assert "KS 1515:2000" in out
    assert "https://hapakenya.com/" in out


def test_check_passes_on_the_packaged_rules() -> None:
    code, out = run("check")
    assert code == 0
    assert out.startswith("ok: ")


def test_explain_a_features_file(tmp_path: Path) -> None:
    row = {
        "declaration_id": "d9",
        "origin": "JP",
        "destination": "RU",
        "declaration_date": "2023-08-09",
        "fuel": "hev",
        "declared_condition": "used",
        "documents": ["export_deregistration_certificate"],
        "currency": "JPY",
        "declared_value": 1e6,
    }
    path = tmp_path / "f.json"
    path.write_text(json.dumps([row, {**row, "declaration_id": "d10"}]), encoding="utf-8")
    code, out = run("explain", "d9", "--features", str(path))
    assert code == 0
    assert "JP-EXP-RU-ENGINE" in out and "condition true" in out


def zeromile(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the real entry point (with its error trap) in-process."""
    with pytest.raises(SystemExit) as info:
        main(["rules", *args])
    return int(info.value.code or 0), " ".join(capsys.readouterr().err.split())


def test_check_fails_on_a_malformed_folder_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "r.yaml").write_text("rules:\n  - id: XX-EXP-A\n", encoding="utf-8")
    code, err = zeromile(capsys, "check", "--path", str(tmp_path))
    assert code == 1
    assert "xx/r.yaml: rule XX-EXP-A: field title: Field required" in err
    assert "Traceback" not in err


def test_unknown_rule_id_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = zeromile(capsys, "show", "JP-EXP-RU-ENGIN")
    assert code == 1
    assert "did you mean JP-EXP-RU-ENGINE" in err


def test_bad_features_json_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.json"
    path.write_text('{\n "declaration_id": "d1",\n oops\n}', encoding="utf-8")
    code, err = zeromile(capsys, "explain", "--features", str(path))
    assert code == 1
    assert "f.json: line 3: not valid JSON" in err
    assert "Traceback" not in err
