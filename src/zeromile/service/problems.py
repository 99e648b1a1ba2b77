"""Errors to HTTP in one place: zeromile's error classes → status, body as RFC 9457.

Routes raise :mod:`zeromile.errors` classes and never ``HTTPException`` for
domain conditions; the handlers here turn every failure, including request
validation, into ``application/problem+json`` with field-level detail.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from zeromile import errors

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

#: The one mapping table, most specific class first (the first ``isinstance`` match wins).
STATUS_BY_ERROR: tuple[tuple[type[errors.ZeromileError], int, str], ...] = (
    (errors.AuthenticationError, 401, "Authentication required"),
    (errors.PermissionDeniedError, 403, "Forbidden"),
    (errors.NotFoundError, 404, "Not found"),
    (errors.ConflictError, 409, "Conflict"),
    (errors.PayloadTooLargeError, 413, "Payload too large"),
    (errors.RateLimitedError, 429, "Too many requests"),
    (errors.InvalidInputError, 422, "Invalid input"),
    (errors.DossierError, 422, "Invalid dossier"),
    (errors.VinError, 422, "Invalid VIN"),
    (errors.DutyError, 422, "Duty cannot be computed"),
    (errors.VerificationError, 422, "Verification failed"),
    (errors.ZeromileError, 500, "Internal error"),
)


def status_for(exc: errors.ZeromileError) -> tuple[int, str]:
    """HTTP status and problem title for a zeromile error."""
    for cls, status, title in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status, title
    return 500, "Internal error"  # pragma: no cover - ZeromileError closes the table


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    fields: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An RFC 9457 response; ``errors`` carries one entry per offending field."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    if instance:
        body["instance"] = instance
    if fields:
        body["errors"] = fields
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "vin")`` → ``"vin"``; query and path parameters keep their place."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _on_zeromile_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.ZeromileError)
    status, title = status_for(exc)
    if status >= 500:
        logger.exception("internal error on %s", request.url.path, exc_info=exc)
    fields = getattr(exc, "fields", None)
    headers = {"Retry-After": "60"} if status == 429 else None
    return problem(
        status, title, str(exc), instance=request.url.path, fields=fields, headers=headers
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        {"field": _field_name(err.get("loc", ())), "message": str(err.get("msg", ""))}
        for err in exc.errors()
    ]
    detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return problem(422, "Invalid input", detail, instance=request.url.path, fields=fields)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return problem(
        exc.status_code,
        str(exc.detail) if exc.status_code != 404 else "Not found",
        str(exc.detail),
        instance=request.url.path,
        headers=headers,
    )


async def _on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    """A constraint the database enforces (a reference to a missing row, a duplicate)."""
    logger.info("integrity error on %s: %s", request.url.path, exc)
    return problem(
        409,
        "Conflict",
        "the request refers to a record that does not exist or duplicates one that does",
        instance=request.url.path,
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return problem(500, "Internal error", "unexpected server error", instance=request.url.path)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(errors.ZeromileError, _on_zeromile_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(Exception, _on_unexpected)


#: OpenAPI description of the problem body, attached to every route's error responses.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
