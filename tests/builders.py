"""Build small dossiers in a temp folder, case by case (no hand-edited fixture files)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from zeromile.vin.checkdigit import with_check_digit

#: Real WMIs with valid check digits: SAIC (MG), Toyota Japan, Honda US.
MG_VIN = with_check_digit("LSJA24U60MG123456")
MG_VIN_2 = with_check_digit("LSJA24U60MG654321")
TOYOTA_VIN = with_check_digit("JTDBR32E020012345")
D0 = date(2024, 6, 1)


def day(offset: int) -> str:
    """ISO date ``offset`` days after D0."""
    return (D0 + timedelta(days=offset)).isoformat()


def declaration(**over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "declaration_id": "D1",
        "exporter_id": "E1",
        "vin": MG_VIN,
        "declaration_date": day(0),
        "origin": "CN",
        "destination": "RU",
        "declared_condition": "used",
        "declared_odometer_km": "",
    }
    row.update(over)
    return row


def vehicle(**over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "vin": MG_VIN,
        "make": "MG",
        "model": "ZS",
        "model_year": "2021",
        "fuel": "petrol",
        "engine_cc": "1500",
        "body": "passenger",
        "steering": "lhd",
    }
    row.update(over)
    return row


def registration(**over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "vin": MG_VIN,
        "event_date": day(-30),
        "country": "CN",
        "region": "CN-GD",
        "event": "first_registration",
        "owner_kind": "dealer",
        "owner_id": "DLR1",
    }
    row.update(over)
    return row


def reading(km: int, offset: int, source: str = "telematics", vin: str = MG_VIN) -> dict[str, Any]:
    return {"vin": vin, "reading_date": day(offset), "km": str(km), "source": source}


def exporter(**over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "exporter_id": "E1",
        "name": "Exporter One",
        "country": "CN",
        "region": "CN-GD",
        "licensed_from": day(-365),
        "licensed_to": day(365),
        "status": "active",
    }
    row.update(over)
    return row


def write_dossier(folder: Path, **tables: list[dict[str, Any]]) -> Path:
    """Write each table as ``<name>.csv`` with the union of its rows' keys as header."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        header: list[str] = []
        for row in rows:
            header += [k for k in row if k not in header]
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return folder
