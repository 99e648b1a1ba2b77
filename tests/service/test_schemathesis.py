"""Property-based run of the OpenAPI schema: no 5xx, responses match the schema.

Bounded: a handful of examples per operation, on the embedded SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zeromile.service import migrate
from zeromile.service.app import create_app
from zeromile.service.context import ServiceContext
from zeromile.service.db import make_engine
from zeromile.service.policy import Role
from zeromile.service.settings import Settings
from zeromile.service.users import create_user


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    data_dir: Path = tmp_path_factory.mktemp("schemathesis")
    settings_ = Settings(data_dir=data_dir)
    engine = make_engine(settings_.resolved_database_url())
    migrate.upgrade(engine)
    engine.dispose()
    context = ServiceContext.open(settings_, migrate_embedded=False)
    tokens: dict[str, str] = {}
    with context.tx() as session:
        from zeromile.service import bodies, exporters

        exporters.apply(
            session,
            actor=None,
            exporter_id="EXP-1",
            name="One",
            country="CN",
            region=None,
            on=__import__("datetime").date(2024, 1, 1),
            reason="seed",
        )
        bodies.create(session, actor=None, body_id="IB-1", name="Body", country="CN")
        for role, extra in (
            (Role.ADMIN, {}),
            (Role.EXPORTER, {"exporter_id": "EXP-1"}),
            (Role.INSPECTOR, {"inspection_body_id": "IB-1"}),
        ):
            account = create_user(session, name=role.value, role=role, actor=None, **extra)
            tokens[role.value] = account.token
    app = create_app(settings_, context=context)
    yield app, tokens
    context.close()


def _role_for(method: str, path: str) -> str:
    if method == "POST" and path == "/api/v1/inspection-reports":
        return "inspector"
    if method == "POST" and path.startswith("/api/v1/declarations"):
        return "exporter"
    return "admin"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _property_test(operation: Any, headers: dict[str, str]) -> Any:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=10,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    return run


def test_api_conforms_to_its_schema(seeded: tuple[Any, dict[str, str]]) -> None:
    """Every operation, a bounded number of generated requests each, as the role that uses it."""
    app, tokens = seeded
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures: list[str] = []
    for operation in operations:
        role = _role_for(operation.method.upper(), operation.path)
        try:
            _property_test(operation, {"Authorization": f"Bearer {tokens[role]}"})()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert failures == [], "\n\n".join(failures)
