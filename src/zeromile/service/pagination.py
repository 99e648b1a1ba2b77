"""Cursor pagination: opaque cursors that name the last key a client has seen.

Keyset pages stay correct while rows are inserted, unlike offsets.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from zeromile.errors import InvalidInputError

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` back as ``cursor`` for the next one."""

    items: list[T]
    next_cursor: str | None


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The key inside a cursor, or a 422 naming the ``cursor`` parameter."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise _bad_cursor() from exc
    if not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], str)):
        raise _bad_cursor()
    return value[0]


def _bad_cursor() -> InvalidInputError:
    return InvalidInputError(
        "cursor is not one this service issued",
        fields=[{"field": "cursor", "message": "pass next_cursor from a previous page unchanged"}],
    )


def paginate(
    session: Session,
    query: Select[Any],
    key: InstrumentedAttribute[str],
    *,
    cursor: str | None,
    limit: int,
    render: Callable[[Any], T],
) -> Page[T]:
    """Run ``query`` ordered by the string column ``key`` after ``cursor``; one page."""
    if cursor:
        query = query.where(key > decode_cursor(cursor))
    rows: Sequence[Any] = session.scalars(query.order_by(key).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(str(getattr(rows[-1], key.key))) if more and rows else None
    return Page[T](items=[render(r) for r in rows], next_cursor=next_cursor)
