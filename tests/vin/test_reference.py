"""Reference tables: shape, keys, sources, and the package stays free of engines."""

from __future__ import annotations

import csv
import subprocess
import sys
from importlib import resources

from zeromile.vin import TRANSLITERATION, WEIGHTS
from zeromile.vin.reference import TABLE_NAMES, reference_tables
from zeromile.vin.syntax import VIN_ALPHABET


def test_every_table_has_its_documented_name_and_rectangular_rows() -> None:
    tables = reference_tables()
    assert tuple(tables) == TABLE_NAMES
    for name, (columns, rows) in tables.items():
        assert rows, name
        assert all(len(row) == len(columns) for row in rows), name


def test_wmi_table_keys_are_unique_three_vin_characters_with_a_source() -> None:
    columns, rows = reference_tables()["vin_wmi"]
    assert columns[:6] == ("wmi", "manufacturer", "make", "country", "country_reliable", "source")
    wmis = [row[0] for row in rows]
    assert len(wmis) == len(set(wmis))
    assert all(len(w) == 3 and set(w) <= set(VIN_ALPHABET) for w in wmis)
    assert all(row[5].startswith("https://") for row in rows)
    assert all(row[3] is None or len(row[3]) == 2 for row in rows)


def test_wmi_make_keys_are_unique_per_wmi_so_the_join_never_multiplies_rows() -> None:
    _, rows = reference_tables()["vin_wmi_make"]
    pairs = [(wmi, key) for wmi, _, key in rows]
    assert len(pairs) == len(set(pairs))


def test_year_codes_map_to_two_cycles() -> None:
    _, rows = reference_tables()["vin_year_code"]
    assert ("A", 1980) in rows and ("A", 2010) in rows and ("9", 2039) in rows
    assert len(rows) == 60


def test_check_digit_tables_are_the_checkdigit_constants() -> None:
    tables = reference_tables()
    assert dict(tables["vin_transliteration"][1]) == TRANSLITERATION
    assert [w for _, w in tables["vin_weight"][1]] == list(WEIGHTS)


def test_every_curated_row_cites_vpic() -> None:
    text = resources.files("zeromile.vin").joinpath("data", "wmi_overrides.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) >= 30
    assert all(r["source"].startswith("https://vpic.nhtsa.dot.gov/api/vehicles/") for r in rows)


def test_importing_the_vin_package_loads_no_engine() -> None:
    code = (
        "import sys, zeromile.vin, zeromile.vin.sql, zeromile.vin.reference;"
        "zeromile.vin.explain_vin('1FTFW5L86RFB45612');"
        "bad = [m for m in ('duckdb', 'fastapi', 'pyspark', 'typer') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
