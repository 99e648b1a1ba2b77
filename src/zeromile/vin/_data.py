"""Read the CSV files shipped in ``zeromile/vin/data`` (package data, read once)."""

from __future__ import annotations

import csv
import io
from importlib import resources

from zeromile.errors import VinError


def read_rows(name: str, *, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a packaged CSV file; a missing column or empty required cell names file and line."""
    text = resources.files("zeromile.vin").joinpath("data", name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    missing = [col for col in required if col not in (reader.fieldnames or [])]
    if missing:
        raise VinError(f"{name}: missing column(s) {', '.join(missing)}")
    rows: list[dict[str, str]] = []
    for row in reader:
        for col in required:
            if not (row.get(col) or "").strip():
                raise VinError(f"{name}:{reader.line_num}: empty {col!r}")
        rows.append({key: (value or "").strip() for key, value in row.items()})
    return rows
