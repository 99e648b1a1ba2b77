"""Duty quotes over HTTP: the core's answer, and bad features as 422 problems."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from zeromile.duties import quote

FEATURES = {
    "origin": "CN",
    "destination": "RU",
    "import_date": "2025-06-01",
    "declared_value": 20000.0,
    "currency": "USD",
    "engine_cc": 1998,
    "fuel": "petrol",
    "model_year": 2024,
    "importer_kind": "individual",
}


def test_quote_is_the_cores_answer(client: TestClient) -> None:
    response = client.post("/api/v1/duties/quote", json={"features": FEATURES})
    assert response.status_code == 200, response.text
    expected = quote({**FEATURES, "import_date": dt.date(2025, 6, 1)})
    body = response.json()
    assert (body["total"], body["currency"]) == (expected.total, expected.currency)
    assert len(body["lines"]) == len(expected.lines)


def test_unknown_feature_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/duties/quote", json={"features": {**FEATURES, "colour": "red"}})
    assert response.status_code == 422
    assert "colour" in response.json()["detail"]


def test_bad_date_is_422_naming_the_feature(client: TestClient) -> None:
    response = client.post(
        "/api/v1/duties/quote", json={"features": {**FEATURES, "import_date": "June"}}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "features.import_date"


def test_wrongly_typed_feature_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/duties/quote", json={"features": {**FEATURES, "engine_cc": "big"}}
    )
    assert response.status_code == 422
