"""What kind of identifier a string is: a 17-character VIN, a Japanese chassis number, or neither.

ISO 3779 fixes a VIN at 17 characters from the digits and the Latin capitals
without I, O and Q. Cars registered in Japan often carry no VIN but a chassis
(frame) number, the model code and a serial joined by a hyphen, e.g.
``ZVW30-1234567``; those are legitimate for a car registered in Japan only.

The same rules are written in SQL by :mod:`zeromile.vin.sql`; the constants
here are the single source for both, and a test keeps the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

VinKind = Literal["vin", "jp_chassis", "invalid"]

#: Characters allowed in a VIN (ISO 3779; 49 CFR 565).
VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
VIN_LENGTH = 17

#: Japanese chassis number: a model code of 2-7 capitals and digits starting
#: with a letter (``ZVW30``, ``NHP10``, ``GE6``, ``L375S``), a hyphen, and a
#: serial of 4-8 digits. Written without the grade prefix (``DBA-``).
JP_CHASSIS_PATTERN = "^[A-Z][A-Z0-9]{1,6}-[0-9]{4,8}$"

REASON_MISSING = "no identifier given"
REASON_CHASSIS_NOT_JP = (
    "looks like a Japanese chassis number, which is valid only for a car registered in Japan"
)
REASON_FORBIDDEN_LETTERS = "contains I, O or Q, which a VIN never uses"
REASON_BAD_CHARACTERS = "contains characters outside the VIN alphabet (0-9, A-Z without I, O, Q)"

_JP_CHASSIS_RE = re.compile(JP_CHASSIS_PATTERN)
_VIN_RE = re.compile(f"^[{VIN_ALPHABET}]{{{VIN_LENGTH}}}$")


def reason_wrong_length(length: int) -> str:
    """Reason text for a VIN of the wrong length (the SQL builds the same text)."""
    return f"has {length} characters, expected {VIN_LENGTH}"


def normalize_identifier(raw: str) -> str:
    """Trim spaces and upper-case each character, keeping the length.

    Mirrors DuckDB's ``upper(trim(x))``: only spaces are trimmed, and a
    character whose capital is longer (``ß``) is kept as it is.
    """
    trimmed = raw.strip(" ")
    return "".join(ch if len(up := ch.upper()) != 1 else up for ch in trimmed)


def normalize_country(raw: str | None) -> str | None:
    """Upper-cased, space-trimmed ISO code, or None."""
    return None if raw is None else normalize_identifier(raw)


@dataclass(frozen=True, slots=True)
class Classification:
    """The kind of an identifier and, when invalid, why."""

    normalized: str
    kind: VinKind
    invalid_reason: str | None


def is_jp_chassis_number(identifier: str) -> bool:
    """Whether the (normalized) identifier has the shape of a Japanese chassis number."""
    return _JP_CHASSIS_RE.fullmatch(identifier) is not None


def is_vin_syntax(identifier: str) -> bool:
    """Whether the (normalized) identifier is 17 characters of the VIN alphabet."""
    return _VIN_RE.fullmatch(identifier) is not None


def classify(raw: str | None, *, registration_country: str | None = None) -> Classification:
    """Classify an identifier as declared; never raises.

    The checks run in a fixed order so the first problem found is the one
    reported: missing, chassis number outside Japan, length, I/O/Q, other
    characters.
    """
    if raw is None:
        return Classification("", "invalid", REASON_MISSING)
    ident = normalize_identifier(raw)
    if ident == "":
        return Classification(ident, "invalid", REASON_MISSING)
    if is_jp_chassis_number(ident):
        if normalize_country(registration_country) == "JP":
            return Classification(ident, "jp_chassis", None)
        return Classification(ident, "invalid", REASON_CHASSIS_NOT_JP)
    if len(ident) != VIN_LENGTH:
        return Classification(ident, "invalid", reason_wrong_length(len(ident)))
    if any(ch in "IOQ" for ch in ident):
        return Classification(ident, "invalid", REASON_FORBIDDEN_LETTERS)
    if not is_vin_syntax(ident):
        return Classification(ident, "invalid", REASON_BAD_CHARACTERS)
    return Classification(ident, "vin", None)
