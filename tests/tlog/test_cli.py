"""``zeromile log ...`` and ``zeromile stats --log`` through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tlog.fixtures.make_adversarial import HERE
from tests.tlog.test_publish import decision
from zeromile.cli.app import main
from zeromile.tlog.reader import LogReader


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    code, out, _ = run(capsys, "log", "init", str(tmp_path / "log"), "--origin", "cli.example/log")
    assert code == 0
    records = tmp_path / "records.jsonl"
    rows = [decision("D1"), decision("D2", origin="KR", verdict="clear", findings=[])]
    records.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert run(capsys, "log", "append", str(tmp_path / "log"), str(records))[0] == 0
    return tmp_path / "log", out.strip()


def test_init_prints_a_vkey(log: tuple[Path, str]) -> None:
    assert log[1].startswith("cli.example/log+")


def test_prove_then_verify_offline(
    tmp_path: Path, log: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "log", "prove", str(log[0]), "D2")
    assert code == 0
    bundle = json.loads(out)
    assert set(bundle) == {"index", "tree_size", "entry", "inclusion_proof", "checkpoint"}
    (tmp_path / "bundle.json").write_text(out)
    code, out, _ = run(capsys, "log", "verify", str(tmp_path / "bundle.json"), "--vkey", log[1])
    assert (code, out.strip()) == (0, "OK: entry 1 is in cli.example/log at size 2")


@pytest.mark.parametrize(
    ("attack", "message"),
    [("tampered_entry", "leads to root"), ("truncated_proof", "expected 9"),
     ("bad_signature", "does not verify"), ("key_for_another_origin", "no signature by key")],
)  # fmt: skip
def test_verify_rejects_attacks_without_traceback(
    attack: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "log", "verify", str(HERE / f"{attack}.json"), "--vkey", str(HERE / "log.vkey")
    )
    assert code == 1
    assert message in " ".join(err.split())
    assert "Traceback" not in err


def test_consistency_and_audit(
    tmp_path: Path, log: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.checkpoint"
    old.write_text((log[0] / "checkpoint").read_text())
    records = tmp_path / "more.jsonl"
    records.write_text(json.dumps(decision("D3")) + "\n")
    run(capsys, "log", "append", str(log[0]), str(records))
    code, out, _ = run(capsys, "log", "consistency", str(log[0]), "--old", str(old))
    assert code == 0
    assert json.loads(out)["old_size"] == 2 and json.loads(out)["new_size"] == 3
    code, out, _ = run(capsys, "log", "audit", str(log[0]), "--vkey", log[1])
    assert code == 0 and out.startswith("OK: 3 entries")


def test_stats_publish_and_verify(
    tmp_path: Path, log: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "stats", "--log", str(log[0]), "--json")
    assert code == 0
    published = json.loads(out)
    assert published["tree_size"] == 2 and published["by_verdict"] == {"clear": 1, "refuse": 1}
    assert published["checkpoint"] == (log[0] / "checkpoint").read_text()
    stats_file = tmp_path / "stats.json"
    stats_file.write_text(out)
    records = tmp_path / "later.jsonl"
    records.write_text(json.dumps(decision("D4")) + "\n")
    run(capsys, "log", "append", str(log[0]), str(records))
    code, out, _ = run(capsys, "stats", "--log", str(log[0]), "--verify", str(stats_file))
    assert code == 0 and out.startswith("CONFIRMED")
    stats_file.write_text(json.dumps({**published, "by_verdict": {"clear": 2, "refuse": 0}}))
    code, _, err = run(capsys, "stats", "--log", str(log[0]), "--verify", str(stats_file))
    assert code == 1
    assert "by_verdict.clear: published 2, recomputed 1" in " ".join(err.split())


def test_bad_jsonl_line_is_named(
    tmp_path: Path, log: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(decision("D5")) + "\n{not json\n")
    code, _, err = run(capsys, "log", "append", str(log[0]), str(bad))
    assert code == 1 and "bad.jsonl:2: not JSON" in " ".join(err.split())


def test_importing_tlog_loads_no_adapter() -> None:
    code = (
        "import sys, zeromile.tlog.publish, zeromile.tlog.proofs, zeromile.tlog.stats;"
        "bad = {'duckdb', 'fastapi', 'pyspark', 'typer'} & set(sys.modules); print(sorted(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_bad_field_names_file_line_and_field(
    tmp_path: Path, log: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "fields.jsonl"
    rows = [decision("D6"), decision("D7", declaration_date="9 May")]
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, _, err = run(capsys, "log", "append", str(log[0]), str(bad))
    assert code == 1
    assert "fields.jsonl:2: declaration D7: field 'declaration_date'" in " ".join(err.split())
    assert LogReader(log[0]).checkpoint().size == 2  # nothing from the file was logged
