"""``zeromile generate`` and ``zeromile evaluate`` end to end through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from typer.testing import CliRunner

from zeromile.cli.app import build_app
from zeromile.synth.schema import TRUTH_FINDING_COLUMNS

runner = CliRunner()


def _perfect_decisions(truth: pa.Table) -> pa.Table:
    """Decisions that name exactly the true findings and score the real label."""
    rows = truth.filter(pc.invert(truth.column("malformed"))).to_pylist()
    return pa.table(
        {
            "declaration_id": [r["declaration_id"] for r in rows],
            "findings": [";".join(c for c in TRUTH_FINDING_COLUMNS if r[c]) for r in rows],
            "zero_mileage_score": [1.0 if r["is_zero_mileage_car"] else 0.0 for r in rows],
        }
    )


def test_generate_then_evaluate_perfect_decisions(tmp_path: Path) -> None:
    out = tmp_path / "world"
    result = runner.invoke(
        build_app(),
        [
            "generate",
            "--out",
            str(out),
            "--scale",
            "0.002",
            "--seed",
            "4",
            "--malformed-rate",
            "0.01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "declarations" in result.output
    summary = json.loads((out / "world.json").read_text())
    assert summary["seed"] == 4
    assert summary["malformed_rows"] > 0
    truth = pq.read_table(out / "truth.parquet")
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text("\n".join(json.dumps(r) for r in _perfect_decisions(truth).to_pylist()))
    result = runner.invoke(
        build_app(), ["evaluate", str(decisions), str(out / "truth.parquet"), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for code, c in report["findings"].items():
        assert c["fp"] == 0 and c["fn"] == 0, code
    assert report["score"]["confusion"]["f1"] == 1.0
    assert report["malformed_rejected"] == report["malformed_rows"] > 0


def test_evaluate_reads_csv_decisions_and_prints_a_table(tmp_path: Path) -> None:
    out = tmp_path / "world"
    runner.invoke(build_app(), ["generate", "--out", str(out), "--scale", "0.001", "--seed", "2"])
    truth = pq.read_table(out / "truth.parquet")
    path = tmp_path / "decisions.csv"
    import pyarrow.csv as pacsv

    pacsv.write_csv(_perfect_decisions(truth), path)
    result = runner.invoke(build_app(), ["evaluate", str(path), str(out / "truth.parquet")])
    assert result.exit_code == 0, result.output
    assert "best-F1" in result.output
    assert "ZERO_MILEAGE" in result.output


def test_user_errors_are_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "decisions.txt"
    bad.write_text("nothing")
    done = subprocess.run(
        [sys.executable, "-m", "zeromile", "evaluate", str(bad), str(bad)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "expected a .parquet, .csv or .jsonl file" in done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "zeromile",
            "generate",
            "--out",
            str(tmp_path / "w"),
            "--scale",
            "-1",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "scale must be positive" in done.stderr


def test_importing_the_generator_loads_no_engine() -> None:
    code = (
        "import sys, zeromile.synth, zeromile.synth.evaluation, zeromile.cli.synth; "
        "print(sorted(m for m in ('duckdb', 'fastapi', 'pyspark') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
