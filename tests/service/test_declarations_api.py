"""Declarations: submission, idempotency, scoping, concurrency, the screening hand-off."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.service.conftest import Account, AccountFactory
from tests.service.helpers import license_exporter
from zeromile.service import screening_adapter
from zeromile.service.context import ServiceContext
from zeromile.service.declaration_schema import DeclarationIn
from zeromile.service.declarations import submit
from zeromile.service.models import AuditEvent, Declaration
from zeromile.service.policy import Principal, Role
from zeromile.service.screening_adapter import ScreenOutcome


def declaration(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "vin": "LSVAU2180N2123456",
        "origin": "CN",
        "destination": "KZ",
        "declaration_date": "2025-06-01",
        "declared_condition": "used",
        "declared_odometer_km": 15,
        "declared_value": 21000.0,
        "currency": "USD",
        "documents": ["export_licence"],
        "vehicle": {"make": "Zeekr", "model": "001", "fuel": "bev", "built_in": "CN"},
    }
    body.update(changes)
    return body


def count(context: ServiceContext) -> int:
    with context.sessions() as session:
        return session.scalar(select(func.count()).select_from(Declaration)) or 0


@pytest.mark.usefixtures("no_core")
def test_submission_is_stored_for_the_callers_exporter(
    client: TestClient, context: ServiceContext, exporter: Account
) -> None:
    response = client.post("/api/v1/declarations", json=declaration(), headers=exporter.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["exporter_id"] == "EXP-1"
    assert body["status"] == "pending"
    assert body["vehicle"]["make"] == "Zeekr"
    fetched = client.get(f"/api/v1/declarations/{body['declaration_id']}", headers=exporter.headers)
    assert fetched.json() == body
    with context.sessions() as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == body["declaration_id"])
        ).one()
    assert audit.actor_user_id == exporter.user_id


@pytest.mark.usefixtures("no_core")
def test_idempotent_replay_returns_the_stored_declaration(
    client: TestClient, context: ServiceContext, exporter: Account
) -> None:
    headers = {**exporter.headers, "Idempotency-Key": "batch-7/row-1"}
    first = client.post("/api/v1/declarations", json=declaration(), headers=headers)
    again = client.post("/api/v1/declarations", json=declaration(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["declaration_id"] == first.json()["declaration_id"]
    different = client.post(
        "/api/v1/declarations", json=declaration(declared_odometer_km=99), headers=headers
    )
    assert different.status_code == 409
    assert count(context) == 1


@pytest.mark.usefixtures("no_core")
def test_exporters_see_and_submit_only_their_own(
    client: TestClient, regulator: Account, exporter: Account, make_account: AccountFactory
) -> None:
    license_exporter(client, regulator.headers, "EXP-2")
    other = make_account("exporter", exporter_id="EXP-2")
    mine = client.post("/api/v1/declarations", json=declaration(), headers=exporter.headers)
    declaration_id = mine.json()["declaration_id"]
    assert (
        client.get(f"/api/v1/declarations/{declaration_id}", headers=other.headers).status_code
        == 404
    )
    assert client.get("/api/v1/declarations", headers=other.headers).json()["items"] == []
    forged = client.post(
        "/api/v1/declarations", json=declaration(exporter_id="EXP-1"), headers=other.headers
    )
    assert forged.status_code == 403
    listed = client.get("/api/v1/declarations", headers=regulator.headers).json()["items"]
    assert [d["declaration_id"] for d in listed] == [declaration_id]


@pytest.mark.usefixtures("no_core")
def test_duplicate_declaration_id_is_409(client: TestClient, exporter: Account) -> None:
    body = declaration(declaration_id="DECL-1")
    assert (
        client.post("/api/v1/declarations", json=body, headers=exporter.headers).status_code == 201
    )
    assert (
        client.post("/api/v1/declarations", json=body, headers=exporter.headers).status_code == 409
    )


@pytest.mark.usefixtures("no_core")
def test_unknown_field_is_named(client: TestClient, exporter: Account) -> None:
    response = client.post(
        "/api/v1/declarations", json=declaration(colour="red"), headers=exporter.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


@pytest.mark.usefixtures("no_core")
def test_concurrent_submissions_of_one_vin_by_two_exporters(
    client: TestClient, context: ServiceContext, regulator: Account, exporter: Account
) -> None:
    license_exporter(client, regulator.headers, "EXP-2")
    callers = [
        Principal(user_id=None, name=f"e{n}", role=Role.EXPORTER, exporter_id=f"EXP-{n}")
        for n in (1, 2)
    ]
    errors: list[BaseException] = []
    per_exporter = 8

    def work(principal: Principal) -> None:
        try:
            for n in range(per_exporter):
                submit(
                    context.sessions,
                    principal=principal,
                    body=DeclarationIn.model_validate(declaration()),
                    idempotency_key=f"k{n}",
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(p,)) for p in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with context.sessions() as session:
        rows = session.execute(
            select(Declaration.exporter_id, func.count()).group_by(Declaration.exporter_id)
        ).all()
    assert sorted(rows) == [("EXP-1", per_exporter), ("EXP-2", per_exporter)]


def test_screening_receives_dossier_tables_and_its_decision_is_stored(
    client: TestClient, exporter: Account, regulator: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake_screen(tables: dict[str, list[dict[str, Any]]]) -> ScreenOutcome:
        seen.update(tables)
        row = tables["declarations"][0]
        decision = {"declaration_id": row["declaration_id"], "verdict": "refuse", "findings": "X"}
        return ScreenOutcome({row["declaration_id"]: decision})

    monkeypatch.setattr(screening_adapter, "screen", fake_screen)
    client.post(
        "/api/v1/exporters/EXP-1/events",
        json={"kind": "suspend", "effective_date": "2025-07-01", "reason": "audit"},
        headers=regulator.headers,
    )
    response = client.post("/api/v1/declarations", json=declaration(), headers=exporter.headers)
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["verdict"]) == ("decided", "refuse")
    assert response.json()["decision"]["findings"] == "X"
    # the registry is read as of the declaration's date (2025-06-01), before the suspension
    # in the dossier contract's words: a licensed exporter is "active"
    assert seen["exporters"][0]["status"] == "active"
    assert seen["exporters"][0]["licence_no"] == "L-EXP-1"
    assert seen["vehicles"][0]["vin"] == "LSVAU2180N2123456"
    assert seen["vehicles"][0]["make"] == "Zeekr"
    assert seen["declarations"][0]["exporter_id"] == "EXP-1"
    assert seen["declarations"][0]["documents"] == "export_licence"
    assert "origin_region" not in seen["declarations"][0]


def test_screening_rejects_are_422_and_store_nothing(
    client: TestClient, context: ServiceContext, exporter: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    reject = {
        "table": "declarations",
        "file": "<request>",
        "line": 1,
        "field": "vin",
        "value": "LSVAU2180N2123456",
        "message": "check digit is 0, expected 8",
    }
    monkeypatch.setattr(screening_adapter, "screen", lambda tables: ScreenOutcome({}, [reject]))
    response = client.post("/api/v1/declarations", json=declaration(), headers=exporter.headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "vin", "message": "check digit is 0, expected 8"}
    ]
    assert count(context) == 0


def test_api_enumerations_match_the_dossier_contract() -> None:
    from typing import get_args

    from zeromile.dossier import contract
    from zeromile.service import declaration_schema as schema

    assert get_args(schema.Fuel) == contract.FUELS
    assert get_args(schema.Body) == contract.BODIES
    assert get_args(schema.Steering) == contract.STEERING
    assert get_args(schema.Damage) == contract.DAMAGE
    assert get_args(schema.Condition) == contract.CONDITIONS
    assert get_args(schema.ImporterKind) == contract.IMPORTER_KINDS
