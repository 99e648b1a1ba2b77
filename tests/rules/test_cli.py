"""``zeromile rules`` through the CLI runner and as a process (for the error trap)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from zeromile.cli.app import build_app

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
        "documents": ["JP_EXPORT_DEREG_CERT"],
        "currency": "JPY",
        "declared_value": 1e6,
    }
    path = tmp_path / "f.json"
    path.write_text(json.dumps([row, {**row, "declaration_id": "d10"}]), encoding="utf-8")
    code, out = run("explain", "d9", "--features", str(path))
    assert code == 0
    assert "JP-EXP-RU-ENGINE" in out and "condition true" in out


def zeromile(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zeromile", "rules", *args], capture_output=True, text=True
    )


def test_check_fails_on_a_malformed_folder_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "r.yaml").write_text("rules:\n  - id: XX-EXP-A\n", encoding="utf-8")
    out = zeromile("check", "--path", str(tmp_path))
    assert out.returncode == 1
    assert "xx/r.yaml: rule XX-EXP-A: field title: Field required" in out.stderr
    assert "Traceback" not in out.stderr


def test_unknown_rule_id_suggests(tmp_path: Path) -> None:
    out = zeromile("show", "JP-EXP-RU-ENGIN")
    assert out.returncode == 1
    assert "did you mean JP-EXP-RU-ENGINE" in out.stderr


def test_bad_features_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text('{\n "declaration_id": "d1",\n oops\n}', encoding="utf-8")
    out = zeromile("explain", "--features", str(path))
    assert out.returncode == 1
    assert f"{path}: line 3: not valid JSON" in " ".join(out.stderr.split()).replace(
        ": line", ": line"
    )
    assert "Traceback" not in out.stderr
