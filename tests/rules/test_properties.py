"""Property: explanations and the findings query agree on every row."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zeromile.rules import Rulebook, Status, explain
from zeromile.rules._duckdb import run_query
from zeromile.rules.explain import verdict

BOOK = Rulebook.load()
COUNTRIES = [
    "CN",
    "JP",
    "KR",
    "DE",
    "KG",
    "US",
    "RU",
    "KE",
    "JO",
    "SY",
    "SA",
    "UG",
    "PK",
    "CL",
    "MU",
    "IQ",
    "BY",
    "AE",
]
EXPECTED_CODE = {
    Status.AMBIGUOUS: "AMBIGUOUS",
    Status.MISSING_FEATURE: "RULE_MISSING_EVIDENCE",
}


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


rows = st.fixed_dictionaries(
    {
        "origin": st.sampled_from(COUNTRIES),
        "destination": st.sampled_from(COUNTRIES),
        "declaration_date": st.dates(date(2021, 1, 1), date(2027, 12, 31)),
        "arrival_date": maybe(st.dates(date(2021, 1, 1), date(2028, 3, 31))),
        "declared_condition": maybe(st.sampled_from(["used", "new"])),
        "importer_kind": maybe(st.sampled_from(["legal_entity", "individual"])),
        "documents": st.lists(
            st.sampled_from(
                [
                    "export_licence",
                    "inspection_report",
                    "manufacturer_after_sales_letter",
                    "export_deregistration_certificate",
                    "roadworthiness_certificate",
                ]
            ),
            max_size=3,
        ),
        "make": maybe(st.sampled_from(["TOYOTA", "Kia", "ZEEKR", "BYD"])),
        "model_year": maybe(st.integers(2005, 2027)),
        "fuel": maybe(st.sampled_from(["petrol", "diesel", "hev", "phev", "bev"])),
        "steering": maybe(st.sampled_from(["lhd", "rhd"])),
        "damage": maybe(st.sampled_from(["none", "flood", "flood_total_loss", "salvage"])),
        "engine_cc": maybe(st.sampled_from([1000, 1899, 1900, 1901, 1999, 2000, 2001, 3500])),
        "currency": maybe(st.sampled_from(["JPY", "USD"])),
        "declared_value": maybe(st.sampled_from([5_999_999.0, 6_000_000.0, 6_000_001.0])),
        "first_registration_date": maybe(st.dates(date(2014, 1, 1), date(2027, 12, 31))),
        "first_registration_country": maybe(st.sampled_from(["KG", "AM", "CN"])),
        "first_registration_region": maybe(st.sampled_from(["10", "01"])),
    }
)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=80))
def test_explain_agrees_with_findings(batch: list[dict[str, Any]]) -> None:
    for i, row in enumerate(batch):
        row["declaration_id"] = f"d{i}"
    evaluated = {r["declaration_id"]: r for r in run_query(BOOK.explain_sql(), batch)}
    findings = run_query(BOOK.findings_sql(), batch)
    for row in batch:
        items = explain(BOOK, row, lambda _sql, r: evaluated[r["declaration_id"]])
        expected = set()
        for item in items:
            if item.status is Status.FIRED:
                expected.add((str(item.rule.code), item.rule_id))
            elif item.status in EXPECTED_CODE:
                expected.add((EXPECTED_CODE[item.status], item.rule_id))
        mine = [f for f in findings if f["declaration_id"] == row["declaration_id"]]
        assert {(f["code"], f["rule_id"]) for f in mine} == expected
        severities = {f["severity"] for f in mine}
        from_findings = (
            "refuse" if "refuse" in severities else "review" if "review" in severities else "clear"
        )
        assert verdict(items) == from_findings
