"""FastAPI dependencies as ``Annotated`` aliases: the context, the caller, a page request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from zeromile.errors import AuthenticationError
from zeromile.service.context import ServiceContext
from zeromile.service.policy import ANONYMOUS, Principal, authorize
from zeromile.service.users import principal_for_token

_bearer = HTTPBearer(auto_error=False, description="An API token from `zeromile users create`")


def get_context(request: Request) -> ServiceContext:
    context: ServiceContext = request.app.state.context
    return context


Ctx = Annotated[ServiceContext, Depends(get_context)]


def get_principal(
    context: Ctx,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller: the token's user, or the anonymous public when no token is sent."""
    if credentials is None:
        return ANONYMOUS
    if credentials.scheme.lower() != "bearer":
        raise AuthenticationError("use the Bearer scheme: Authorization: Bearer <token>")
    with context.sessions() as session:
        return principal_for_token(session, credentials.credentials)


Caller = Annotated[Principal, Depends(get_principal)]


@dataclass(frozen=True, slots=True)
class PageRequest:
    cursor: str | None
    limit: int


def get_page_request(
    context: Ctx,
    cursor: Annotated[
        str | None, Query(max_length=500, description="next_cursor of the previous page")
    ] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000, description="page size")] = None,
) -> PageRequest:
    settings = context.settings
    size = min(limit or settings.page_size, settings.max_page_size)
    return PageRequest(cursor=cursor, limit=size)


PageParams = Annotated[PageRequest, Depends(get_page_request)]


def requires(action: str) -> Callable[[Principal], Principal]:
    """A dependency that authorizes ``action`` before the body is even validated.

    Dependencies run before body validation, so a caller without the right
    gets 401/403 rather than a detailed 422 about a request it may not make.
    The action is kept on the function so tests can read the route's policy.
    """

    def dependency(caller: Caller) -> Principal:
        authorize(caller, action)
        return caller

    dependency.zeromile_action = action  # type: ignore[attr-defined]
    return dependency
