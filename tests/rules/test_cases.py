"""Per-jurisdiction case files, written from the sources, run through DuckDB.

Each case is a features row (file defaults + overrides) and the exact set of
(code, rule_id) findings and the verdict the whole rulebook must give.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from zeromile.rules import Rulebook
from zeromile.rules._duckdb import run_findings

CASES_DIR = Path(__file__).parent / "cases"


def _load() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            case_id = f"{path.stem}: {case['name']}"
            row = {**doc.get("defaults", {}), **case["features"], "declaration_id": case_id}
            out.append((case_id, row, case))
    return out


CASES = _load()


@pytest.fixture(scope="module")
def all_findings(book: Rulebook) -> dict[str, list[dict[str, Any]]]:
    """Every case row screened in ONE query, as the screening does."""
    by_case: dict[str, list[dict[str, Any]]] = {case_id: [] for case_id, _, _ in CASES}
    for finding in run_findings(book.findings_sql(), [row for _, row, _ in CASES]):
        by_case[finding["declaration_id"]].append(finding)
    return by_case


def verdict(severities: list[str]) -> str:
    if "refuse" in severities:
        return "refuse"
    return "review" if "review" in severities else "clear"


@pytest.mark.parametrize(("case_id", "case"), [pytest.param(i, c, id=i) for i, _, c in CASES])
def test_case(
    all_findings: dict[str, list[dict[str, Any]]], case_id: str, case: dict[str, Any]
) -> None:
    findings = all_findings[case_id]
    got = sorted((f["code"], f["rule_id"]) for f in findings)
    assert got == sorted(tuple(f) for f in case["findings"])
    assert verdict([f["severity"] for f in findings]) == case["verdict"]


def test_every_jurisdiction_has_a_case_file(book: Rulebook) -> None:
    files = {p.stem.upper() for p in CASES_DIR.glob("*.yaml")}
    assert {r.jurisdiction for r in book.rules} <= files


def test_every_rule_is_exercised_by_a_firing_case(book: Rulebook) -> None:
    fired = set()
    for path in CASES_DIR.glob("*.yaml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            fired |= {rule_id for _code, rule_id in case["findings"]}
    assert {r.id for r in book.rules} <= fired


def test_every_finding_carries_json_evidence_of_its_rule(
    all_findings: dict[str, list[dict[str, Any]]],
) -> None:
    import json

    findings = [f for fs in all_findings.values() for f in fs]
    assert findings
    for finding in findings:
        evidence = json.loads(finding["evidence"])
        assert evidence["rule_id"] == finding["rule_id"]
        assert evidence["sources"] and evidence["effective_from"]
        assert "key_date" in evidence["values"]
        if finding["code"] == "AMBIGUOUS":
            assert evidence["conflict"]
        if finding["code"] == "RULE_MISSING_EVIDENCE":
            assert evidence["missing"]
