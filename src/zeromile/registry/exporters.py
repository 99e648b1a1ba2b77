"""Exporter licences as a fold over dated events.

China's Announcement No. 6 of 2024 put used-car exports under export-licence
management (licences from 2024-03-01; MOFCOM, see ``docs/registry.md``). Each
change to a licence is an event with an effective date, a reason and an actor;
the registry "as of" a date is the fold of the events effective on or before
it, which is what screening needs for a declaration dated in the past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from zeromile.errors import ConflictError, InvalidInputError


class EventKind(StrEnum):
    APPLY = "apply"
    APPROVE = "approve"
    SUSPEND = "suspend"
    REVOKE = "revoke"
    REINSTATE = "reinstate"


class Status(StrEnum):
    """Licence status on a date. ``expired`` is derived: licensed, but past ``licensed_to``."""

    UNKNOWN = "unknown"
    APPLIED = "applied"
    LICENSED = "licensed"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"


#: Which status each event may follow, and the status it leads to.
_TRANSITIONS: dict[EventKind, tuple[frozenset[Status], Status]] = {
    EventKind.APPLY: (frozenset({Status.UNKNOWN}), Status.APPLIED),
    EventKind.APPROVE: (frozenset({Status.APPLIED, Status.EXPIRED}), Status.LICENSED),
    EventKind.SUSPEND: (frozenset({Status.LICENSED}), Status.SUSPENDED),
    EventKind.REINSTATE: (frozenset({Status.SUSPENDED}), Status.LICENSED),
    EventKind.REVOKE: (
        frozenset({Status.APPLIED, Status.LICENSED, Status.SUSPENDED, Status.EXPIRED}),
        Status.REVOKED,
    ),
}

#: Columns of the ``exporters`` table the screening reads.
EXPORTER_COLUMNS = (
    "exporter_id",
    "name",
    "country",
    "region",
    "licence_no",
    "licensed_from",
    "licensed_to",
    "status",
)


@dataclass(frozen=True, slots=True)
class ExporterIdentity:
    exporter_id: str
    name: str
    country: str
    region: str | None


@dataclass(frozen=True, slots=True)
class LicenceEvent:
    """One dated change; ``sequence`` orders events that share a date."""

    exporter_id: str
    kind: EventKind
    effective_date: dt.date
    sequence: int
    reason: str
    licence_no: str | None = None
    licensed_from: dt.date | None = None
    licensed_to: dt.date | None = None


@dataclass(frozen=True, slots=True)
class LicenceState:
    status: Status = Status.UNKNOWN
    licence_no: str | None = None
    licensed_from: dt.date | None = None
    licensed_to: dt.date | None = None
    since: dt.date | None = None


def _apply(state: LicenceState, event: LicenceEvent) -> LicenceState:
    _, target = _TRANSITIONS[event.kind]
    if event.kind is EventKind.APPROVE:
        return LicenceState(
            target, event.licence_no, event.licensed_from, event.licensed_to, event.effective_date
        )
    return LicenceState(
        target, state.licence_no, state.licensed_from, state.licensed_to, event.effective_date
    )


def _with_expiry(state: LicenceState, on: dt.date) -> LicenceState:
    if state.status is Status.LICENSED and state.licensed_to and on > state.licensed_to:
        return LicenceState(
            Status.EXPIRED, state.licence_no, state.licensed_from, state.licensed_to, state.since
        )
    return state


def state_as_of(events: Iterable[LicenceEvent], on: dt.date) -> LicenceState:
    """The licence state on ``on``: events effective that day or earlier, in order."""
    state = LicenceState()
    for event in sorted(events, key=lambda e: (e.effective_date, e.sequence)):
        if event.effective_date > on:
            break
        state = _apply(_with_expiry(state, event.effective_date), event)
    return _with_expiry(state, on)


def check_transition(events: Sequence[LicenceEvent], new: LicenceEvent) -> None:
    """Raise unless ``new`` may follow ``events``.

    Events are appended in date order (no back-dating before the latest event),
    so the fold never has to reinterpret history already relied upon.
    """
    if events:
        latest = max(e.effective_date for e in events)
        if new.effective_date < latest:
            raise ConflictError(
                f"{new.kind.value} dated {new.effective_date} precedes the latest licence "
                f"event ({latest}); events are recorded in date order"
            )
    if new.kind is EventKind.APPROVE:
        _check_approval(new)
    allowed, _ = _TRANSITIONS[new.kind]
    current = state_as_of(events, new.effective_date).status
    if current not in allowed:
        expected = ", ".join(sorted(s.value for s in allowed))
        raise ConflictError(
            f"cannot {new.kind.value} exporter {new.exporter_id!r}: status on "
            f"{new.effective_date} is {current.value!r}, expected one of: {expected}"
        )


def _check_approval(event: LicenceEvent) -> None:
    missing = [
        name
        for name in ("licence_no", "licensed_from", "licensed_to")
        if getattr(event, name) is None
    ]
    if missing:
        raise InvalidInputError(
            "an approval needs a licence number and its validity",
            fields=[{"field": m, "message": "required to approve"} for m in missing],
        )
    assert event.licensed_from is not None and event.licensed_to is not None
    if event.licensed_to < event.licensed_from:
        raise InvalidInputError(
            f"licensed_to {event.licensed_to} is before licensed_from {event.licensed_from}",
            fields=[{"field": "licensed_to", "message": "must not precede licensed_from"}],
        )


def registry_as_of(
    identities: Iterable[ExporterIdentity],
    events: Iterable[LicenceEvent],
    on: dt.date,
) -> list[dict[str, object]]:
    """Rows of the screening's ``exporters`` table (:data:`EXPORTER_COLUMNS`) on ``on``."""
    by_exporter: dict[str, list[LicenceEvent]] = {}
    for event in events:
        by_exporter.setdefault(event.exporter_id, []).append(event)
    return [
        _row(identity, state_as_of(by_exporter.get(identity.exporter_id, ()), on))
        for identity in identities
    ]


def _row(identity: ExporterIdentity, state: LicenceState) -> dict[str, object]:
    values: Mapping[str, object] = {
        "exporter_id": identity.exporter_id,
        "name": identity.name,
        "country": identity.country,
        "region": identity.region,
        "licence_no": state.licence_no,
        "licensed_from": state.licensed_from,
        "licensed_to": state.licensed_to,
        "status": state.status.value,
    }
    return {column: values[column] for column in EXPORTER_COLUMNS}


#: Registry status → the dossier contract's ``exporters.status`` (active, suspended, revoked).
_CONTRACT_STATUS = {
    Status.LICENSED.value: "active",
    Status.EXPIRED.value: "active",  # licensed_to tells the screening it has lapsed
    Status.SUSPENDED.value: "suspended",
    Status.REVOKED.value: "revoked",
}


def contract_row(row: Mapping[str, object]) -> dict[str, object] | None:
    """A registry row in the dossier contract's terms; None if never licensed.

    An exporter that has only applied has no licence to show: it is left out of
    the ``exporters`` table, which is what the screening reads as "not licensed".
    """
    status = _CONTRACT_STATUS.get(str(row["status"]))
    if status is None or row["licensed_from"] is None:
        return None
    return {**row, "status": status}
