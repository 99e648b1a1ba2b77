"""Dated exchange rates for duty conversion: ``date, currency, per_eur``.

``per_eur`` is the number of units of ``currency`` for one euro on ``date``,
the way the ECB publishes its reference rates; EUR itself is always 1. A
conversion uses the latest rate on or before the key date; a missing rate is
a ``DUTY_FX_MISSING`` finding, never a crash. Users supply their own table
(``--fx FILE``) with the same columns; the package ships a small cited ECB
table for the demo and the tests (``data/fx_rates.csv``). Lines starting with
``#`` are comments.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date
from importlib import resources

from zeromile.errors import DutyError

FX_COLUMNS = ("date", "currency", "per_eur")


@dataclass(frozen=True)
class FxRate:
    """One published rate."""

    on: date
    currency: str
    per_eur: float


def parse_fx_csv(text: str, *, name: str) -> list[FxRate]:
    """Parse and validate a rates table; errors name the file, line and field."""
    lines = [(no, line) for no, line in enumerate(text.splitlines(), start=1)]
    data = [(no, line) for no, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not data:
        raise DutyError(f"{name}: no rates (expected a header {','.join(FX_COLUMNS)})")
    header_no, header = data[0]
    columns = [c.strip().lower() for c in next(csv.reader([header]))]
    missing = [c for c in FX_COLUMNS if c not in columns]
    if missing:
        raise DutyError(f"{name}:{header_no}: header lacks column(s) {missing}, got {columns}")
    at = {c: columns.index(c) for c in FX_COLUMNS}
    rates: list[FxRate] = []
    for no, line in data[1:]:
        fields = next(csv.reader(io.StringIO(line)))
        rates.append(_parse_row(fields, at, f"{name}:{no}"))
    return rates


def _parse_row(fields: list[str], at: dict[str, int], where: str) -> FxRate:
    def get(column: str) -> str:
        index = at[column]
        if index >= len(fields):
            raise DutyError(f"{where}: field {column} is missing")
        return fields[index].strip()

    try:
        on = date.fromisoformat(get("date"))
    except ValueError as exc:
        raise DutyError(f"{where}: field date: expected YYYY-MM-DD, got {get('date')!r}") from exc
    currency = get("currency").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise DutyError(f"{where}: field currency: expected an ISO 4217 code, got {currency!r}")
    try:
        per_eur = float(get("per_eur"))
    except ValueError as exc:
        raise DutyError(
            f"{where}: field per_eur: expected a number, got {get('per_eur')!r}"
        ) from exc
    if not math.isfinite(per_eur) or per_eur <= 0:
        raise DutyError(f"{where}: field per_eur: expected a positive number, got {per_eur}")
    return FxRate(on=on, currency=currency, per_eur=per_eur)


def shipped_fx_text() -> str:
    """The package's small cited ECB table."""
    return resources.files("zeromile.duties").joinpath("data/fx_rates.csv").read_text("utf-8")


def shipped_fx() -> list[FxRate]:
    """The package's small cited ECB table, parsed."""
    return parse_fx_csv(shipped_fx_text(), name="zeromile/duties/data/fx_rates.csv")
