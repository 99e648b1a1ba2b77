"""Accounts, tokens, login and its rate limit, problem+json errors."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.service.conftest import Account, AccountFactory
from zeromile.service.context import ServiceContext
from zeromile.service.models import ApiToken, AuditEvent, User


def test_token_identifies_its_user(client: TestClient, regulator: Account) -> None:
    response = client.get("/api/v1/auth/me", headers=regulator.headers)
    assert response.status_code == 200
    assert response.json()["role"] == "regulator"
    assert response.json()["name"] == regulator.name


def test_anonymous_caller_is_the_public(client: TestClient) -> None:
    assert client.get("/api/v1/auth/me").json()["role"] == "public"


def test_unknown_token_is_401_problem(client: TestClient) -> None:
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer zm_nope"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert "unknown or revoked" in body["detail"]


def test_tokens_and_passwords_are_not_stored_in_clear(
    context: ServiceContext, regulator: Account
) -> None:
    with context.sessions() as session:
        hashes = session.scalars(
            select(ApiToken.token_hash).where(ApiToken.user_id == regulator.user_id)
        ).all()
        user = session.get(User, regulator.user_id)
    assert hashes == [hashlib.sha256(regulator.token.encode()).hexdigest()]
    assert user is not None and user.password_hash is not None
    assert regulator.password not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")


def test_login_issues_a_working_token(client: TestClient, make_account: AccountFactory) -> None:
    account = make_account("regulator", name="reg-login", password="correct horse battery")
    response = client.post(
        "/api/v1/auth/login", json={"name": "reg-login", "password": "correct horse battery"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token != account.token
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["user_id"] == account.user_id


def test_wrong_password_is_401(client: TestClient, make_account: AccountFactory) -> None:
    make_account("regulator", name="reg-wrong", password="correct horse battery")
    response = client.post("/api/v1/auth/login", json={"name": "reg-wrong", "password": "nope"})
    assert response.status_code == 401


def test_login_is_rate_limited(client: TestClient, context: ServiceContext) -> None:
    limit = context.settings.login_attempts_per_minute
    statuses = [
        client.post("/api/v1/auth/login", json={"name": "ghost", "password": "x"}).status_code
        for _ in range(limit + 2)
    ]
    assert statuses[:limit] == [401] * limit
    assert statuses[limit:] == [429, 429]


def test_admin_creates_users_and_it_is_audited(
    client: TestClient, context: ServiceContext, admin: Account
) -> None:
    response = client.post(
        "/api/v1/users", json={"name": "new-reg", "role": "regulator"}, headers=admin.headers
    )
    assert response.status_code == 201
    new_id = response.json()["user_id"]
    with context.sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == new_id)).one()
    assert event.actor_user_id == admin.user_id
    assert event.action == "user.create"
    assert event.before is None
    assert event.after is not None and event.after["role"] == "regulator"
    assert "password_hash" not in event.after


def test_exporter_account_needs_its_exporter(client: TestClient, admin: Account) -> None:
    response = client.post(
        "/api/v1/users", json={"name": "exp", "role": "exporter"}, headers=admin.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "exporter_id", "message": "required for role exporter"}
    ]


def test_validation_errors_name_the_field(client: TestClient, admin: Account) -> None:
    response = client.post("/api/v1/users", json={"role": "boss"}, headers=admin.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "role"}


def test_oversized_body_is_413(client: TestClient, context: ServiceContext) -> None:
    blob = "x" * (context.settings.max_json_bytes + 1)
    response = client.post("/api/v1/auth/login", json={"name": blob, "password": "p"})
    assert response.status_code == 413
    assert response.json()["status"] == 413
