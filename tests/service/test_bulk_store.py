"""The fast bulk store: same rows as the ORM would write, duplicates by line, whole chunks."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, text

from tests.service.conftest import Account
from tests.service.test_bulk_api import HEADER, stored, upload, wait
from zeromile.service import audit, jobs, store
from zeromile.service.context import ServiceContext
from zeromile.service.models import Declaration

VIN = "LSVAU2180N2123456"


def line(declaration_id: str, vin: str = VIN, odometer: str = "12") -> str:
    return f"{declaration_id},{vin},CN,KZ,2025-06-01,{odometer},export_licence;service_letter,used"


def rejects_of(client: TestClient, job_id: str, headers: dict[str, str]) -> set[tuple[Any, ...]]:
    result = client.get(f"/api/v1/jobs/{job_id}/result", headers=headers).json()
    return {(r["line"], r["field"], r["value"], r["message"]) for r in result["rejects"]}


def test_json_text_is_what_the_orm_json_column_stores() -> None:
    decision = {
        "verdict": "refuse",
        "on": dt.date(2025, 6, 1),
        "nested": [{"at": dt.date(2024, 1, 2)}],
    }
    assert store.json_text(decision) == json.dumps(audit.jsonable(decision))
    assert store.json_text(None) == "null"
    with pytest.raises(TypeError):
        store.json_text({"odd": object()})


def test_slices_cover_every_row_once() -> None:
    assert jobs.slice_bounds(0, 10) == []
    assert jobs.slice_bounds(5, 10) == [(0, 5)]
    assert jobs.slice_bounds(20, 10) == [(0, 10), (10, 20)]
    assert jobs.slice_bounds(21, 10) == [(0, 7), (7, 14), (14, 21)]


def test_fast_store_writes_the_same_columns_as_the_orm(
    context: ServiceContext, exporter: Account
) -> None:
    now = audit.utcnow()
    decision = {"verdict": "accept", "declaration_date": dt.date(2025, 6, 1), "score": 0.25}
    orm_row = {
        "declaration_id": "ORM",
        "exporter_id": "EXP-1",
        "vin": VIN,
        "origin": "CN",
        "origin_region": None,
        "destination": "KZ",
        "declaration_date": dt.date(2025, 6, 1),
        "arrival_date": None,
        "declared_condition": "used",
        "declared_odometer_km": 12,
        "declared_value": 1234.5,
        "currency": "USD",
        "hs_code": None,
        "importer_kind": None,
        "documents": ["export_licence", "é"],
        "vehicle": None,
        "idempotency_key": None,
        "request_hash": None,
        "submitted_by": exporter.user_id,
        "submitted_at": now,
        "job_id": "J1",
        "verdict": "accept",
        "decision": audit.jsonable(decision),
    }
    fast_row = {
        **orm_row,
        "declaration_id": "FAST",
        "documents": store.json_text(orm_row["documents"]),
        "vehicle": store.json_text(None),
        "decision": store.json_text(decision),
    }
    with context.tx() as session:
        session.execute(insert(Declaration), [orm_row])
        store.insert_declarations(session, [fast_row])
    columns = [c for c in store.DECLARATION_FIELDS if c != "declaration_id"]
    select_raw = text(
        f"SELECT declaration_id, {', '.join(f'CAST({c} AS TEXT)' for c in columns)} "
        "FROM declarations ORDER BY declaration_id"
    )
    with context.sessions() as session:
        fast, orm = (tuple(r)[1:] for r in session.execute(select_raw))
    assert fast == orm
    with context.sessions() as session:
        read = {d.declaration_id: d for d in session.query(Declaration)}
    assert read["FAST"].decision == read["ORM"].decision == audit.jsonable(decision)
    assert read["FAST"].documents == ["export_licence", "é"]


@pytest.mark.usefixtures("no_core")
def test_duplicates_in_the_upload_and_already_stored_are_reported_by_line(
    client: TestClient, context: ServiceContext, exporter: Account
) -> None:
    first = upload(client, exporter.headers, "\n".join([HEADER, line("D1")]))
    wait(client, first["job_id"], exporter.headers)
    job = upload(client, exporter.headers, "\n".join([HEADER, line("D1"), line("D2"), line("D2")]))
    done = wait(client, job["job_id"], exporter.headers)
    assert (done["status"], done["accepted_rows"], done["rejected_rows"]) == ("done", 1, 2)
    assert rejects_of(client, job["job_id"], exporter.headers) == {
        (2, "declaration_id", "D1", "already exists"),
        (4, "declaration_id", "D2", "already exists (line 3 of this upload)"),
    }
    assert stored(context) == ["D1", "D2"]


@pytest.mark.usefixtures("no_core")
def test_an_id_stored_by_a_racing_job_is_rechecked_not_half_written(
    client: TestClient, context: ServiceContext, exporter: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = upload(client, exporter.headers, "\n".join([HEADER, line("D2")]))
    wait(client, first["job_id"], exporter.headers)
    real = store.existing_declaration_ids
    calls = []

    def blind_first_time(session: Any, ids: Any) -> set[str]:
        calls.append(list(ids))
        return set() if len(calls) == 1 else real(session, ids)

    monkeypatch.setattr(store, "existing_declaration_ids", blind_first_time)
    job = upload(client, exporter.headers, "\n".join([HEADER, line("D1"), line("D2"), line("D3")]))
    done = wait(client, job["job_id"], exporter.headers)
    assert (done["status"], done["accepted_rows"]) == ("done", 2)
    assert len(calls) == 2
    assert rejects_of(client, job["job_id"], exporter.headers) == {
        (3, "declaration_id", "D2", "already exists")
    }
    assert stored(context) == ["D1", "D2", "D3"]
    with context.sessions() as session:
        assert session.get(Declaration, "D2").job_id == first["job_id"]  # type: ignore[union-attr]


@pytest.mark.usefixtures("no_core")
def test_a_chunk_failing_midway_leaves_no_part_of_it(
    client: TestClient, context: ServiceContext, exporter: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 2)
    real = store.insert_declarations
    calls = []

    def fail_after_writing_second_chunk(session: Any, rows: Any) -> None:
        calls.append(len(rows))
        real(session, rows)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(store, "insert_declarations", fail_after_writing_second_chunk)
    body = [line(f"D{n}") for n in range(1, 6)]
    job = upload(client, exporter.headers, "\n".join([HEADER, *body]))
    done = wait(client, job["job_id"], exporter.headers)
    assert (done["status"], done["error"]) == ("failed", "internal error")
    assert stored(context) == ["D1", "D2"]


def test_bulk_rows_read_back_like_a_single_submission(
    client: TestClient, exporter: Account
) -> None:
    job = upload(client, exporter.headers, "\n".join([HEADER, line("BULK-1")]))
    assert wait(client, job["job_id"], exporter.headers)["accepted_rows"] == 1
    single = client.post(
        "/api/v1/declarations",
        json={
            "declaration_id": "ONE-1",
            "vin": VIN,
            "origin": "CN",
            "destination": "KZ",
            "declaration_date": "2025-06-01",
            "declared_odometer_km": 12,
            "documents": ["export_licence", "service_letter"],
            "declared_condition": "used",
        },
        headers=exporter.headers,
    )
    assert single.status_code == 201, single.text
    bulk_read = client.get("/api/v1/declarations/BULK-1", headers=exporter.headers).json()
    single_read = client.get("/api/v1/declarations/ONE-1", headers=exporter.headers).json()
    assert bulk_read["verdict"] is not None
    assert bulk_read["documents"] == ["export_licence", "service_letter"]
    for key in ("declaration_id", "submitted_at"):
        bulk_read.pop(key)
        single_read.pop(key)
    bulk_read["decision"].pop("declaration_id")
    single_read["decision"].pop("declaration_id")
    assert bulk_read == single_read


def test_evidence_feed_rows_land_and_count_in_later_screening(
    client: TestClient, context: ServiceContext, regulator: Account, exporter: Account
) -> None:
    def not_supplied(declaration_id: str) -> list[str]:
        job = upload(client, exporter.headers, "\n".join([HEADER, line(declaration_id)]))
        wait(client, job["job_id"], exporter.headers)
        read = client.get(f"/api/v1/declarations/{declaration_id}", headers=exporter.headers)
        return list(json.loads(read.json()["decision"]["evidence"])["not_supplied"])

    assert "odometer" in not_supplied("BEFORE")
    feed = "vin,reading_date,km,source\n" + f"{VIN},2025-05-20,48000,dealer\n"
    response = client.post(
        "/api/v1/evidence/odometer/bulk",
        files={"file": ("odo.csv", feed.encode(), "text/csv")},
        headers=regulator.headers,
    )
    assert wait(client, response.json()["job_id"], regulator.headers)["accepted_rows"] == 1
    with context.sessions() as session:
        data = session.execute(text("SELECT CAST(data AS TEXT) FROM evidence_records")).scalar_one()
    assert json.loads(data) == {
        "vin": VIN,
        "reading_date": "2025-05-20",
        "km": "48000",
        "source": "dealer",
    }
    assert "odometer" not in not_supplied("AFTER")
