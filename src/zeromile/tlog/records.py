"""The public record of a screening decision and the salted commitment to the full record.

Each log entry is the RFC 8785 (JCS) canonical JSON of the public fields below. The
full decision row (declared value, evidence, importer data, ...) is never logged; the
entry carries ``commitment = sha256(salt || JCS(full record))`` with a fresh 32-byte
salt per entry, so the operator can open one entry to an auditor without revealing
others and without letting anyone guess low-entropy values. The privacy model is
written down in ``docs/transparency-log.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import rfc8785

from zeromile.errors import LogError
from zeromile.tlog import canonical as jcs

SCHEMA = "zeromile.decision/v1"
PUBLIC_FIELDS = (
    "declaration_id",
    "vin",
    "origin",
    "destination",
    "declaration_date",
    "exporter_id",
    "verdict",
    "findings",
    "zero_mileage",
    "rulebook_version",
)
REQUIRED = ("declaration_id", "vin", "origin", "destination", "declaration_date", "verdict")
VERDICTS = ("clear", "review", "refuse")
SALT_BYTES = 32


def to_json_value(value: Any, *, field: str) -> Any:
    """Convert a record value (dates, decimals, numpy scalars, lists) to plain JSON."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v, field=f"{field}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_json_value(v, field=field) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    item = getattr(value, "item", None)
    if callable(item):  # numpy and pyarrow scalars
        return to_json_value(item(), field=field)
    raise LogError(f"field {field!r}: cannot log a value of type {type(value).__name__}")


def canonical(value: Any, *, plain: bool = False) -> bytes:
    """JCS bytes; ``plain``: the value holds only what :func:`jcs.loads` returns."""
    try:
        return jcs.dumps_plain(value) if plain else jcs.dumps(value)
    except (rfc8785.CanonicalizationError, ValueError, TypeError) as exc:
        raise LogError(f"record cannot be canonicalised: {exc}") from exc


def _findings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return sorted({f.strip() for f in value.split(";") if f.strip()})
    if isinstance(value, list | tuple | set | frozenset):
        return sorted({str(f).strip() for f in value if str(f).strip()})
    raise LogError(
        f"field 'findings': expected a list or ';'-joined text, got {type(value).__name__}"
    )


def full_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The whole decision row as plain JSON, the thing the commitment binds."""
    return {str(k): to_json_value(v, field=str(k)) for k, v in record.items()}


@dataclass(frozen=True)
class FullRecord:
    """A decision row as plain JSON and its canonical bytes, made once per append."""

    fields: dict[str, Any]
    canonical: bytes

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> FullRecord:
        fields = full_record(record)
        return cls(fields, canonical(fields))

    @classmethod
    def parse(cls, text: str | bytes) -> FullRecord:
        """From a decision stored as JSON text: parsed and canonicalised without a walk."""
        try:
            fields = jcs.loads(text)
        except jcs.NotPlainError:  # an unusual number, NaN, or not JSON: the general path
            try:
                value = json.loads(text)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise LogError(f"stored decision is not JSON: {exc}") from exc
            return cls.of(_object(value))
        return cls(_object(fields), canonical(fields, plain=True))


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LogError(f"a decision must be a JSON object, not {type(value).__name__}")
    return value


@dataclass(frozen=True)
class PublicRecord:
    """What the world sees about one decision."""

    fields: dict[str, Any]

    def encode(self) -> bytes:
        # public_fields() makes strings, booleans, null and string lists; the index is an int
        return canonical(self.fields, plain=True)

    @property
    def declaration_id(self) -> str:
        return str(self.fields["declaration_id"])


def public_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise the public part of a decision row."""
    did = record.get("declaration_id", "?")
    for name in REQUIRED:
        if record.get(name) in (None, ""):
            raise LogError(f"declaration {did}: field {name!r} is required")
    verdict = str(record["verdict"]).lower()
    if verdict not in VERDICTS:
        raise LogError(
            f"declaration {did}: field 'verdict' is {verdict!r}, expected one of {VERDICTS}"
        )
    date = to_json_value(record["declaration_date"], field="declaration_date")
    try:
        dt.date.fromisoformat(str(date)[:10])
    except ValueError as exc:
        raise LogError(f"declaration {did}: field 'declaration_date' {date!r} is not ISO") from exc
    rulebook = record.get("rulebook_version")
    exporter = record.get("exporter_id")
    return {
        "declaration_id": str(record["declaration_id"]),
        "vin": str(record["vin"]).upper(),
        "origin": str(record["origin"]).upper(),
        "destination": str(record["destination"]).upper(),
        "declaration_date": str(date)[:10],
        "exporter_id": None if exporter is None else str(exporter),
        "verdict": verdict,
        "findings": _findings(record.get("findings")),
        "zero_mileage": bool(record.get("zero_mileage") or False),
        "rulebook_version": None if rulebook is None else str(rulebook),
    }


def commit(full: Mapping[str, Any] | FullRecord, salt: bytes) -> str:
    data = full.canonical if isinstance(full, FullRecord) else canonical(dict(full))
    return "sha256:" + hashlib.sha256(salt + data).hexdigest()


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def build_entry(
    record: Mapping[str, Any],
    *,
    salt: bytes,
    supersedes: int | None = None,
    full: FullRecord | None = None,
) -> PublicRecord:
    """The log entry for one decision row (``full``: its full record, if already made)."""
    fields: dict[str, Any] = {"schema": SCHEMA, **public_fields(record)}
    fields["commitment"] = commit(FullRecord.of(record) if full is None else full, salt)
    fields["supersedes"] = supersedes
    return PublicRecord(fields)


def decode_entry(entry: bytes, *, index: int | None = None) -> dict[str, Any]:
    """Parse a logged entry back into its public fields."""
    where = "entry" if index is None else f"entry {index}"
    try:
        value = json.loads(entry)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LogError(f"{where} is not JSON: {exc}") from exc
    if not isinstance(value, dict) or value.get("schema") != SCHEMA:
        raise LogError(f"{where} is not a {SCHEMA} record")
    missing = [f for f in (*PUBLIC_FIELDS, "commitment", "supersedes") if f not in value]
    if missing:
        raise LogError(f"{where} lacks fields {missing}")
    return value


def open_commitment(entry: Mapping[str, Any], full: Mapping[str, Any], salt: bytes) -> bool:
    """Does ``full`` with ``salt`` open the entry's commitment? (what an auditor checks)"""
    return bool(entry.get("commitment") == commit(full, salt))
