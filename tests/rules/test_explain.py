"""Explanations: which rules were considered and why each did or did not fire."""

from __future__ import annotations

from zeromile.rules import Rulebook, Status, explain
from zeromile.rules._duckdb import run_on_row

ROW = {
    "declaration_id": "d1",
    "origin": "JP",
    "destination": "RU",
    "declaration_date": "2023-08-09",
    "declared_condition": "used",
    "documents": ["export_deregistration_certificate"],
    "fuel": "petrol",
    "engine_cc": 2500,
    "currency": "USD",
    "declared_value": 12000.0,
    "importer_kind": "individual",
}


def by_id(book: Rulebook, row: dict[str, object]) -> dict[str, object]:
    return {e.rule_id: e for e in explain(book, row, run_on_row)}


def test_every_rule_is_explained_with_its_status(book: Rulebook) -> None:
    got = by_id(book, ROW)
    assert set(got) == {r.id for r in book.rules}
    assert got["JP-EXP-RU-ENGINE"].status is Status.FIRED
    assert got["JP-EXP-DEREG-CERT"].status is Status.NOT_FIRED
    assert got["JP-EXP-RU-LUXURY"].status is Status.MISSING_FEATURE
    assert got["JP-EXP-RU-LUXURY"].missing == ("declared_value_jpy",)
    assert got["KR-EXP-RU-BY-ENGINE"].status is Status.NOT_APPLICABLE
    assert got["CN-EXP-180DAY-AFTERSALES"].status is Status.NOT_APPLICABLE


def test_date_outside_force_is_said(book: Rulebook) -> None:
    got = by_id(book, {**ROW, "declaration_date": "2023-08-08"})
    item = got["JP-EXP-RU-ENGINE"]
    assert item.status is Status.NOT_IN_FORCE
    assert "2023-08-08" in item.reason and "2023-08-09" in item.reason


def test_explain_agrees_with_the_findings_query(book: Rulebook) -> None:
    from zeromile.rules._duckdb import run_findings

    rows = [
        ROW,
        {**ROW, "engine_cc": 1900},
        {**ROW, "origin": "KR", "engine_cc": 2000, "declaration_date": "2024-03-01"},
        {**ROW, "engine_cc": None},
    ]
    fired_status = {Status.FIRED, Status.AMBIGUOUS, Status.MISSING_FEATURE}
    for row in rows:
        explained = {e.rule_id for e in explain(book, row, run_on_row) if e.status in fired_status}
        found = {f["rule_id"] for f in run_findings(book.findings_sql(), [row])}
        assert explained == found
