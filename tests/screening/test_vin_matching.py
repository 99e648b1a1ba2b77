"""A reading counts for its car however its VIN is written, from CSV and Parquet alike.

Tables read in place from Parquet match each VIN as given first and clean
only the ones that do not match; tables loaded from CSV hold clean VINs.
Both must give the same facts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.builders import (
    MG_VIN,
    MG_VIN_2,
    TOYOTA_VIN,
    day,
    declaration,
    reading,
    registration,
    vehicle,
    write_dossier,
)
from zeromile.engines.duckdb_engine import DuckDBEngine
from zeromile.screening import Screening

TABLES: dict[str, list[dict[str, Any]]] = {
    "declarations": [
        declaration(declaration_id="D1", vin=MG_VIN),
        declaration(declaration_id="D2", vin=f" {MG_VIN_2.lower()} "),
    ],
    "vehicles": [vehicle(vin=MG_VIN), vehicle(vin=MG_VIN_2)],
    "registrations": [registration(vin=MG_VIN), registration(vin=MG_VIN_2)],
    "odometer": [
        reading(100, -20, vin=MG_VIN),
        reading(300, -10, vin=MG_VIN.lower()),
        reading(200, -5, vin=f"  {MG_VIN}"),
        reading(700, -8, vin=MG_VIN_2),
        reading(9_000, -3, vin=TOYOTA_VIN),  # a car nobody declared
    ],
    "maintenance": [
        {"vin": f"{MG_VIN_2.lower()} ", "service_date": day(-4), "km": "650"},
        {"vin": TOYOTA_VIN.lower(), "service_date": day(-4), "km": "9100"},
    ],
}


def _facts(folder: Path) -> tuple[dict[str, dict[str, Any]], frozenset[str]]:
    run = Screening.open(folder, engine=DuckDBEngine(threads=2))
    try:
        run.screen()
        rows = run.decisions().to_pylist()
        shown = run.load.vin_as_given()
    finally:
        run.close()
    return {r["declaration_id"]: json.loads(r["evidence"])["facts"] for r in rows}, shown


def _as_parquet(csv_folder: Path, out: Path) -> Path:
    out.mkdir()
    for name, rows in TABLES.items():
        columns = {key: [str(r.get(key, "")) for r in rows] for key in rows[0]}
        pq.write_table(pa.table(columns), out / f"{name}.parquet", row_group_size=2)
    assert sorted(p.stem for p in out.iterdir()) == sorted(p.stem for p in csv_folder.iterdir())
    return out


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("vins")
    csv_folder = write_dossier(base / "csv", **TABLES)
    return csv_folder, _as_parquet(csv_folder, base / "parquet")


def test_parquet_evidence_is_matched_on_the_vin_as_given(folders: tuple[Path, Path]) -> None:
    csv_folder, parquet_folder = folders
    assert _facts(csv_folder)[1] == frozenset()
    assert {"odometer", "maintenance", "registrations"} <= _facts(parquet_folder)[1]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_spelling_of_a_vin_reaches_its_car(folders: tuple[Path, Path], fmt: str) -> None:
    facts, _ = _facts(folders[0] if fmt == "csv" else folders[1])
    assert (facts["D1"]["readings"], facts["D1"]["max_km"]) == (3, 300)
    assert (facts["D2"]["readings"], facts["D2"]["max_km"]) == (2, 700)
    assert facts["D2"]["maintenance_count"] == 1
