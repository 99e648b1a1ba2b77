"""SQLAlchemy 2 models: the service's tables, one class per table.

The schema itself is owned by the Alembic migrations in
``zeromile/service/migrations``; these classes must match them (a test compares
the two). Dates are ``Date``, instants are timezone-aware ``DateTime``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An instant that reads back timezone-aware in UTC on every database.

    SQLite stores no offset, so values are normalised to UTC on the way in and
    tagged as UTC on the way out; PostgreSQL's timestamptz round-trips as is.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given for a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative root; ``type_annotation_map`` keeps JSON columns portable."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    exporter_id: Mapped[str | None] = mapped_column(ForeignKey("exporters.exporter_id"))
    inspection_body_id: Mapped[str | None] = mapped_column(ForeignKey("inspection_bodies.body_id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ApiToken(Base):
    __tablename__ = "api_tokens"

    token_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class AuditEvent(Base):
    __tablename__ = "audit_events"

    audit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class Exporter(Base):
    """Identity of an exporter; its licence state is the fold of its events (cached here)."""

    __tablename__ = "exporters"

    exporter_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    licence_no: Mapped[str | None] = mapped_column(String(100))
    licensed_from: Mapped[dt.date | None] = mapped_column(Date)
    licensed_to: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ExporterEvent(Base):
    __tablename__ = "exporter_events"

    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exporter_id: Mapped[str] = mapped_column(ForeignKey("exporters.exporter_id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    effective_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    licence_no: Mapped[str | None] = mapped_column(String(100))
    licensed_from: Mapped[dt.date | None] = mapped_column(Date)
    licensed_to: Mapped[dt.date | None] = mapped_column(Date)
    actor_user_id: Mapped[str | None] = mapped_column(String(32))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class NegativeListEntry(Base):
    __tablename__ = "negative_list_entries"

    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exporter_id: Mapped[str] = mapped_column(ForeignKey("exporters.exporter_id"), index=True)
    entry_date: Mapped[dt.date] = mapped_column(Date)
    conduct: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[str | None] = mapped_column(String(32))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class InspectionBody(Base):
    __tablename__ = "inspection_bodies"

    body_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Accreditation(Base):
    __tablename__ = "accreditations"

    accreditation_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    body_id: Mapped[str] = mapped_column(ForeignKey("inspection_bodies.body_id"), index=True)
    standard: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    actor_user_id: Mapped[str | None] = mapped_column(String(32))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class InspectionReport(Base):
    """A filed report; never updated. A correction is a new row naming the one it supersedes."""

    __tablename__ = "inspection_reports"

    report_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    vin: Mapped[str] = mapped_column(String(32), index=True)
    body_id: Mapped[str] = mapped_column(ForeignKey("inspection_bodies.body_id"), index=True)
    inspector_user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"))
    standard: Mapped[str] = mapped_column(String(60))
    inspection_date: Mapped[dt.date] = mapped_column(Date)
    odometer_km: Mapped[int] = mapped_column(BigInteger)
    overall_result: Mapped[str] = mapped_column(String(10))
    worksheet: Mapped[dict[str, Any]] = mapped_column(JSON)
    supersedes: Mapped[str | None] = mapped_column(
        ForeignKey("inspection_reports.report_id"), unique=True
    )
    filed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Declaration(Base):
    """A declaration in the dossier's columns, with its decision once screened."""

    __tablename__ = "declarations"

    declaration_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    exporter_id: Mapped[str] = mapped_column(ForeignKey("exporters.exporter_id"), index=True)
    vin: Mapped[str] = mapped_column(String(32), index=True)
    origin: Mapped[str] = mapped_column(String(2))
    origin_region: Mapped[str | None] = mapped_column(String(100))
    destination: Mapped[str] = mapped_column(String(2))
    declaration_date: Mapped[dt.date] = mapped_column(Date)
    arrival_date: Mapped[dt.date | None] = mapped_column(Date)
    declared_condition: Mapped[str | None] = mapped_column(String(10))
    declared_odometer_km: Mapped[int | None] = mapped_column(BigInteger)
    declared_value: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    hs_code: Mapped[str | None] = mapped_column(String(20))
    importer_kind: Mapped[str | None] = mapped_column(String(20))
    documents: Mapped[list[Any]] = mapped_column(JSON)
    vehicle: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    submitted_by: Mapped[str | None] = mapped_column(String(32))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    job_id: Mapped[str | None] = mapped_column(String(32), index=True)
    verdict: Mapped[str | None] = mapped_column(String(10))
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        UniqueConstraint("exporter_id", "idempotency_key", name="uq_declarations_idempotency"),
    )


class EvidenceRecord(Base):
    """One row of an evidence feed (registrations, odometer, maintenance) in dossier columns."""

    __tablename__ = "evidence_records"

    record_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    vin: Mapped[str] = mapped_column(String(32))
    record_date: Mapped[dt.date | None] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    job_id: Mapped[str | None] = mapped_column(String(32))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_evidence_vin", "vin", "kind"),)


class Job(Base):
    __tablename__ = "jobs"

    job_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(12))
    owner_user_id: Mapped[str | None] = mapped_column(String(32))
    exporter_id: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    accepted_rows: Mapped[int] = mapped_column(Integer, default=0)
    rejected_rows: Mapped[int] = mapped_column(Integer, default=0)
    strict: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (
        UniqueConstraint("owner_user_id", "idempotency_key", name="uq_jobs_idempotency"),
    )


class LogOutbox(Base):
    """A stored decision waiting to be appended to the transparency log.

    Written in the declaration's own transaction, so a committed decision is
    always either logged or still here; the drainer deletes the row once appended.
    """

    __tablename__ = "log_outbox"

    outbox_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    declaration_id: Mapped[str] = mapped_column(
        ForeignKey("declarations.declaration_id"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
