"""The licence fold: transitions, the registry as of a date, expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from zeromile.errors import ConflictError, InvalidInputError
from zeromile.registry import (
    EXPORTER_COLUMNS,
    EventKind,
    ExporterIdentity,
    LicenceEvent,
    Status,
    check_transition,
    registry_as_of,
    state_as_of,
)

D = dt.date


def ev(kind: EventKind, on: dt.date, seq: int, **licence: object) -> LicenceEvent:
    return LicenceEvent("EXP-1", kind, on, seq, f"{kind} reason", **licence)  # type: ignore[arg-type]


HISTORY = [
    ev(EventKind.APPLY, D(2024, 2, 1), 1),
    ev(
        EventKind.APPROVE,
        D(2024, 3, 1),
        2,
        licence_no="L-001",
        licensed_from=D(2024, 3, 1),
        licensed_to=D(2026, 2, 28),
    ),
    ev(EventKind.SUSPEND, D(2025, 1, 10), 3),
    ev(EventKind.REINSTATE, D(2025, 2, 10), 4),
]


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (D(2024, 1, 31), Status.UNKNOWN),
        (D(2024, 2, 1), Status.APPLIED),
        (D(2024, 2, 29), Status.APPLIED),
        (D(2024, 3, 1), Status.LICENSED),
        (D(2025, 1, 9), Status.LICENSED),
        (D(2025, 1, 10), Status.SUSPENDED),
        (D(2025, 2, 10), Status.LICENSED),
        (D(2026, 2, 28), Status.LICENSED),
        (D(2026, 3, 1), Status.EXPIRED),
    ],
)
def test_state_on_each_date_follows_the_events(on: dt.date, status: Status) -> None:
    assert state_as_of(HISTORY, on).status is status


def test_events_are_folded_in_date_order_whatever_the_input_order() -> None:
    assert state_as_of(list(reversed(HISTORY)), D(2025, 1, 20)).status is Status.SUSPENDED


def test_approval_carries_the_licence() -> None:
    state = state_as_of(HISTORY, D(2025, 6, 1))
    assert (state.licence_no, state.licensed_from, state.licensed_to) == (
        "L-001",
        D(2024, 3, 1),
        D(2026, 2, 28),
    )


def test_cannot_reinstate_a_licensed_exporter() -> None:
    with pytest.raises(ConflictError, match="status on 2025-03-01 is 'licensed'"):
        check_transition(HISTORY, ev(EventKind.REINSTATE, D(2025, 3, 1), 5))


def test_cannot_backdate_before_the_latest_event() -> None:
    with pytest.raises(ConflictError, match="precedes the latest licence event"):
        check_transition(HISTORY, ev(EventKind.REVOKE, D(2025, 2, 1), 5))


def test_approval_needs_licence_fields() -> None:
    with pytest.raises(InvalidInputError) as info:
        check_transition(HISTORY[:1], ev(EventKind.APPROVE, D(2024, 3, 1), 2))
    assert {f["field"] for f in info.value.fields} == {
        "licence_no",
        "licensed_from",
        "licensed_to",
    }


def test_revoked_is_final() -> None:
    revoked = [*HISTORY, ev(EventKind.REVOKE, D(2025, 5, 1), 5)]
    with pytest.raises(ConflictError):
        check_transition(revoked, ev(EventKind.REINSTATE, D(2025, 6, 1), 6))


def test_expired_licence_can_be_renewed() -> None:
    renewal = ev(
        EventKind.APPROVE,
        D(2026, 4, 1),
        5,
        licence_no="L-002",
        licensed_from=D(2026, 4, 1),
        licensed_to=D(2028, 3, 31),
    )
    check_transition(HISTORY, renewal)
    state = state_as_of([*HISTORY, renewal], D(2026, 4, 2))
    assert (state.status, state.licence_no) == (Status.LICENSED, "L-002")


def test_registry_rows_have_the_screening_columns() -> None:
    identities = [
        ExporterIdentity("EXP-1", "One", "CN", "Guangdong"),
        ExporterIdentity("EXP-2", "Two", "CN", None),
    ]
    rows = registry_as_of(identities, HISTORY, D(2025, 1, 15))
    assert [tuple(r) for r in rows] == [EXPORTER_COLUMNS, EXPORTER_COLUMNS]
    assert rows[0]["status"] == "suspended"
    assert rows[0]["licence_no"] == "L-001"
    assert rows[1]["status"] == "unknown"
    assert rows[1]["licence_no"] is None
