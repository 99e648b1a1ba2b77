"""How bulk rows reach the database fast: COPY on PostgreSQL, executemany on SQLite.

The ORM builds an object (or at least a parameter set with type processing)
per row, and its JSON type serialises every value again; for tens of
thousands of declarations with a few kilobytes of decision each that costs
more than the screening. Rows here arrive with their JSON columns already
serialised, exactly as the ORM would have written them (``json.dumps`` with
dates as ISO strings, ``null`` for None), so the API reads back the same
values whichever path stored a row. Everything runs inside the caller's
session, so a chunk commits or rolls back as one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    MetaData,
    SQLColumnExpression,
    String,
    Table,
    Text,
    any_,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zeromile.service.models import Declaration, EvidenceRecord


class DuplicateKeyError(Exception):
    """A row collided with a key stored meanwhile (another job won the race)."""


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_text(value: Any) -> str:
    """The text the ORM's JSON column stores for ``value`` (dates become ISO strings)."""
    return json.dumps(value, default=_iso)


def _text_json_mirror(table: Table) -> Table:
    """The same table with its JSON columns as text, so pre-serialised JSON passes as is."""
    return Table(
        table.name,
        MetaData(),
        *(
            Column(
                c.name, Text() if isinstance(c.type, JSON) else c.type, primary_key=c.primary_key
            )
            for c in table.columns
        ),
    )


_DECLARATIONS = _text_json_mirror(Declaration.__table__)  # type: ignore[arg-type]
_EVIDENCE = _text_json_mirror(EvidenceRecord.__table__)  # type: ignore[arg-type]

#: Columns written for a declaration, in table order.
DECLARATION_FIELDS = tuple(c.name for c in _DECLARATIONS.columns)
#: Columns written for an evidence record (its id is the database's).
EVIDENCE_FIELDS = tuple(c.name for c in _EVIDENCE.columns if not c.primary_key)


def one_of(
    session: Session, column: SQLColumnExpression[str], values: Iterable[str]
) -> ColumnElement[bool]:
    """``column IN values`` for thousands of values, bound as one parameter.

    An IN list binds (and the database plans) one parameter per value, which
    costs more than the lookup itself; PostgreSQL takes one array, SQLite one
    JSON array read by ``json_each``.
    """
    listed = list(values)
    if _is_postgres(session):
        return column == any_(bindparam(None, listed, type_=postgresql.ARRAY(String)))
    members = func.json_each(bindparam(None, json.dumps(listed), type_=String)).table_valued(
        "value"
    )
    return column.in_(select(members.c.value))


def existing_declaration_ids(session: Session, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are stored already."""
    column = Declaration.declaration_id
    return set(session.scalars(select(column).where(one_of(session, column, ids))))


def insert_declarations(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert declarations given with every field of :data:`DECLARATION_FIELDS`.

    Raises :class:`DuplicateKeyError` when an id is taken (the transaction must then
    be rolled back and the chunk re-checked).
    """
    _insert(session, _DECLARATIONS, DECLARATION_FIELDS, rows)


def insert_evidence(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert evidence records given with every field of :data:`EVIDENCE_FIELDS`."""
    _insert(session, _EVIDENCE, EVIDENCE_FIELDS, rows)


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _insert(
    session: Session, table: Table, fields: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    if not rows:
        return
    if _is_postgres(session):
        _copy(session, table.name, fields, ([row[f] for f in fields] for row in rows))
        return
    try:
        session.execute(insert(table), [{f: row[f] for f in fields} for row in rows])
    except IntegrityError as exc:
        if "UNIQUE constraint failed" in str(exc.orig):
            raise DuplicateKeyError(str(exc.orig)) from exc
        raise


def _copy(session: Session, name: str, fields: Sequence[str], rows: Iterable[list[Any]]) -> None:
    """COPY the rows in on the session's own connection, inside its transaction."""
    import psycopg
    from psycopg import sql

    driver = session.connection().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, fields))
    )
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.errors.UniqueViolation as exc:
        raise DuplicateKeyError(str(exc)) from exc
