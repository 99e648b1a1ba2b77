"""The exporter registry over HTTP: dated events, negative list, registry as of a date."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.service.conftest import Account, AccountFactory
from tests.service.helpers import apply_exporter, license_exporter
from zeromile.service.context import ServiceContext
from zeromile.service.models import AuditEvent, ExporterEvent


def test_apply_then_approve_records_dated_events(
    client: TestClient, context: ServiceContext, regulator: Account
) -> None:
    exporter = license_exporter(client, regulator.headers)
    assert exporter["status"] == "licensed"
    assert exporter["licence_no"] == "L-EXP-1"
    events = client.get("/api/v1/exporters/EXP-1/events", headers=regulator.headers).json()
    assert [(e["kind"], e["effective_date"]) for e in events] == [
        ("apply", "2024-02-01"),
        ("approve", "2024-03-01"),
    ]
    assert {e["actor_user_id"] for e in events} == {regulator.user_id}


def test_registry_as_of_a_date(client: TestClient, regulator: Account) -> None:
    license_exporter(client, regulator.headers)
    suspend = client.post(
        "/api/v1/exporters/EXP-1/events",
        json={"kind": "suspend", "effective_date": "2025-01-10", "reason": "audit finding"},
        headers=regulator.headers,
    )
    assert suspend.status_code == 201
    assert suspend.json()["status"] == "suspended"

    def status_on(day: str) -> str:
        rows = client.get(
            "/api/v1/exporters/registry", params={"as_of": day}, headers=regulator.headers
        ).json()
        return str(rows[0]["status"])

    assert status_on("2024-02-15") == "applied"
    assert status_on("2024-12-31") == "licensed"
    assert status_on("2025-01-10") == "suspended"


def test_illegal_transition_is_409_and_writes_nothing(
    client: TestClient, context: ServiceContext, regulator: Account
) -> None:
    apply_exporter(client, regulator.headers)
    response = client.post(
        "/api/v1/exporters/EXP-1/events",
        json={"kind": "reinstate", "effective_date": "2024-03-01", "reason": "x"},
        headers=regulator.headers,
    )
    assert response.status_code == 409
    assert "status on 2024-03-01 is 'applied'" in response.json()["detail"]
    with context.sessions() as session:
        kinds = session.scalars(select(ExporterEvent.kind)).all()
    assert kinds == ["apply"]


def test_negative_list_exit_rule_suspends(
    client: TestClient, context: ServiceContext, regulator: Account
) -> None:
    license_exporter(client, regulator.headers)
    threshold = context.settings.negative_list_threshold
    results = []
    for month in range(1, threshold + 1):
        response = client.post(
            "/api/v1/exporters/EXP-1/negative-list",
            json={
                "entry_date": f"2025-{month:02d}-15",
                "conduct": "document_mismatch",
                "description": "registration certificate differs from licence application",
            },
            headers=regulator.headers,
        )
        assert response.status_code == 201, response.text
        results.append(response.json())
    assert [r["suspended"] for r in results] == [False] * (threshold - 1) + [True]
    assert results[-1]["exporter"]["status"] == "suspended"
    events = client.get("/api/v1/exporters/EXP-1/events", headers=regulator.headers).json()
    assert events[-1]["kind"] == "suspend"
    assert events[-1]["reason"].startswith(f"negative list: {threshold} entries within")


def test_negative_entries_outside_the_window_do_not_suspend(
    client: TestClient, context: ServiceContext, regulator: Account
) -> None:
    license_exporter(client, regulator.headers)
    threshold = context.settings.negative_list_threshold
    for year in range(threshold):
        response = client.post(
            "/api/v1/exporters/EXP-1/negative-list",
            json={
                "entry_date": f"{2024 + year}-06-01",
                "conduct": "other",
                "description": "late deregistration",
            },
            headers=regulator.headers,
        )
        assert response.json()["suspended"] is False


def test_exporter_sees_only_itself(
    client: TestClient, regulator: Account, make_account: AccountFactory
) -> None:
    license_exporter(client, regulator.headers, "EXP-1")
    license_exporter(client, regulator.headers, "EXP-2")
    mine = make_account("exporter", exporter_id="EXP-1")
    listed = client.get("/api/v1/exporters", headers=mine.headers).json()
    assert [e["exporter_id"] for e in listed["items"]] == ["EXP-1"]
    assert client.get("/api/v1/exporters/EXP-2", headers=mine.headers).status_code == 404


def test_list_pages_with_cursors(client: TestClient, regulator: Account) -> None:
    for n in range(5):
        apply_exporter(client, regulator.headers, f"EXP-{n}")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/exporters", params=params, headers=regulator.headers).json()
        seen += [e["exporter_id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"EXP-{n}" for n in range(5)]


def test_bad_cursor_is_422_naming_the_parameter(client: TestClient, regulator: Account) -> None:
    response = client.get("/api/v1/exporters", params={"cursor": "!!!"}, headers=regulator.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_every_registry_change_is_audited_with_before_and_after(
    client: TestClient, context: ServiceContext, regulator: Account
) -> None:
    license_exporter(client, regulator.headers)
    with context.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "exporter").order_by(AuditEvent.audit_id)
        ).all()
    assert [e.action for e in events] == ["exporter.create", "exporter.apply", "exporter.approve"]
    approve = events[-1]
    assert approve.actor_user_id == regulator.user_id
    assert approve.before is not None and approve.before["status"] == "applied"
    assert approve.after is not None and approve.after["status"] == "licensed"
    assert approve.after["licensed_to"] == "2027-02-28"
