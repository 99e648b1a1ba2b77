"""Reading bulk uploads (CSV or Parquet in the dossier's columns) into checked rows.

Every bad row becomes a reject with the same columns the CLI reports
(``table, file, line, field, value, message``); good rows go on. Lines count
as in the file: a CSV's header is line 1, so its first row is line 2; a
Parquet file's first row is line 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from zeromile.errors import InvalidInputError
from zeromile.service.declaration_schema import DeclarationIn
from zeromile.service.routes import VIN_PATTERN

REJECT_COLUMNS = ("table", "file", "line", "field", "value", "message")
EVIDENCE_KINDS = ("registrations", "odometer", "maintenance")
_DATE_COLUMNS = ("date", "event_date", "reading_date", "service_date", "registration_date")


@dataclass
class Checked:
    filename: str
    good: list[tuple[int, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)


def read_rows(data: bytes, filename: str) -> tuple[list[dict[str, Any]], int]:
    """Rows of a CSV or Parquet upload and the line number of its first row.

    CSV goes through the standard library's reader: every value stays text, as
    the row model expects, and it is faster than building Arrow columns and
    converting them back to Python rows.
    """
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
            rows = [dict(row) for row in reader]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise _unreadable(filename, exc) from exc
        if reader.fieldnames is None:
            raise _unreadable(filename, ValueError("no header row"))
        for offset, row in enumerate(rows):
            if None in row:
                raise _unreadable(
                    filename, ValueError(f"line {offset + 2} has more fields than the header")
                )
        return rows, 2
    if name.endswith(".parquet"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            return pq.read_table(io.BytesIO(data)).to_pylist(), 1
        except (pa.ArrowInvalid, OSError) as exc:
            raise _unreadable(filename, exc) from exc
    raise InvalidInputError(
        f"{filename}: expected a .csv or .parquet file",
        fields=[{"field": "file", "message": "expected a .csv or .parquet file name"}],
    )


def _unreadable(filename: str, exc: Exception) -> InvalidInputError:
    return InvalidInputError(
        f"{filename}: cannot be read: {exc}",
        fields=[{"field": "file", "message": str(exc)}],
    )


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in row.items() if v is not None and v != ""}
    documents = cleaned.get("documents")
    if isinstance(documents, str):
        cleaned["documents"] = [d for d in documents.split(";") if d]
    return cleaned


def check_declarations(rows: list[dict[str, Any]], first_line: int, filename: str) -> Checked:
    """Validate each row with the same model as single submissions."""
    checked = Checked(filename)
    for offset, row in enumerate(rows):
        line = first_line + offset
        try:
            checked.good.append((line, DeclarationIn.model_validate(_clean(row))))
        except ValidationError as exc:
            for error in exc.errors():
                name = ".".join(str(p) for p in error["loc"]) or "row"
                checked.rejects.append(
                    reject("declarations", filename, line, name, row.get(name), error["msg"])
                )
    return checked


def check_evidence(
    kind: str, rows: list[dict[str, Any]], first_line: int, filename: str
) -> Checked:
    """Evidence rows need a VIN; their date is read from the first date-like column."""
    checked = Checked(filename)
    for offset, row in enumerate(rows):
        line = first_line + offset
        vin = row.get("vin")
        if not isinstance(vin, str) or not re.match(VIN_PATTERN, vin):
            checked.rejects.append(
                reject(kind, filename, line, "vin", vin, "expected a VIN or chassis number")
            )
            continue
        column = next((c for c in _DATE_COLUMNS if row.get(c) not in (None, "")), None)
        when: dt.date | None = None
        if column is not None:
            value = row[column]
            try:
                when = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            except ValueError:
                checked.rejects.append(
                    reject(kind, filename, line, column, value, "expected a date YYYY-MM-DD")
                )
                continue
        data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
        checked.good.append((line, (vin.upper(), when, data)))
    return checked


def reject(
    table: str, filename: str, line: int, field_name: str, value: Any, message: str
) -> dict[str, Any]:
    return {
        "table": table,
        "file": filename,
        "line": line,
        "field": field_name,
        "value": None if value is None else str(value),
        "message": message,
    }
