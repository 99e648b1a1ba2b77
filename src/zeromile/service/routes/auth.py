"""``/api/v1/auth`` and ``/api/v1/users``: log in, who am I, create accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Security
from pydantic import BaseModel, Field

from zeromile.service import users
from zeromile.service.deps import Ctx, requires
from zeromile.service.policy import Principal, Role
from zeromile.service.routes import PROBLEM_RESPONSES

router = APIRouter(tags=["auth"], responses=PROBLEM_RESPONSES)

MayCreateUsers = Annotated[Principal, Security(requires("users.create"), scopes=["users.create"])]
MayMeUsers = Annotated[Principal, Security(requires("users.me"), scopes=["users.me"])]


class LoginRequest(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=500)


class TokenResponse(BaseModel):
    token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    user_id: str
    role: Role


class Me(BaseModel):
    user_id: str | None
    name: str
    role: Role
    exporter_id: str | None
    inspection_body_id: str | None


class UserCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: Role
    exporter_id: str | None = Field(default=None, max_length=64)
    inspection_body_id: str | None = Field(default=None, max_length=64)
    password: str | None = Field(default=None, min_length=8, max_length=500)


class UserCreated(BaseModel):
    user_id: str
    name: str
    role: Role
    token: str = Field(description="Shown once; only its SHA-256 digest is stored.")


@router.post("/auth/login", response_model=TokenResponse)
def login(body: LoginRequest, request: Request, context: Ctx) -> TokenResponse:
    """Exchange a name and password for a new API token (rate-limited)."""
    client = request.client.host if request.client else "unknown"
    context.login_limiter.hit(f"addr:{client}", f"name:{body.name}")
    with context.tx() as session:
        user, token = users.login(session, name=body.name, password=body.password)
        return TokenResponse(token=token, user_id=user.user_id, role=Role(user.role))


@router.get("/auth/me", response_model=Me)
def me(caller: MayMeUsers) -> Me:
    """The account behind the token (anonymous callers are the public)."""
    return Me(
        user_id=caller.user_id,
        name=caller.name,
        role=caller.role,
        exporter_id=caller.exporter_id,
        inspection_body_id=caller.inspection_body_id,
    )


@router.post("/users", response_model=UserCreated, status_code=201)
def create_user(
    body: UserCreate,
    caller: MayCreateUsers,
    context: Ctx,
) -> UserCreated:
    """Create an account (admin only); the token is returned once."""
    with context.tx() as session:
        account = users.create_user(
            session,
            name=body.name,
            role=body.role,
            actor=caller.user_id,
            exporter_id=body.exporter_id,
            inspection_body_id=body.inspection_body_id,
            password=body.password,
        )
    return UserCreated(
        user_id=account.user_id, name=account.name, role=account.role, token=account.token
    )
