"""The audit trail: who changed what, when, with the state before and after.

Written through the caller's session so the audit row commits or rolls back
together with the change it records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from zeromile.service.models import AuditEvent


def utcnow() -> dt.datetime:
    """The current instant, timezone-aware (every timestamp in the service uses this)."""
    return dt.datetime.now(dt.UTC)


def record(
    session: Session,
    *,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add one audit row to the current transaction."""
    session.add(
        AuditEvent(
            at=utcnow(),
            actor_user_id=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=jsonable(before),
            after=jsonable(after),
        )
    )


def jsonable(value: Any) -> Any:
    """Dates and instants become ISO strings so the JSON column accepts them."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
