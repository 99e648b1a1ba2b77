"""``zeromile screen`` as a user runs it: outputs, counts, exit codes, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.builders import declaration, write_dossier


def _zeromile(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zeromile", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_screen_writes_decisions_rejects_and_summary(tmp_path: Path, suffix: str) -> None:
    folder = write_dossier(
        tmp_path / "d", declarations=[declaration(), declaration(declaration_id="D2", origin="XX")]
    )
    out = tmp_path / f"decisions{suffix}"
    done = _zeromile("screen", str(folder), "--out", str(out), "--no-rules")
    assert done.returncode == 0, done.stderr
    reader = {".parquet": "read_parquet", ".csv": "read_csv", ".jsonl": "read_json"}[suffix]
    rows = duckdb.sql(f"SELECT declaration_id, verdict, evidence FROM {reader}('{out}')").fetchall()
    assert [r[0] for r in rows] == ["D1"]
    assert json.loads(rows[0][2])["not_supplied"]
    rejects = (tmp_path / "decisions.rejects.csv").read_text().splitlines()
    assert rejects[0] == "table,file,line,field,value,message"
    assert ",3,origin,XX," in rejects[1]
    summary = json.loads((tmp_path / "decisions.summary.json").read_text())
    assert summary["counts"]["declarations_in"] == 2
    assert "declarations in 2 = decided 1 + rejected 1" in done.stdout


def test_strict_exits_2_and_still_writes_the_rejects(tmp_path: Path) -> None:
    folder = write_dossier(tmp_path / "d", declarations=[declaration(origin="XX")])
    out = tmp_path / "o.parquet"
    done = _zeromile("screen", str(folder), "--out", str(out), "--strict")
    assert done.returncode == 2
    assert "strict" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "o.rejects.csv").exists()
    assert not out.exists()


def test_missing_column_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "declarations.csv").write_text("declaration_id\nD1\n")
    done = _zeromile("screen", str(tmp_path / "d"), "--out", str(tmp_path / "o.parquet"))
    assert done.returncode == 1
    assert "missing required column" in done.stderr
    assert "declarations.csv" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_as_of_and_output_format_are_usage_errors(tmp_path: Path) -> None:
    folder = write_dossier(tmp_path / "d", declarations=[declaration()])
    bad_date = _zeromile(
        "screen", str(folder), "--out", str(tmp_path / "o.parquet"), "--as-of", "May"
    )
    assert bad_date.returncode == 2
    bad_fmt = _zeromile("screen", str(folder), "--out", str(tmp_path / "o.xlsx"))
    assert bad_fmt.returncode == 2
