"""Every written table follows the dossier contract, in Parquet and in CSV."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pycountry
import pytest

from zeromile.synth import World
from zeromile.synth.schema import DOSSIER_SCHEMAS, TRUTH_SCHEMA

ENUMS = {
    ("declarations", "declared_condition"): {"used", "new"},
    ("declarations", "importer_kind"): {"legal_entity", "individual"},
    ("vehicles", "fuel"): {
        "petrol",
        "diesel",
        "hev",
        "phev",
        "bev",
        "erev",
        "fcev",
        "lpg",
        "cng",
        "other",
    },
    ("vehicles", "body"): {"passenger", "commercial", "trailer"},
    ("vehicles", "steering"): {"lhd", "rhd"},
    ("vehicles", "damage"): {"none", "flood", "fire", "salvage", "accident"},
    ("registrations", "event"): {"first_registration", "transfer", "deregistration"},
    ("registrations", "owner_kind"): {
        "manufacturer",
        "dealer",
        "trader",
        "exporter",
        "private",
        "fleet",
        "government",
    },
    ("odometer", "source"): {
        "registration",
        "maintenance",
        "inspection",
        "declaration",
        "telematics",
        "other",
    },
    ("inspections", "result"): {"pass", "fail"},
    ("exporters", "status"): {"active", "suspended", "revoked"},
}
COUNTRY_COLUMNS = [
    ("declarations", "origin"),
    ("declarations", "destination"),
    ("vehicles", "built_in"),
    ("registrations", "country"),
    ("exporters", "country"),
    ("inspectors", "country"),
]
CURRENCY_COLUMNS = [("declarations", "currency"), ("vehicles", "msrp_currency")]
ALPHA2 = {c.alpha_2 for c in pycountry.countries}
ISO4217 = {c.alpha_3 for c in pycountry.currencies}


def _distinct(table: pa.Table, column: str) -> set[str]:
    return {v for v in pc.unique(table.column(column)).to_pylist() if v is not None}


@pytest.mark.parametrize("name", sorted(DOSSIER_SCHEMAS))
def test_parquet_table_matches_contract(parquet_dir: Path, name: str) -> None:
    table = pq.read_table(parquet_dir / "dossier" / f"{name}.parquet")
    contract = DOSSIER_SCHEMAS[name]
    assert table.schema.names == contract.names
    for field in contract:
        assert table.schema.field(field.name).type == field.type, field.name
        if not field.nullable:
            assert table.column(field.name).null_count == 0, field.name
    assert table.num_rows > 0


@pytest.mark.parametrize(("name", "column"), sorted(ENUMS))
def test_enum_columns_hold_contract_values(world: World, name: str, column: str) -> None:
    assert _distinct(world.tables[name], column) <= ENUMS[(name, column)]


@pytest.mark.parametrize(("name", "column"), COUNTRY_COLUMNS)
def test_countries_are_iso_alpha2(world: World, name: str, column: str) -> None:
    assert _distinct(world.tables[name], column) <= ALPHA2


@pytest.mark.parametrize(("name", "column"), CURRENCY_COLUMNS)
def test_currencies_are_iso4217(world: World, name: str, column: str) -> None:
    assert _distinct(world.tables[name], column) <= ISO4217


def test_regions_are_iso_3166_2(world: World) -> None:
    known = {s.code for s in pycountry.subdivisions}
    for name in ("registrations", "exporters"):
        assert _distinct(world.tables[name], "region") <= known


def test_engine_size_is_empty_exactly_for_bev(world: World) -> None:
    v = world.tables["vehicles"]
    bev = pc.equal(v.column("fuel"), "bev").to_numpy(zero_copy_only=False)
    empty = v.column("engine_cc").is_null().to_numpy(zero_copy_only=False)
    assert (bev == empty).all()


def test_truth_schema_and_one_row_per_declaration(parquet_dir: Path) -> None:
    truth = pq.read_table(parquet_dir / "truth.parquet")
    assert truth.schema.names == TRUTH_SCHEMA.names
    declarations = pq.read_table(parquet_dir / "dossier" / "declarations.parquet")
    assert truth.column("declaration_id").equals(declarations.column("declaration_id"))
    assert pc.count_distinct(truth.column("declaration_id")).as_py() == truth.num_rows


def test_world_json_records_seed_scale_rows_and_rates(world: World, parquet_dir: Path) -> None:
    summary = json.loads((parquet_dir / "world.json").read_text())
    assert summary["seed"] == 5
    assert summary["scale"] == 0.01
    assert summary["rows"] == {n: t.num_rows for n, t in world.tables.items()}
    assert summary["anomaly_rates"]["rollback"] == 0.05


@pytest.mark.parametrize("name", sorted(DOSSIER_SCHEMAS))
def test_csv_table_has_contract_header_and_parses(csv_world: tuple[World, Path], name: str) -> None:
    generated, out = csv_world
    path = out / "dossier" / f"{name}.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.replace('"', "").split(",") == DOSSIER_SCHEMAS[name].names
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={f.name: pa.string() for f in DOSSIER_SCHEMAS[name]}
        ),
    )
    assert table.num_rows == generated.tables[name].num_rows
    dates = [f.name for f in DOSSIER_SCHEMAS[name] if f.type == pa.date32()]
    malformed = generated.truth.column("malformed").to_numpy(zero_copy_only=False)
    for column in dates:
        values = table.column(column).to_pylist()
        if name == "declarations":
            values = [v for v, bad in zip(values, malformed, strict=True) if not bad]
        for value in values:
            if value:
                dt.date.fromisoformat(value)
