"""Secrets at rest: API tokens as SHA-256 digests, passwords as argon2id hashes.

Tokens carry 256 bits from :mod:`secrets`, so a fast unsalted digest is enough
to make a stolen table useless (no dictionary to try); passwords are low-entropy
and get argon2's memory-hard hash instead.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

TOKEN_PREFIX = "zm_"  # noqa: S105 - a public prefix that makes leaked tokens greppable

_hasher = PasswordHasher()


def new_token() -> str:
    """A fresh bearer token; shown to its owner once, never stored in clear."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The digest stored in ``api_tokens.token_hash`` and looked up on each request."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_id() -> str:
    """A random 128-bit identifier in hex (users, tokens, reports, jobs)."""
    return secrets.token_hex(16)


def new_password() -> str:
    """A generated password for accounts created without one (demo, CLI)."""
    return secrets.token_urlsafe(12)


def hash_password(password: str) -> str:
    """argon2id hash with the library's current recommended parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; a malformed stored hash counts as a mismatch."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
