"""Malformed rows are few, recorded in the truth, and each breaks exactly one contract rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pycountry

from zeromile.synth import World
from zeromile.synth.schema import DOSSIER_SCHEMAS

ALPHA2 = {c.alpha_2 for c in pycountry.countries}


def _problems(row: dict[str, str]) -> list[str]:
    out = []
    if row["declared_condition"] not in {"used", "new"}:
        out.append("declared_condition")
    if row["destination"] not in ALPHA2:
        out.append("destination")
    if row["declared_odometer_km"] and int(row["declared_odometer_km"]) < 0:
        out.append("declared_odometer_km")
    if row["currency"] and row["currency"] not in {"USD"}:
        out.append("currency")
    if not row["vin"]:
        out.append("vin")
    try:
        dt.date.fromisoformat(row["declaration_date"])
    except ValueError:
        out.append("declaration_date")
    return out


def test_each_malformed_row_breaks_one_rule_and_no_other_row_does(
    csv_world: tuple[World, Path],
) -> None:
    generated, out = csv_world
    table = pacsv.read_csv(
        out / "dossier" / "declarations.csv",
        convert_options=pacsv.ConvertOptions(
            column_types={f.name: pa.string() for f in DOSSIER_SCHEMAS["declarations"]},
            strings_can_be_null=False,
        ),
    )
    malformed = generated.truth.column("malformed").to_pylist()
    assert sum(malformed) == generated.summary["malformed_rows"] > 0
    kinds = set()
    for row, bad in zip(table.to_pylist(), malformed, strict=True):
        problems = _problems(row)
        assert len(problems) == (1 if bad else 0), (row, problems)
        kinds.update(problems)
    assert "declaration_date" in kinds  # CSV worlds also carry impossible dates
