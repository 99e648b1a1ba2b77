"""Bulk uploads: background jobs, per-row rejects, strict mode, idempotency, evidence."""

from __future__ import annotations

import io
import time
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.service.conftest import Account, AccountFactory
from tests.service.helpers import license_exporter
from zeromile.service.context import ServiceContext
from zeromile.service.models import Declaration, EvidenceRecord

HEADER = "declaration_id,vin,origin,destination,declaration_date,declared_odometer_km,documents,declared_condition"
GOOD = [
    "D1,LSVAU2180N2123456,CN,KZ,2025-06-01,12,export_licence;service_letter,used",
    "D2,LSVAU2180N2123457,CN,RU,2025-06-02,,,used",
    "D3,LSVAU2180N2123458,CN,KG,2025-06-03,40000,,used",
]
BAD = "D4,LSVAU2180N2123459,China,KZ,2025-13-01,12,,used"


#: Uploads are tested for storage and rejects, without the screening core.
pytestmark = pytest.mark.usefixtures("no_core")


def wait(client: TestClient, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def upload(client: TestClient, headers: dict[str, str], text: str, **params: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/declarations/bulk",
        files={"file": ("decl.csv", text.encode(), "text/csv")},
        params=params,
        headers=headers,
    )
    assert response.status_code in (200, 202), response.text
    return dict(response.json())


def stored(context: ServiceContext) -> list[str]:
    with context.sessions() as session:
        return sorted(session.scalars(select(Declaration.declaration_id)))


def test_good_rows_are_recorded_and_bad_rows_reported_by_line(
    client: TestClient, context: ServiceContext, exporter: Account
) -> None:
    job = upload(client, exporter.headers, "\n".join([HEADER, *GOOD, BAD]) + "\n")
    done = wait(client, job["job_id"], exporter.headers)
    assert (done["status"], done["total_rows"], done["accepted_rows"], done["rejected_rows"]) == (
        "done",
        4,
        3,
        1,
    )
    assert stored(context) == ["D1", "D2", "D3"]
    result = client.get(f"/api/v1/jobs/{job['job_id']}/result", headers=exporter.headers).json()
    rejects = {(r["line"], r["field"]) for r in result["rejects"]}
    assert rejects == {(5, "origin"), (5, "declaration_date")}
    assert {r["file"] for r in result["rejects"]} == {"decl.csv"}
    with context.sessions() as session:
        documents = session.get(Declaration, "D1").documents  # type: ignore[union-attr]
    assert documents == ["export_licence", "service_letter"]


def test_strict_upload_with_a_bad_row_records_nothing(
    client: TestClient, context: ServiceContext, exporter: Account
) -> None:
    job = upload(client, exporter.headers, "\n".join([HEADER, *GOOD, BAD]), strict=True)
    done = wait(client, job["job_id"], exporter.headers)
    assert done["status"] == "failed"
    assert done["accepted_rows"] == 0
    assert "nothing was recorded" in done["error"]
    assert stored(context) == []


def test_repeated_idempotency_key_returns_the_same_job(
    client: TestClient, context: ServiceContext, exporter: Account
) -> None:
    headers = {**exporter.headers, "Idempotency-Key": "upload-1"}
    first = upload(client, headers, "\n".join([HEADER, *GOOD]))
    wait(client, first["job_id"], exporter.headers)
    second = upload(client, headers, "\n".join([HEADER, *GOOD]))
    assert second["job_id"] == first["job_id"]
    assert stored(context) == ["D1", "D2", "D3"]


def test_parquet_upload_counts_lines_from_one(
    client: TestClient, context: ServiceContext, exporter: Account
) -> None:
    table = pa.table(
        {
            "declaration_id": ["P1", "P2"],
            "vin": ["LSVAU2180N2123456", "bad vin!"],
            "origin": ["CN", "CN"],
            "destination": ["KZ", "KZ"],
            "declaration_date": ["2025-06-01", "2025-06-01"],
            "declared_condition": ["used", "used"],
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink)
    response = client.post(
        "/api/v1/declarations/bulk",
        files={"file": ("d.parquet", sink.getvalue(), "application/octet-stream")},
        headers=exporter.headers,
    )
    done = wait(client, response.json()["job_id"], exporter.headers)
    assert done["accepted_rows"] == 1
    result = client.get(f"/api/v1/jobs/{done['job_id']}/result", headers=exporter.headers).json()
    assert [(r["line"], r["field"]) for r in result["rejects"]] == [(2, "vin")]


def test_unreadable_file_is_422_and_creates_no_job(client: TestClient, exporter: Account) -> None:
    response = client.post(
        "/api/v1/declarations/bulk",
        files={"file": ("d.xlsx", b"PK\x03\x04", "application/octet-stream")},
        headers=exporter.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_jobs_are_private_to_their_owner(
    client: TestClient, regulator: Account, exporter: Account, make_account: AccountFactory
) -> None:
    license_exporter(client, regulator.headers, "EXP-2")
    other = make_account("exporter", exporter_id="EXP-2")
    job = upload(client, exporter.headers, "\n".join([HEADER, *GOOD]))
    wait(client, job["job_id"], exporter.headers)
    assert client.get(f"/api/v1/jobs/{job['job_id']}", headers=other.headers).status_code == 404
    assert client.get(f"/api/v1/jobs/{job['job_id']}", headers=regulator.headers).status_code == 200


def test_evidence_feed_then_vehicle_timeline(
    client: TestClient, context: ServiceContext, regulator: Account, exporter: Account
) -> None:
    feed = (
        "vin,date,odometer_km,source\n"
        "LSVAU2180N2123456,2025-05-20,8,dealer\n"
        "not a vin,2025-05-21,9,x\n"
    )
    response = client.post(
        "/api/v1/evidence/odometer/bulk",
        files={"file": ("odo.csv", feed.encode(), "text/csv")},
        headers=regulator.headers,
    )
    assert response.status_code == 202
    done = wait(client, response.json()["job_id"], regulator.headers)
    assert (done["accepted_rows"], done["rejected_rows"]) == (1, 1)
    with context.sessions() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceRecord)) == 1
    job = upload(client, exporter.headers, "\n".join([HEADER, GOOD[0]]))
    wait(client, job["job_id"], exporter.headers)
    timeline = client.get("/api/v1/vehicles/LSVAU2180N2123456", headers=regulator.headers).json()
    assert [(e["date"], e["kind"]) for e in timeline["events"]] == [
        ("2025-05-20", "odometer"),
        ("2025-06-01", "declaration"),
    ]
    assert timeline["events"][0]["data"]["odometer_km"] == "8"
    assert timeline["declarations"][0]["declaration_id"] == "D1"


def test_stats_are_public_aggregates(client: TestClient, exporter: Account) -> None:
    job = upload(client, exporter.headers, "\n".join([HEADER, *GOOD]))
    wait(client, job["job_id"], exporter.headers)
    stats = client.get("/api/v1/stats").json()
    assert {(r["destination"], r["verdict"], r["declarations"]) for r in stats["rows"]} == {
        ("KZ", "pending", 1),
        ("RU", "pending", 1),
        ("KG", "pending", 1),
    }
    assert "vin" not in str(stats)


def test_rulebook_is_public_and_filtered_by_date(client: TestClient) -> None:
    everything = client.get("/api/v1/rules").json()
    assert everything["version"].startswith("sha256:")
    on_day = client.get("/api/v1/rules", params={"on": "2020-01-01"}).json()
    assert len(on_day["rules"]) < len(everything["rules"])
    for rule in on_day["rules"]:
        assert rule["provenance"]["effective_from"] <= "2020-01-01"
    one = everything["rules"][0]
    assert client.get(f"/api/v1/rules/{one['id']}").json() == one
    missing = client.get("/api/v1/rules/XX-NOPE")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
