"""The findings SQL: one statement, Spark-transpilable, with the findings contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import sqlglot
import yaml
from sqlglot import exp

from zeromile.rules import Rulebook
from zeromile.rules._duckdb import run_findings


def test_findings_sql_is_one_select(book: Rulebook) -> None:
    statements = sqlglot.parse(book.findings_sql("features"), read="duckdb")
    assert len(statements) == 1
    assert isinstance(statements[0], exp.Union | exp.Select)


def test_findings_sql_transpiles_to_spark(book: Rulebook) -> None:
    spark = sqlglot.transpile(book.findings_sql("features"), read="duckdb", write="spark")
    assert len(spark) == 1
    reparsed = sqlglot.parse_one(spark[0], read="spark")
    assert reparsed.find(exp.Table).name == "features"


def test_relation_name_is_a_parameter(book: Rulebook) -> None:
    assert " FROM decl_features " in book.findings_sql("decl_features")


def test_finding_columns_and_evidence(book: Rulebook) -> None:
    row = {
        "declaration_id": "d1",
        "origin": "JP",
        "destination": "RU",
        "fuel": "petrol",
        "engine_cc": 2500,
        "declaration_date": "2024-01-10",
        "declared_condition": "used",
        "documents": ["export_deregistration_certificate"],
        "currency": "JPY",
        "declared_value": 1.0e6,
    }
    (finding,) = run_findings(book.findings_sql(), [row])
    assert list(finding) == ["declaration_id", "code", "severity", "rule_id", "evidence"]
    evidence = json.loads(finding["evidence"])
    assert evidence["rule_id"] == finding["rule_id"] == "JP-EXP-RU-ENGINE"
    assert evidence["effective_from"] == "2023-08-09"
    assert evidence["sources"][0].startswith("https://")
    assert evidence["thresholds"] == {"max_cc": 1900}
    assert evidence["values"]["engine_cc"] == 2500
    assert evidence["values"]["key_date"] == "2024-01-10"


def test_missing_evidence_names_the_feature(book: Rulebook) -> None:
    row = {
        "declaration_id": "d1",
        "origin": "KR",
        "destination": "RU",
        "fuel": "petrol",
        "declaration_date": "2024-06-01",
        "damage": "none",
        "importer_kind": "individual",
    }
    (finding,) = run_findings(book.findings_sql(), [row])
    assert finding["code"] == "RULE_MISSING_EVIDENCE"
    assert finding["severity"] == "review"
    assert json.loads(finding["evidence"])["missing"] == ["engine_cc"]


def test_ambiguous_finding_names_the_conflict(book: Rulebook) -> None:
    row = {
        "declaration_id": "d1",
        "origin": "KR",
        "destination": "RU",
        "fuel": "petrol",
        "engine_cc": 2000,
        "declaration_date": "2024-06-01",
        "damage": "none",
        "importer_kind": "individual",
    }
    (finding,) = run_findings(book.findings_sql(), [row])
    assert (finding["code"], finding["severity"]) == ("AMBIGUOUS", "review")
    assert "21 Feb 2024" in json.loads(finding["evidence"])["conflict"]


def test_import_rules_key_on_arrival(book: Rulebook) -> None:
    base = {
        "declaration_id": "d1",
        "origin": "US",
        "destination": "JO",
        "steering": "rhd",
        "fuel": "petrol",
        "damage": "none",
        "declaration_date": "2025-10-20",
    }
    assert run_findings(book.findings_sql(), [base]) == []
    arrived = run_findings(book.findings_sql(), [{**base, "arrival_date": "2025-11-01"}])
    assert [f["rule_id"] for f in arrived] == ["JO-IMP-RHD"]


def test_empty_rulebook_gives_empty_valid_sql(tmp_path: Path) -> None:
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "r.yaml").write_text(yaml.safe_dump({"rules": []}), encoding="utf-8")
    book = Rulebook.load(tmp_path)
    assert run_findings(book.findings_sql(), [{"declaration_id": "d1"}]) == []


def test_importing_the_rulebook_imports_no_engine() -> None:
    code = (
        "import sys, zeromile.rules; from zeromile.rules import Rulebook; Rulebook.load();"
        "print(sorted(m for m in ('duckdb', 'fastapi', 'pyspark') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
