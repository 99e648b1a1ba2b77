"""The screening with its standard extensions: rulebook and duties."""

from __future__ import annotations

import json

import pytest

from tests.builders import TOYOTA_VIN, declaration, vehicle, write_dossier
from zeromile.rules import Rulebook
from zeromile.rules.compile import static_evidence
from zeromile.screening import Extension, screen_dossier


@pytest.mark.parametrize(("arrival", "amount"), [("2025-09-15", 8250.0), ("2025-09-16", 4500.0)])
def test_japanese_car_entering_the_us_pays_the_rate_in_force_on_arrival(
    tmp_path, arrival, amount
) -> None:
    folder = write_dossier(
        tmp_path,
        declarations=[
            declaration(
                vin=TOYOTA_VIN,
                origin="JP",
                destination="US",
                declaration_date="2025-08-20",
                arrival_date=arrival,
                declared_value="30000",
                currency="USD",
                declared_odometer_km="42000",
            )
        ],
        vehicles=[
            vehicle(
                vin=TOYOTA_VIN,
                make="Toyota",
                model="Prius",
                model_year="2020",
                engine_cc="2500",
                built_in="JP",
            )
        ],
    )
    row = screen_dossier(folder).decisions.to_pylist()[0]
    # 2.5% MFN + 25% Section 232 before the US-Japan deal; 15% all-in from 2025-09-16.
    assert row["duty_amount"] == pytest.approx(amount)
    assert row["duty_currency"] == "USD"
    assert row["rulebook_version"].startswith("sha256:")
    assert row["schedules_version"]


def test_declared_hs_code_contradicting_the_engine_is_flagged(tmp_path) -> None:
    folder = write_dossier(
        tmp_path,
        declarations=[declaration(hs_code="8703.80")],  # electric only, but the car is petrol
        vehicles=[vehicle()],
    )
    row = screen_dossier(folder).decisions.to_pylist()[0]
    assert "HS_CODE_MISMATCH" in row["findings"].split(";")


def test_a_cited_finding_gets_its_citation_back_in_the_decision(tmp_path) -> None:
    folder = write_dossier(
        tmp_path, declarations=[declaration(declared_odometer_km="5")], vehicles=[vehicle()]
    )
    ext = Extension(
        name="test",
        version="1",
        findings=(
            "SELECT declaration_id, 'CODE_A' AS code, 'review' AS severity, 'R-A' AS rule_id, "
            '\', "values": {"x": 1}}\' AS evidence FROM features '
            "UNION ALL SELECT declaration_id, 'CODE_B', 'info', 'R-B', '{\"plain\": true}' "
            "FROM features",
        ),
        citations={"R-A": '{"rule_id": "R-A", "sources": ["https://example.org/a"]'},
    )
    row = screen_dossier(folder, extensions=[ext]).decisions.to_pylist()[0]
    findings = json.loads(row["evidence"])["findings"]
    assert findings["R-A"] == {
        "rule_id": "R-A",
        "sources": ["https://example.org/a"],
        "values": {"x": 1},
    }
    assert findings["R-B"] == {"plain": True}  # not cited: as the extension wrote it
    assert row["findings"] == "CODE_A;CODE_B"


def test_rule_findings_in_decisions_carry_the_rules_citation(tmp_path) -> None:
    folder = write_dossier(
        tmp_path,
        declarations=[declaration(origin="KG", destination="RU", declared_odometer_km="900")],
        vehicles=[vehicle()],
    )
    row = screen_dossier(folder).decisions.to_pylist()[0]
    book = Rulebook.load()
    findings = json.loads(row["evidence"])["findings"]
    cited = {rule_id: ev for rule_id, ev in findings.items() if rule_id in book.citations()}
    assert cited
    for rule_id, evidence in cited.items():
        assert evidence | static_evidence(book.get(rule_id)) == evidence
        assert "key_date" in evidence["values"]
