"""Service fixtures: every API test runs on the embedded SQLite and on PostgreSQL.

PostgreSQL comes from ``ZEROMILE_TEST_POSTGRES_URL`` (default: the server on
127.0.0.1:5432); a fresh database is created per test session and dropped at
the end. If the server cannot be reached the tests fail, they never skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from zeromile.service import migrate, screening_adapter, security
from zeromile.service.app import create_app
from zeromile.service.context import ServiceContext
from zeromile.service.db import make_engine
from zeromile.service.models import Base
from zeromile.service.policy import Role
from zeromile.service.settings import Settings
from zeromile.service.users import create_user

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_server_url() -> str:
    return os.environ.get("ZEROMILE_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, with minimal cost: production parameters take ~0.4 s per hash here."""
    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this session, migrated to head; dropped afterwards."""
    server = make_url(postgres_server_url())
    name = f"zeromile_test_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is unreachable at {server.render_as_string()} ({exc.orig}); "
            "start it or point ZEROMILE_TEST_POSTGRES_URL at a server. "
            "These tests fail rather than skip.",
            pytrace=False,
        )
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "zeromile.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


def _empty_all(url: str) -> None:
    """DELETE is much faster than TRUNCATE on the handful of rows a test leaves."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for one test on one database, starting from an empty, migrated schema.

    The log drainer runs as a thread here; test_log_outbox.py starts the child process.
    """
    if request.param == "sqlite":
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        shutil.copy(request.getfixturevalue("sqlite_template"), data_dir / "zeromile.sqlite3")
        return Settings(data_dir=data_dir, log_drain_process=False)
    url = request.getfixturevalue("postgres_database")
    _empty_all(url)
    return Settings(
        data_dir=tmp_path,
        database_url=url,
        log_drain_process=False,
    )


@pytest.fixture
def context(settings: Settings) -> Iterator[ServiceContext]:
    ctx = ServiceContext.open(settings, migrate_embedded=False)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def client(settings: Settings, context: ServiceContext) -> Iterator[TestClient]:
    with TestClient(create_app(settings, context=context)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Account:
    user_id: str
    name: str
    token: str
    password: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


AccountFactory = Callable[..., Account]


@pytest.fixture
def make_account(context: ServiceContext) -> AccountFactory:
    """Create an account directly in the database (as `zeromile users create` does)."""

    def make(
        role: str,
        *,
        name: str | None = None,
        exporter_id: str | None = None,
        body_id: str | None = None,
        password: str | None = None,
    ) -> Account:
        with context.tx() as session:
            new = create_user(
                session,
                name=name or f"{role}-{secrets.token_hex(3)}",
                role=Role(role),
                actor=None,
                exporter_id=exporter_id,
                inspection_body_id=body_id,
                password=password,
            )
        return Account(new.user_id, new.name, new.token, new.password)

    return make


@pytest.fixture
def admin(make_account: AccountFactory) -> Account:
    return make_account("admin")


@pytest.fixture
def regulator(make_account: AccountFactory) -> Account:
    return make_account("regulator")


@pytest.fixture
def exporter(client: TestClient, regulator: Account, make_account: AccountFactory) -> Account:
    """An exporter account bound to EXP-1, licensed by the regulator."""
    from tests.service.helpers import license_exporter

    license_exporter(client, regulator.headers, "EXP-1")
    return make_account("exporter", exporter_id="EXP-1")


@pytest.fixture
def no_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the build without the screening core, so storage is tested on its own."""
    monkeypatch.setattr(screening_adapter, "screen", lambda tables: None)
    monkeypatch.setattr(screening_adapter, "screen_for_storage", lambda tables: None)
