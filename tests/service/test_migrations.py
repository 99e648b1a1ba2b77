"""Migrations run down and up on both databases, and match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from zeromile.service import migrate
from zeromile.service.db import make_engine
from zeromile.service.models import Base
from zeromile.service.settings import Settings


def test_down_to_base_and_up_to_head(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url())
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_match_the_migrated_schema(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url())
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_log_outbox_migration_goes_down_and_up(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url())
    try:
        assert "log_outbox" in inspect(engine).get_table_names()
        migrate.downgrade(engine, "0001")
        assert migrate.current_revision(engine) == "0001"
        tables = set(inspect(engine).get_table_names())
        assert "log_outbox" not in tables and "declarations" in tables
        migrate.upgrade(engine, "0002")
        assert migrate.current_revision(engine) == "0002"
        columns = {c["name"] for c in inspect(engine).get_columns("log_outbox")}
        assert columns == {
            "outbox_id",
            "declaration_id",
            "created_at",
            "attempts",
            "last_error",
            "next_attempt_at",
        }
    finally:
        engine.dispose()


def _decision_compression(engine: Engine) -> str | None:
    """The decision column's compression method on PostgreSQL ('' for the default)."""
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT attcompression::text FROM pg_attribute "
                "WHERE attrelid = 'declarations'::regclass AND attname = 'decision'"
            )
        ).scalar()


def test_decision_compression_migration_goes_down_and_up(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url())
    try:
        migrate.downgrade(engine, "0002")
        if engine.dialect.name == "postgresql":
            assert _decision_compression(engine) == ""
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == "0003"
        if engine.dialect.name == "postgresql":
            # the reference server (PostgreSQL 15, Debian build) has lz4
            assert _decision_compression(engine) == "l"
    finally:
        engine.dispose()
