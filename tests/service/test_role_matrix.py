"""Every API route × every role: the policy table decides 401/403, nothing else does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import AccountFactory
from tests.service.helpers import accredited_body, license_exporter
from zeromile.service.policy import ANONYMOUS_ACTIONS, POLICY, Role

#: Routes open to everyone by design, outside the policy table.
OPEN_ROUTES = {("POST", "/api/v1/auth/login")}


def api_routes(client: TestClient) -> list[tuple[str, str, str | None]]:
    """(method, path, action) of every API operation, from the published OpenAPI schema.

    The action is the scope of the operation's bearer security requirement, so
    the schema documents the permission and the test reads it from there.
    """
    found = []
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            scopes = [s for req in operation.get("security", []) for s in req.get("HTTPBearer", [])]
            found.append((method.upper(), path, scopes[0] if scopes else None))
    return found


def test_every_api_route_names_a_policy_action(client: TestClient) -> None:
    routes = api_routes(client)
    assert len(routes) >= 20
    unguarded = [
        (method, path)
        for method, path, action in api_routes(client)
        if action is None and (method, path) not in OPEN_ROUTES
    ]
    assert unguarded == []
    unknown = [action for _, _, action in api_routes(client) if action and action not in POLICY]
    assert unknown == []


def expected_denial(role: Role | None, action: str) -> int | None:
    """401 for anonymous callers outside the public actions, 403 for other roles not allowed."""
    if role is None:
        return None if action in ANONYMOUS_ACTIONS else 401
    return None if role in POLICY[action] else 403


def test_role_by_endpoint_matrix(
    client: TestClient, make_account: AccountFactory, regulator: Any
) -> None:
    license_exporter(client, regulator.headers, "EXP-1")
    accredited_body(client, regulator.headers, "IB-1")
    headers: dict[Role | None, dict[str, str]] = {
        Role.ADMIN: make_account("admin").headers,
        Role.REGULATOR: regulator.headers,
        Role.EXPORTER: make_account("exporter", exporter_id="EXP-1").headers,
        Role.INSPECTOR: make_account("inspector", body_id="IB-1").headers,
        Role.PUBLIC: make_account("public").headers,
        None: {},
    }
    mismatches = []
    checked = 0
    for method, path, action in api_routes(client):
        if action is None:
            continue
        url = re.sub(r"\{[^}]+\}", "NO-SUCH-ID", path)
        for role, role_headers in headers.items():
            kwargs: dict[str, Any] = {"headers": role_headers}
            if method in {"POST", "PUT", "PATCH"}:
                kwargs["json"] = {}
            status = client.request(method, url, **kwargs).status_code
            expected = expected_denial(role, action)
            checked += 1
            if expected is not None and status != expected:
                mismatches.append((method, path, role, f"got {status}, expected {expected}"))
            if expected is None and status in (401, 403):
                mismatches.append((method, path, role, f"got {status}, expected access"))
            if status >= 500:
                mismatches.append((method, path, role, f"server error {status}"))
    assert mismatches == []
    assert checked >= 6 * 15


@pytest.mark.parametrize("role", list(Role))
def test_policy_gives_each_role_something(role: Role) -> None:
    assert any(role in roles for roles in POLICY.values())
