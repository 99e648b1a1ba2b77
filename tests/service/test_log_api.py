"""The transparency log served read-only: checkpoint, tiles, proof bundles."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import Account, AccountFactory
from tests.service.helpers import declaration_body, license_exporter
from zeromile.service.app import create_app
from zeromile.service.context import ServiceContext
from zeromile.service.settings import Settings
from zeromile.tlog.proofs import ProofBundle
from zeromile.tlog.publish import append_decisions, init_log
from zeromile.tlog.reader import LogReader


def decision(did: str) -> dict[str, object]:
    return {
        "declaration_id": did,
        "vin": "LSVAU2180N2183294",
        "exporter_id": "EXP-1",
        "origin": "CN",
        "destination": "RU",
        "declaration_date": "2025-08-09",
        "verdict": "refuse",
        "findings": "ZERO_MILEAGE",
        "zero_mileage": True,
        "rulebook_version": "2025.11",
    }


@pytest.fixture
def log_client(settings: Settings, context: ServiceContext, tmp_path: Path) -> Iterator[TestClient]:
    log = tmp_path / "log"
    init_log(log, "test.zeromile.example/log")
    append_decisions(log, [decision(f"D{n}") for n in range(3)])
    configured = settings.model_copy(update={"log_dir": log})
    context.settings = configured
    with TestClient(create_app(configured, context=context)) as client:
        yield client


def test_checkpoint_and_proof_are_public_and_match_the_log(
    log_client: TestClient, tmp_path: Path
) -> None:
    reader = LogReader(tmp_path / "log")
    checkpoint = log_client.get("/api/v1/log/checkpoint")
    assert checkpoint.status_code == 200
    assert checkpoint.text == reader.checkpoint_text()
    bundle = log_client.get("/api/v1/log/proofs/2").json()
    parsed = ProofBundle.from_json(bundle)
    assert (parsed.index, parsed.tree_size) == (2, 3)
    assert parsed.entry == reader.entry(2, 3)
    assert log_client.get("/api/v1/log/proofs/3").status_code == 404


def test_tiles_are_served_and_paths_are_checked(log_client: TestClient, tmp_path: Path) -> None:
    served = sorted(
        str(p.relative_to(tmp_path / "log" / "tile"))
        for p in (tmp_path / "log" / "tile").rglob("*")
        if p.is_file()
    )
    assert served
    first = log_client.get(f"/api/v1/log/tile/{served[0]}")
    assert first.status_code == 200
    assert first.content == (tmp_path / "log" / "tile" / served[0]).read_bytes()
    assert log_client.get("/api/v1/log/tile/..%2Fcheckpoint").status_code == 404
    assert log_client.get("/api/v1/log/tile/0/..%2F..%2Fetc").status_code == 404


def test_no_log_configured_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/log/checkpoint")
    assert response.status_code == 404
    assert "ZEROMILE_LOG_DIR" in response.json()["detail"]


def test_vehicle_timeline_carries_the_log_proof(
    log_client: TestClient, make_account: AccountFactory, regulator: Account
) -> None:
    license_exporter(log_client, regulator.headers, "EXP-1")
    exporter = make_account("exporter", exporter_id="EXP-1")
    response = log_client.post(
        "/api/v1/declarations",
        json=declaration_body("D1", "LSVAU2180N2183294"),
        headers=exporter.headers,
    )
    assert response.status_code == 201, response.text
    timeline = log_client.get(
        "/api/v1/vehicles/LSVAU2180N2183294", headers=regulator.headers
    ).json()
    assert [(p["declaration_id"], p["index"]) for p in timeline["log_proofs"]] == [("D1", 1)]


def test_decisions_are_appended_when_this_server_operates_the_log(
    log_client: TestClient,
    context: ServiceContext,
    make_account: AccountFactory,
    regulator: Account,
    tmp_path: Path,
) -> None:
    context.settings = context.settings.model_copy(update={"log_append": True})
    license_exporter(log_client, regulator.headers, "EXP-1")
    exporter = make_account("exporter", exporter_id="EXP-1")
    single = log_client.post(
        "/api/v1/declarations",
        json={
            "declaration_id": "S1",
            "vin": "LSVAU2180N2183294",
            "origin": "CN",
            "destination": "RU",
            "declaration_date": "2025-08-09",
            "declared_condition": "used",
        },
        headers=exporter.headers,
    )
    assert single.status_code == 201
    csv = (
        "declaration_id,vin,origin,destination,declaration_date,declared_condition\n"
        "B1,LSVAU2180N2183295,CN,KZ,2025-08-10,used\n"
        "B2,LSVAU2180N2183296,CN,KZ,2025-08-11,used\n"
    )
    job = log_client.post(
        "/api/v1/declarations/bulk",
        files={"file": ("b.csv", csv.encode(), "text/csv")},
        headers=exporter.headers,
    ).json()
    for _ in range(600):
        state = log_client.get(f"/api/v1/jobs/{job['job_id']}", headers=exporter.headers).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert state["accepted_rows"] == 2
    context.log_drainer.drain()
    reader = LogReader(tmp_path / "log")
    assert reader.checkpoint().size == 3 + 3
    logged = log_client.get("/api/v1/vehicles/LSVAU2180N2183295", headers=regulator.headers).json()
    assert [p["declaration_id"] for p in logged["log_proofs"]] == ["B1"]
