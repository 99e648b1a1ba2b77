"""JSON Schema (draft 2020-12) of each dossier table's rows, from the contract.

Values are described as they appear in a CSV cell (text), which is also what
Parquet string columns hold; typed Parquet columns need only match the type.
"""

from __future__ import annotations

from typing import Any

from zeromile.dossier.contract import Column, Kind, Table

_PATTERNS: dict[Kind, tuple[str, str]] = {
    Kind.INT: ("^[0-9]+$", "whole number >= 0"),
    Kind.YEAR: ("^(19[5-9][0-9]|20[0-9][0-9]|2100)$", "model year 1950-2100"),
    Kind.FLOAT: (r"^[+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$", "number >= 0"),
    Kind.PERCENT: (r"^([0-9]+\.?[0-9]*|\.[0-9]+)$", "percentage 0-100"),
    Kind.DATE: ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "ISO 8601 date YYYY-MM-DD"),
    Kind.COUNTRY: ("^[A-Za-z]{2}$", "ISO 3166-1 alpha-2 country code"),
    Kind.REGION: ("^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$", "ISO 3166-2 subdivision code"),
    Kind.CURRENCY: ("^[A-Za-z]{3}$", "ISO 4217 currency code"),
    Kind.LOCODE: ("^[A-Za-z]{2} ?[A-Za-z2-9]{3}$", "UN/LOCODE"),
    Kind.CODES: ("^[^;]+(;[^;]*)*$", "semicolon-separated codes"),
}


def column_schema(col: Column) -> dict[str, Any]:
    """Schema of one cell."""
    schema: dict[str, Any] = {"type": "string"}
    if col.kind is Kind.ENUM:
        schema["enum"] = list(col.values)
    elif col.kind in _PATTERNS:
        pattern, what = _PATTERNS[col.kind]
        schema["pattern"] = pattern
        schema["description"] = what
    elif col.kind is Kind.ID:
        schema["maxLength"] = 64
        schema["minLength"] = 1
    else:
        schema["minLength"] = 1
    if col.doc:
        schema["description"] = (schema.get("description", "") + ". " + col.doc).lstrip(". ")
    if not col.required:
        schema = {"anyOf": [schema, {"type": "string", "maxLength": 0}, {"type": "null"}]}
    return schema


def table_schema(table: Table) -> dict[str, Any]:
    """Schema of one row of ``table``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"zeromile dossier: {table.name}",
        "description": table.doc,
        "type": "object",
        "properties": {c.name: column_schema(c) for c in table.columns},
        "required": list(table.required_columns),
    }
