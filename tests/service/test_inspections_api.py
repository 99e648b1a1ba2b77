"""Inspection bodies, accreditation and immutable, supersedable reports."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.service.conftest import Account, AccountFactory
from tests.service.helpers import accredited_body, report_body, worksheet
from zeromile.service.context import ServiceContext
from zeromile.service.models import InspectionReport


def _inspector(client: TestClient, regulator: Account, make_account: AccountFactory) -> Account:
    accredited_body(client, regulator.headers)
    return make_account("inspector", body_id="IB-1")


def test_inspector_files_a_report(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    response = client.post(
        "/api/v1/inspection-reports", json=report_body(), headers=inspector.headers
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["body_id"] == "IB-1"
    assert report["inspector_user_id"] == inspector.user_id
    fetched = client.get(
        f"/api/v1/inspection-reports/{report['report_id']}", headers=regulator.headers
    )
    assert (
        fetched.json()["worksheet"]["sections"]["accident"]["no_flood_traces"]["result"] == "pass"
    )


def test_unaccredited_standard_is_refused(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    response = client.post(
        "/api/v1/inspection-reports",
        json=report_body(standard="WM/T 9-2022"),
        headers=inspector.headers,
    )
    assert response.status_code == 403
    assert "not accredited for WM/T 9-2022" in response.json()["detail"]


def test_accreditation_validity_is_checked_on_the_inspection_date(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    response = client.post(
        "/api/v1/inspection-reports",
        json=report_body(inspection_date="2023-12-31"),
        headers=inspector.headers,
    )
    assert response.status_code == 403


def test_missing_items_are_named(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    sheet = worksheet()
    del sheet["sections"]["accident"]["no_fire_traces"]
    sheet["sections"]["exterior"]["paint_shine"] = {"result": "pass", "note": ""}
    response = client.post(
        "/api/v1/inspection-reports", json=report_body(worksheet=sheet), headers=inspector.headers
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields["worksheet.sections.accident.no_fire_traces"] == "missing"
    assert fields["worksheet.sections.exterior.paint_shine"].startswith("unknown")


def test_ev_needs_battery_health(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    sheet = worksheet(ev=True)
    sheet["battery_state_of_health_pct"] = None
    response = client.post(
        "/api/v1/inspection-reports", json=report_body(worksheet=sheet), headers=inspector.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "worksheet.battery_state_of_health_pct"


def test_pass_with_a_failed_item_is_refused(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    response = client.post(
        "/api/v1/inspection-reports",
        json=report_body(worksheet=worksheet(failing="no_flood_traces")),
        headers=inspector.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "overall_result"


def test_correction_supersedes_once_and_original_stays(
    client: TestClient, context: ServiceContext, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    original = client.post(
        "/api/v1/inspection-reports", json=report_body(), headers=inspector.headers
    ).json()
    correction = client.post(
        "/api/v1/inspection-reports",
        json=report_body(odometer_km=15, supersedes=original["report_id"]),
        headers=inspector.headers,
    )
    assert correction.status_code == 201
    again = client.post(
        "/api/v1/inspection-reports",
        json=report_body(odometer_km=16, supersedes=original["report_id"]),
        headers=inspector.headers,
    )
    assert again.status_code == 409
    old = client.get(
        f"/api/v1/inspection-reports/{original['report_id']}", headers=inspector.headers
    ).json()
    assert old["odometer_km"] == 12
    assert old["superseded_by"] == correction.json()["report_id"]
    with context.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InspectionReport)) == 2


def test_reports_have_no_update_or_delete(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    report = client.post(
        "/api/v1/inspection-reports", json=report_body(), headers=inspector.headers
    ).json()
    url = f"/api/v1/inspection-reports/{report['report_id']}"
    assert client.put(url, json=report_body(), headers=inspector.headers).status_code == 405
    assert client.delete(url, headers=inspector.headers).status_code == 405


def test_inspector_sees_only_own_body(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    inspector = _inspector(client, regulator, make_account)
    accredited_body(client, regulator.headers, "IB-2")
    other = make_account("inspector", body_id="IB-2")
    report = client.post(
        "/api/v1/inspection-reports", json=report_body(), headers=inspector.headers
    ).json()
    assert (
        client.get(
            f"/api/v1/inspection-reports/{report['report_id']}", headers=other.headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/inspection-reports", headers=other.headers).json()["items"] == []
    bodies = client.get("/api/v1/inspection-bodies", headers=other.headers).json()["items"]
    assert [b["body_id"] for b in bodies] == ["IB-2"]


def test_unknown_standard_is_422(client: TestClient, regulator: Account) -> None:
    client.post(
        "/api/v1/inspection-bodies",
        json={"body_id": "IB-9", "name": "Nine", "country": "CN"},
        headers=regulator.headers,
    )
    response = client.post(
        "/api/v1/inspection-bodies/IB-9/accreditations",
        json={"standard": "ISO 9001", "valid_from": "2024-01-01"},
        headers=regulator.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "standard"
