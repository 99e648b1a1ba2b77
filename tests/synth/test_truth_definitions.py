"""The truth labels agree with each finding's definition, re-derived independently in SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from zeromile.synth import World
from zeromile.synth.catalogue import WMI_MAKES
from zeromile.synth.schema import TRUTH_FINDING_COLUMNS
from zeromile.vin.checkdigit import compute_check_digit

YEAR_CODES = "123456789ABCDEFGHJKLMNPRSTVWXY"

READINGS = """
    select vin, reading_date as day, km from odometer
    union all select vin, service_date, km from maintenance where km is not null
    union all select vin, inspection_date, odometer_km from inspections
        where odometer_km is not null
    union all select vin, declaration_date, declared_odometer_km from declarations
        where declared_odometer_km is not null
"""

DEFINITIONS = {
    "VIN_INVALID": """
        select d.declaration_id from declarations d
        where not regexp_full_match(d.vin, '[A-HJ-NPR-Z0-9]{17}')
          and not (regexp_full_match(d.vin, '[A-Z0-9]{2,7}-[0-9]{6,7}')
                   and exists (select 1 from registrations r
                               where r.vin = d.vin and r.country = 'JP'))""",
    "VIN_CHECK_DIGIT": """
        select d.declaration_id from declarations d join expected_check c using (vin)
        where regexp_full_match(d.vin, '[A-HJ-NPR-Z0-9]{17}')
          and regexp_matches(d.vin, '^[1-5L]') and substr(d.vin, 9, 1) <> c.digit""",
    "VIN_MAKE_MISMATCH": """
        select d.declaration_id from declarations d join vehicles v using (vin)
        join wmi w on w.wmi = substr(d.vin, 1, 3)
        where regexp_full_match(d.vin, '[A-HJ-NPR-Z0-9]{17}') and v.make <> w.make""",
    "VIN_YEAR_MISMATCH": f"""
        select d.declaration_id from declarations d join vehicles v using (vin)
        where regexp_full_match(d.vin, '[A-HJ-NPR-Z0-9]{{17}}')
          and substr(d.vin, 10, 1)
              <> substr('{YEAR_CODES}', ((v.model_year - 2001) % 30) + 1, 1)""",
    "ZERO_MILEAGE": f"""
        with readings as ({READINGS}),
        first_reg as (select vin, min(event_date) as day from registrations
                      where event = 'first_registration' group by vin)
        select d.declaration_id from declarations d join first_reg f using (vin)
        where d.declared_condition = 'used'
          and f.day <= d.declaration_date and d.declaration_date - f.day <= 365
          and (select max(km) from readings r
               where r.vin = d.vin and r.day <= d.declaration_date) <= 500""",
    "ODOMETER_ROLLBACK": f"""
        with readings as ({READINGS}),
        rolled as (select distinct b.vin from readings a join readings b
                   on a.vin = b.vin and a.day < b.day and b.km < a.km - 100)
        select declaration_id from declarations where vin in (select vin from rolled)""",
    "USED_NEVER_REGISTERED": """
        select d.declaration_id from declarations d
        where d.declared_condition = 'used' and not exists (
            select 1 from registrations r
            where r.vin = d.vin and r.event_date <= d.declaration_date)""",
    "EXPORTER_UNLICENSED": """
        select d.declaration_id from declarations d
        left join exporters e using (exporter_id)
        where e.exporter_id is null or e.status <> 'active'
           or d.declaration_date < e.licensed_from
           or (e.licensed_to is not null and d.declaration_date > e.licensed_to)""",
    "DUPLICATE_DECLARATION": """
        select distinct a.declaration_id from declarations a join declarations b
        on a.vin = b.vin and a.origin = b.origin and a.exporter_id <> b.exporter_id
           and abs(a.declaration_date - b.declaration_date) <= 90
           and a.declaration_id <> b.declaration_id""",
    "REEXPORT": """
        select distinct b.declaration_id from declarations a join declarations b
        on a.vin = b.vin and a.declaration_date < b.declaration_date
           and a.destination = b.origin""",
}


@pytest.fixture(scope="module")
def con(world: World, parquet_dir: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name in world.tables:
        path = parquet_dir / "dossier" / f"{name}.parquet"
        con.execute(f"create view {name} as select * from read_parquet('{path}')")
    con.execute(
        f"create view truth as select * from read_parquet('{parquet_dir / 'truth.parquet'}')"
    )
    vins = [
        r[0]
        for r in con.execute(
            "select distinct vin from declarations "
            "where regexp_full_match(vin, '[A-HJ-NPR-Z0-9]{17}')"
        ).fetchall()
    ]
    con.execute("create table expected_check (vin varchar, digit varchar)")
    con.executemany(
        "insert into expected_check values (?, ?)", [(v, compute_check_digit(v)) for v in vins]
    )
    con.execute("create table wmi (wmi varchar, make varchar)")
    con.executemany("insert into wmi values (?, ?)", list(WMI_MAKES.items()))
    return con


@pytest.mark.parametrize("code", TRUTH_FINDING_COLUMNS)
def test_truth_matches_definition(con: duckdb.DuckDBPyConnection, code: str) -> None:
    expected = {r[0] for r in con.execute(DEFINITIONS[code]).fetchall()}
    labelled = {
        r[0] for r in con.execute(f'select declaration_id from truth where "{code}"').fetchall()
    }
    assert expected, f"the world has no {code} case, so the check proves nothing"
    assert labelled == expected, (
        f"{code}: {len(labelled - expected)} labelled but not by definition "
        f"(e.g. {sorted(labelled - expected)[:3]}), {len(expected - labelled)} missed "
        f"(e.g. {sorted(expected - labelled)[:3]})"
    )


def test_zero_mileage_cars_are_not_trivially_the_rule(con: duckdb.DuckDBPyConnection) -> None:
    """Borderline used cars trip the rule and noisy zero-mileage cars escape it."""
    false_alarms, escapes = con.execute("""
        select count(*) filter (where ZERO_MILEAGE and not is_zero_mileage_car),
               count(*) filter (where is_zero_mileage_car and not ZERO_MILEAGE)
        from truth""").fetchone() or (0, 0)
    assert false_alarms > 0
    assert escapes > 0


def test_injected_anomalies_show_up_as_findings(con: duckdb.DuckDBPyConnection) -> None:
    pairs = {
        "rollback": "ODOMETER_ROLLBACK",
        "invalid_vin": "VIN_INVALID",
        "check_digit": "VIN_CHECK_DIGIT",
        "make_mismatch": "VIN_MAKE_MISMATCH",
        "year_mismatch": "VIN_YEAR_MISMATCH",
        "never_registered": "USED_NEVER_REGISTERED",
        "reexport": "REEXPORT",
    }
    for anomaly, code in pairs.items():
        injected, found = con.execute(f"""
            select count(*), count(*) filter (where "{code}") from truth
            where list_contains(string_split(anomaly, ';'), '{anomaly}')""").fetchone() or (0, 0)
        assert injected > 0, anomaly
        assert found >= 0.9 * injected, f"{anomaly}: only {found} of {injected} fire {code}"


def test_decoys_are_not_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    n, flagged = con.execute("""
        select count(*), count(*) filter (where DUPLICATE_DECLARATION) from truth
        where list_contains(string_split(anomaly, ';'), 'amendment_decoy')
           or list_contains(string_split(anomaly, ';'), 'late_redeclaration_decoy')
    """).fetchone() or (0, 0)
    assert n > 0
    assert flagged == 0
