"""The real screening core behind single submissions and bulk uploads."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi.testclient import TestClient

from tests.service.conftest import Account, AccountFactory


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "vin": "LSVAU2180N2123456",
        "origin": "CN",
        "destination": "KZ",
        "declaration_date": "2025-06-01",
        "declared_condition": "used",
        "declared_odometer_km": 15,
    }
    data.update(changes)
    return data


def test_single_submission_is_decided_with_findings_and_evidence(
    client: TestClient, exporter: Account
) -> None:
    response = client.post("/api/v1/declarations", json=body(), headers=exporter.headers)
    assert response.status_code == 201, response.text
    out = response.json()
    assert out["status"] == "decided"
    assert out["verdict"] in ("clear", "review", "refuse")
    decision = out["decision"]
    assert decision["declaration_id"] == out["declaration_id"]
    assert decision["exporter_id"] == "EXP-1"
    # this VIN's check digit is wrong: the core says so, with its evidence
    assert "VIN_CHECK_DIGIT" in decision["findings"].split(";")
    evidence = json.loads(decision["evidence"])
    assert evidence["findings"]["VIN_CHECK_DIGIT"]["found"] == "0"


def test_unlicensed_exporter_is_screened_against_an_empty_registry_row(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    client.post(
        "/api/v1/exporters",
        json={"exporter_id": "EXP-9", "name": "Nine", "country": "CN", "applied_on": "2025-01-01"},
        headers=regulator.headers,
    )
    applicant = make_account("exporter", exporter_id="EXP-9")
    response = client.post("/api/v1/declarations", json=body(), headers=applicant.headers)
    assert response.status_code == 201, response.text
    decision = response.json()["decision"]
    assert response.json()["status"] == "decided"
    assert decision["exporter_id"] == "EXP-9"


def test_bulk_upload_is_screened(client: TestClient, exporter: Account) -> None:
    header = "declaration_id,vin,origin,destination,declaration_date,declared_condition"
    rows = [f"B{n},LSVAU2180N21234{n:02d},CN,KZ,2025-06-0{1 + n % 5},used" for n in range(12)]
    response = client.post(
        "/api/v1/declarations/bulk",
        files={"file": ("b.csv", ("\n".join([header, *rows]) + "\n").encode(), "text/csv")},
        headers=exporter.headers,
    )
    job_id = response.json()["job_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=exporter.headers).json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert (job["status"], job["accepted_rows"]) == ("done", 12), job
    listed = client.get(
        "/api/v1/declarations", params={"limit": 50}, headers=exporter.headers
    ).json()["items"]
    assert len(listed) == 12
    assert {d["status"] for d in listed} == {"decided"}
