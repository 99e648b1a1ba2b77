"""Accounts and credentials: create users, issue tokens, log in, resolve a bearer token."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zeromile.errors import AuthenticationError, ConflictError, InvalidInputError, NotFoundError
from zeromile.service import audit, security
from zeromile.service.models import ApiToken, Exporter, InspectionBody, User
from zeromile.service.policy import Principal, Role


@dataclass(frozen=True, slots=True)
class NewAccount:
    """What a new account's owner is shown once: the token and the password."""

    user_id: str
    name: str
    role: Role
    token: str
    password: str


def create_user(
    session: Session,
    *,
    name: str,
    role: Role,
    actor: str | None,
    exporter_id: str | None = None,
    inspection_body_id: str | None = None,
    password: str | None = None,
) -> NewAccount:
    """Create an account bound to its exporter or body as the role requires."""
    if role is Role.EXPORTER and not exporter_id:
        raise InvalidInputError(
            "an exporter account must name its exporter",
            fields=[{"field": "exporter_id", "message": "required for role exporter"}],
        )
    if role is Role.INSPECTOR and not inspection_body_id:
        raise InvalidInputError(
            "an inspector account must name its inspection body",
            fields=[{"field": "inspection_body_id", "message": "required for role inspector"}],
        )
    if role is not Role.EXPORTER and exporter_id:
        raise InvalidInputError("only exporter accounts are bound to an exporter")
    if role is not Role.INSPECTOR and inspection_body_id:
        raise InvalidInputError("only inspector accounts are bound to an inspection body")
    if exporter_id and session.get(Exporter, exporter_id) is None:
        raise NotFoundError(f"exporter {exporter_id!r} does not exist")
    if inspection_body_id and session.get(InspectionBody, inspection_body_id) is None:
        raise NotFoundError(f"inspection body {inspection_body_id!r} does not exist")
    if session.scalar(select(User.user_id).where(User.name == name)) is not None:
        raise ConflictError(f"a user named {name!r} already exists")
    password = password or security.new_password()
    user = User(
        user_id=security.new_id(),
        name=name,
        role=role.value,
        exporter_id=exporter_id,
        inspection_body_id=inspection_body_id,
        password_hash=security.hash_password(password),
        active=True,
        created_at=audit.utcnow(),
    )
    session.add(user)
    session.flush()
    token = issue_token(session, user.user_id)
    audit.record(
        session,
        actor=actor,
        action="user.create",
        entity="user",
        entity_id=user.user_id,
        before=None,
        after=_public_view(user),
    )
    return NewAccount(user.user_id, name, role, token, password)


def issue_token(session: Session, user_id: str) -> str:
    """A new bearer token for ``user_id``; only its digest is stored."""
    token = security.new_token()
    session.add(
        ApiToken(
            token_id=security.new_id(),
            user_id=user_id,
            token_hash=security.hash_token(token),
            created_at=audit.utcnow(),
        )
    )
    return token


def login(session: Session, *, name: str, password: str) -> tuple[User, str]:
    """Check a password and issue a fresh token; the same error for unknown name or password."""
    user = session.scalar(select(User).where(User.name == name, User.active.is_(True)))
    if user is None or not user.password_hash:
        security.hash_password(password)  # spend the same time as a real check
        raise AuthenticationError("unknown user name or wrong password")
    if not security.verify_password(user.password_hash, password):
        raise AuthenticationError("unknown user name or wrong password")
    token = issue_token(session, user.user_id)
    audit.record(
        session,
        actor=user.user_id,
        action="user.login",
        entity="user",
        entity_id=user.user_id,
        before=None,
        after={"token_issued": True},
    )
    return user, token


def principal_for_token(session: Session, token: str) -> Principal:
    """The active user behind a bearer token, or :class:`AuthenticationError`."""
    row = session.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.user_id)
        .where(
            ApiToken.token_hash == security.hash_token(token),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).scalar_one_or_none()
    if row is None:
        raise AuthenticationError("the API token is unknown or revoked")
    return principal_of(row)


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.user_id,
        name=user.name,
        role=Role(user.role),
        exporter_id=user.exporter_id,
        inspection_body_id=user.inspection_body_id,
    )


def _public_view(user: User) -> dict[str, object]:
    """The audited fields of a user (never the password hash)."""
    return {
        "name": user.name,
        "role": user.role,
        "exporter_id": user.exporter_id,
        "inspection_body_id": user.inspection_body_id,
        "active": user.active,
    }
