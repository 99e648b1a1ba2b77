"""How bulk rows reach the database fast: binary COPY on PostgreSQL, executemany on SQLite.

The ORM builds an object (or at least a parameter set with type processing)
per row, and its JSON type serialises every value again; for tens of
thousands of declarations with a few kilobytes of decision each that costs
more than the screening. Rows here arrive with their JSON columns already
serialised as texts that parse to what the ORM would have written
(``json.dumps`` with dates as ISO strings, ``null`` for None), so the API reads
back the same values whichever path stored a row. Everything runs inside the caller's
session, so a chunk commits or rolls back as one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    SQLColumnExpression,
    String,
    Table,
    Text,
    any_,
    bindparam,
    false,
    func,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from zeromile.service.models import Base, Declaration, EvidenceRecord, LogOutbox

if TYPE_CHECKING:
    import pyarrow as pa


class DuplicateKeyError(Exception):
    """A row collided with a key stored meanwhile (another job won the race)."""


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_text(value: Any) -> str:
    """The text the ORM's JSON column stores for ``value`` (dates become ISO strings)."""
    return json.dumps(value, default=_iso)


def json_texts(table: pa.Table) -> list[str]:
    """Each row of ``table`` as a JSON object text, keys in column order.

    Each text parses to the same value as :func:`json_text` of the row. DuckDB
    writes them, in C++ and without holding the GIL, so a bulk job's writer
    thread does not stall the thread screening the next slice; its texts are
    compact and keep non-ASCII characters as UTF-8. Tables it would write
    differently (repeated names; timestamps, single floats, decimals, nested
    and other types) go row by row through :func:`json_text` instead.
    """
    if table.num_rows == 0:
        return []
    names = table.column_names
    if not names:
        return ["{}"] * table.num_rows
    if len(set(names)) != len(names) or not all(map(_written_alike, table.schema.types)):
        return [json_text(row) for row in table.to_pylist()]
    import duckdb

    with duckdb.connect() as connection:
        connection.register("json_rows", table)
        texts = connection.sql("SELECT CAST(to_json(r) AS VARCHAR) FROM json_rows AS r")
        return cast(list[str], texts.to_arrow_table().column(0).to_pylist())


def _written_alike(kind: pa.DataType) -> bool:
    """Whether DuckDB's JSON of a value of this type parses as ``json.dumps``'s does."""
    import pyarrow as pa

    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_date32(kind)
        or pa.types.is_float64(kind)
        or pa.types.is_null(kind)
    )


def _text_json_mirror(model: type[Base]) -> Table:
    """The model's table with its JSON columns as text, so pre-serialised JSON passes as is."""
    table = model.__table__
    assert isinstance(table, Table)
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


_DECLARATIONS = _text_json_mirror(Declaration)
_EVIDENCE = _text_json_mirror(EvidenceRecord)
_OUTBOX = _text_json_mirror(LogOutbox)

#: Columns written for a declaration, in table order.
DECLARATION_FIELDS = tuple(c.name for c in _DECLARATIONS.columns)
#: Columns written for an evidence record (its id is the database's).
EVIDENCE_FIELDS = tuple(c.name for c in _EVIDENCE.columns if not c.primary_key)
#: Columns written for a log outbox row (its id is the database's).
OUTBOX_FIELDS = tuple(c.name for c in _OUTBOX.columns if not c.primary_key)


_Key = TypeVar("_Key", str, int)


def one_of(
    session: Session, column: SQLColumnExpression[_Key], values: Iterable[_Key]
) -> ColumnElement[bool]:
    """``column IN values`` for thousands of values (texts or integers), bound as one parameter.

    An IN list binds (and the database plans) one parameter per value, which
    costs more than the lookup itself; PostgreSQL takes one array, SQLite one
    JSON array read by ``json_each``.
    """
    listed = list(values)
    if not listed:
        return false()
    if is_postgres(session):
        element = Integer if isinstance(listed[0], int) else String
        return column == any_(bindparam(None, listed, type_=postgresql.ARRAY(element)))
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


def insert_outbox(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert log outbox rows given with every field of :data:`OUTBOX_FIELDS`."""
    _insert(session, _OUTBOX, OUTBOX_FIELDS, rows)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _insert(
    session: Session, table: Table, fields: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    if not rows:
        return
    values = itemgetter(*fields)
    if is_postgres(session):
        _copy(session, table.name, fields, (values(row) for row in rows))
        return
    _executemany(session, table, fields, [values(row) for row in rows])


def _executemany(
    session: Session, table: Table, fields: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """One prepared INSERT run for every row by the driver, inside the session's transaction.

    Values pass through the same bind processors SQLAlchemy applies (dates and
    instants become SQLite's text forms), so the stored text is the same as a
    Core ``insert()`` writes; the per-row parameter handling of SQLAlchemy's
    executemany is skipped.
    """
    import sqlite3

    dialect = session.get_bind().dialect
    processors = [
        (position, processor)
        for position, name in enumerate(fields)
        if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    if processors:
        # Dates and instants repeat across a chunk (one declaration date, one
        # submission instant): each distinct value is processed once.
        memos: list[dict[Any, Any]] = [{} for _ in processors]
        processed = []
        for row in rows:
            items = list(row)
            for (position, processor), memo in zip(processors, memos, strict=True):
                value = items[position]
                try:
                    items[position] = memo[value]
                except KeyError:
                    items[position] = memo[value] = processor(value)
            processed.append(items)
        rows = processed  # type: ignore[assignment]
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(f) for f in fields)}) "
        f"VALUES ({', '.join('?' for _ in fields)})"
    )
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    try:
        driver.executemany(statement, rows)
    except sqlite3.IntegrityError as exc:
        if "UNIQUE constraint failed" in str(exc):
            raise DuplicateKeyError(str(exc)) from exc
        raise


def _copy(
    session: Session, name: str, fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY the rows in, in binary, on the session's own connection, inside its transaction.

    A binary row carries each value as it is, where a text row escapes every
    byte of the kilobytes of decision JSON: on a bulk job's writer thread that
    escaping cost more than anything else.
    """
    import psycopg
    from psycopg import sql

    driver = session.connection().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, fields))
    )
    types = _binary_types(driver, name, fields)
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
    except psycopg.errors.UniqueViolation as exc:
        raise DuplicateKeyError(str(exc)) from exc


#: PostgreSQL's ``json`` type, whose binary form is its text: pre-serialised
#: JSON goes as ``text``, not through the driver's JSON encoder again.
_JSON_OID, _TEXT_OID = 114, 25


def _binary_types(driver: Any, name: str, fields: Sequence[str]) -> list[int]:
    """Type oids of the table's columns, in ``fields`` order, as a binary COPY sends them."""
    found = dict(
        driver.execute(
            "SELECT attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
            [name],
        ).fetchall()
    )
    return [_TEXT_OID if found[f] == _JSON_OID else found[f] for f in fields]
