"""The one exception tree of zeromile.

Every error zeromile raises on purpose derives from :class:`ZeromileError`;
foreign exceptions (DuckDB, pydantic, SQL parsers, OS errors) are wrapped at
the boundary with ``raise ... from exc`` so that callers catch one root.

    ZeromileError
    ├── DossierError            a dossier cannot be read at all (file, table, column)
    │   └── StrictRejectError   --strict and at least one row was rejected
    ├── VinError                a VIN or chassis number cannot be interpreted
    ├── ScreeningError          the screening engine failed
    │   └── EngineUnavailableError   an optional engine is not installed
    ├── RulebookError           a rule or tariff file is malformed
    ├── DutyError               a duty cannot be computed (missing rate, currency)
    ├── LogError                the transparency log cannot be read or written
    │   └── VerificationError   a proof, signature or checkpoint does not verify
    ├── GenerationError         the synthetic world cannot be generated
    └── ServiceError            a service-level failure (registry, auth, conflict)
        ├── NotFoundError
        ├── AuthenticationError     no or unknown credentials
        ├── PermissionDeniedError
        ├── ConflictError
        ├── RateLimitedError        too many attempts (login)
        └── InvalidInputError
            └── PayloadTooLargeError

Messages say what was expected and what came, e.g. ``"inclusion proof for
size 11 has 3 hashes, expected 4"``.
"""

from __future__ import annotations


class ZeromileError(Exception):
    """Root of every error zeromile raises on purpose."""


class DossierError(ZeromileError):
    """A dossier file, table or column cannot be read."""


class StrictRejectError(DossierError):
    """Rows were rejected and the run was asked to be strict."""


class VinError(ZeromileError):
    """A VIN or chassis number cannot be interpreted."""


class ScreeningError(ZeromileError):
    """The screening engine failed."""


class EngineUnavailableError(ScreeningError):
    """An optional engine (e.g. PySpark) is not installed."""


class RulebookError(ZeromileError):
    """A rule or tariff file is malformed."""


class DutyError(ZeromileError):
    """A duty cannot be computed."""


class LogError(ZeromileError):
    """The transparency log cannot be read or written."""


class VerificationError(LogError):
    """A proof, signature or checkpoint does not verify."""


class GenerationError(ZeromileError):
    """The synthetic world cannot be generated."""


class ServiceError(ZeromileError):
    """A service-level failure."""


class NotFoundError(ServiceError):
    """The named resource does not exist (or is not visible to the caller)."""


class AuthenticationError(ServiceError):
    """The request carries no credentials, or credentials that match no active account."""


class PermissionDeniedError(ServiceError):
    """The caller's role does not allow this action."""


class ConflictError(ServiceError):
    """The request conflicts with the current state."""


class RateLimitedError(ServiceError):
    """Too many attempts in the current window; retry later."""


class InvalidInputError(ServiceError):
    """The request is well-formed but its content is invalid.

    ``fields`` optionally lists ``{"field": ..., "message": ...}`` per offending field.
    """

    def __init__(self, message: str, *, fields: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []


class PayloadTooLargeError(InvalidInputError):
    """The request body exceeds the configured size limit."""
