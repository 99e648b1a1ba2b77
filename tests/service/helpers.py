"""Builders of valid request bodies shared by the service tests."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from zeromile.inspection import OUTLINE, Section


def apply_exporter(
    client: httpx.Client, headers: dict[str, str], exporter_id: str = "EXP-1"
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/exporters",
        json={
            "exporter_id": exporter_id,
            "name": f"{exporter_id} Trading",
            "country": "CN",
            "region": "Guangdong",
            "applied_on": "2024-02-01",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def license_exporter(
    client: httpx.Client, headers: dict[str, str], exporter_id: str = "EXP-1"
) -> dict[str, Any]:
    apply_exporter(client, headers, exporter_id)
    response = client.post(
        f"/api/v1/exporters/{exporter_id}/events",
        json={
            "kind": "approve",
            "effective_date": "2024-03-01",
            "reason": "conditions met",
            "licence_no": f"L-{exporter_id}",
            "licensed_from": "2024-03-01",
            "licensed_to": "2027-02-28",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def accredited_body(
    client: TestClient, headers: dict[str, str], body_id: str = "IB-1"
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/inspection-bodies",
        json={"body_id": body_id, "name": f"{body_id} Inspection", "country": "CN"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    response = client.post(
        f"/api/v1/inspection-bodies/{body_id}/accreditations",
        json={"standard": "WM/T 8-2022", "valid_from": "2024-01-01", "valid_to": "2027-12-31"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def worksheet(*, failing: str | None = None, ev: bool = False) -> dict[str, Any]:
    sections = [s for s in OUTLINE if s not in (Section.PERIODIC_SAFETY, Section.TRACTION_BATTERY)]
    if ev:
        sections.append(Section.TRACTION_BATTERY)
    return {
        "periodic_inspection_lapsed": False,
        "traction_battery": ev,
        "battery_state_of_health_pct": 97.5 if ev else None,
        "sections": {
            s.value: {
                code: {"result": "fail" if code == failing else "pass", "note": ""}
                for code in OUTLINE[s]
            }
            for s in sections
        },
    }


def report_body(vin: str = "LSVAU2180N2123456", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "vin": vin,
        "standard": "WM/T 8-2022",
        "inspection_date": "2025-05-01",
        "odometer_km": 12,
        "overall_result": "pass",
        "worksheet": worksheet(),
    }
    body.update(changes)
    return body


def declaration_body(declaration_id: str, vin: str, **changes: Any) -> dict[str, Any]:
    """A used car declared from China to Russia, as a single submission's JSON."""
    return {
        "declaration_id": declaration_id,
        "vin": vin,
        "origin": "CN",
        "destination": "RU",
        "declaration_date": "2025-08-09",
        "declared_condition": "used",
        **changes,
    }
