"""HTTP routers, one module per resource; thin layers over the operations modules."""

from __future__ import annotations

from typing import Any

from zeromile.service.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}},
    }


#: Error responses every route may return, documented so the OpenAPI schema is accurate.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _problem("No or unknown API token"),
    403: _problem("The caller's role may not do this"),
    404: _problem("No such resource, or not visible to the caller"),
    409: _problem("Conflicts with the current state"),
    413: _problem("Request body too large"),
    422: _problem("Invalid input, with field-level detail"),
    429: _problem("Too many attempts"),
    500: _problem("Unexpected server error"),
}

#: A VIN (17 characters) or a Japanese chassis number (e.g. ``ZVW30-1234567``).
VIN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{4,31}$"
