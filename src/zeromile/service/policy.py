"""Roles and the one table of who may do what.

Routes name an action and call :func:`authorize`; the roles matrix in
``docs/service.md`` and the role-by-endpoint test are both read from
:data:`POLICY`, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zeromile.errors import AuthenticationError, PermissionDeniedError


class Role(StrEnum):
    ADMIN = "admin"
    REGULATOR = "regulator"
    EXPORTER = "exporter"
    INSPECTOR = "inspector"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of a request. Anonymous callers act as :attr:`Role.PUBLIC`."""

    user_id: str | None
    name: str
    role: Role
    exporter_id: str | None = None
    inspection_body_id: str | None = None

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def sees_everything(self) -> bool:
        """Admins and regulators read every exporter's and body's records."""
        return self.role in (Role.ADMIN, Role.REGULATOR)


ANONYMOUS = Principal(user_id=None, name="anonymous", role=Role.PUBLIC)

_ALL = frozenset(Role)
_STAFF = frozenset({Role.ADMIN, Role.REGULATOR})
_OFFICIAL = frozenset({Role.ADMIN, Role.REGULATOR, Role.EXPORTER, Role.INSPECTOR})

#: action → roles allowed. Row-level scoping (an exporter's own declarations, an
#: inspector's own body) is applied on top by the operations themselves.
POLICY: dict[str, frozenset[Role]] = {
    "users.create": frozenset({Role.ADMIN}),
    "users.me": _ALL,
    "audit.read": _STAFF,
    "exporters.read": _OFFICIAL,
    "exporters.manage": _STAFF,
    "negative_list.read": _STAFF,
    "negative_list.add": _STAFF,
    "bodies.read": _OFFICIAL,
    "bodies.manage": _STAFF,
    "reports.read": frozenset({Role.ADMIN, Role.REGULATOR, Role.INSPECTOR}),
    "reports.file": frozenset({Role.INSPECTOR}),
    "declarations.read": frozenset({Role.ADMIN, Role.REGULATOR, Role.EXPORTER}),
    "declarations.submit": frozenset({Role.EXPORTER}),
    "evidence.load": _STAFF,
    "jobs.read": frozenset({Role.ADMIN, Role.REGULATOR, Role.EXPORTER}),
    "vehicles.read": frozenset({Role.ADMIN, Role.REGULATOR, Role.INSPECTOR}),
    "stats.read": _ALL,
    "rules.read": _ALL,
    "duties.quote": _ALL,
    "log.read": _ALL,
}

#: Actions open to anonymous callers (the public reads statistics, rules and the log).
ANONYMOUS_ACTIONS = frozenset({"users.me", "stats.read", "rules.read", "duties.quote", "log.read"})


def authorize(principal: Principal, action: str) -> None:
    """Raise unless ``principal`` may perform ``action``.

    Anonymous callers get 401 for anything not open to the public, so a client
    can tell "log in" from "your role may not".
    """
    allowed = POLICY[action]
    if not principal.authenticated and action not in ANONYMOUS_ACTIONS:
        raise AuthenticationError("this endpoint needs an API token (Authorization: Bearer ...)")
    if principal.role not in allowed:
        roles = ", ".join(sorted(r.value for r in allowed))
        raise PermissionDeniedError(
            f"role {principal.role.value!r} may not {action}; allowed: {roles}"
        )
