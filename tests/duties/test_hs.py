"""HS 8703 subheadings: the SQL expression and the Python function agree; mismatches flag."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zeromile.duties.hs import (
    hs_code_mismatch_sql,
    hs_subheading,
    hs_subheading_sql,
    normalise_hs_code,
)
from zeromile.duties.model import FUELS

BODIES = ("passenger", "commercial", "trailer", None)


@pytest.mark.parametrize(
    ("fuel", "cc", "expected"),
    [
        ("petrol", 1000, "8703.21"),
        ("petrol", 1001, "8703.22"),
        ("petrol", 1500, "8703.22"),
        ("petrol", 3000, "8703.23"),
        ("petrol", 3001, "8703.24"),
        ("lpg", 2000, "8703.23"),
        ("diesel", 1500, "8703.31"),
        ("diesel", 2500, "8703.32"),
        ("diesel", 2501, "8703.33"),
        ("hev", 1800, "8703.40"),
        ("phev", 1500, "8703.60"),
        ("bev", None, "8703.80"),
        ("fcev", None, "8703.80"),
        ("erev", 1500, None),
        ("petrol", None, None),
    ],
)
def test_subheading_breakpoints_follow_the_hs_texts(
    fuel: str, cc: int | None, expected: str | None
) -> None:
    assert hs_subheading("passenger", fuel, cc) == expected


def test_commercial_body_is_not_heading_8703() -> None:
    assert hs_subheading("commercial", "petrol", 2000) is None


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(BODIES),
            st.sampled_from((*FUELS, None)),
            st.one_of(st.none(), st.integers(min_value=0, max_value=8000)),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_sql_and_python_agree(rows: list[tuple[str | None, str | None, int | None]]) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE cars (i INTEGER, body VARCHAR, fuel VARCHAR, engine_cc INTEGER)")
    con.executemany("INSERT INTO cars VALUES (?, ?, ?, ?)", [(i, *r) for i, r in enumerate(rows)])
    got = con.execute(f"SELECT i, {hs_subheading_sql()} FROM cars ORDER BY i").fetchall()
    assert [g[1] for g in got] == [hs_subheading(*r) for r in rows]


def test_declared_code_contradicting_the_car_is_flagged_for_review() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE features (declaration_id VARCHAR, hs_code VARCHAR, body VARCHAR, "
        "fuel VARCHAR, engine_cc INTEGER)"
    )
    con.executemany(
        "INSERT INTO features VALUES (?, ?, ?, ?, ?)",
        [
            ("ok-dotted", "8703.23.01.90", "passenger", "petrol", 2500),
            ("ok-plain", "870323", "passenger", "petrol", 2500),
            ("wrong-size", "8703.22", "passenger", "petrol", 2500),
            ("ev-as-hybrid", "870340", "passenger", "bev", None),
            ("too-short", "8703", "passenger", "petrol", 2500),
            ("unknown-engine", "870321", "passenger", "petrol", None),
        ],
    )
    features = f"(SELECT *, {hs_subheading_sql()} AS hs_subheading FROM features)"
    found = con.execute(hs_code_mismatch_sql(features)).fetchall()
    assert sorted(r[0] for r in found) == ["ev-as-hybrid", "wrong-size"]
    assert {(r[1], r[2]) for r in found} == {("HS_CODE_MISMATCH", "review")}
    assert '"derived_subheading":"8703.23"' in next(r[4] for r in found if r[0] == "wrong-size")


@settings(max_examples=80, deadline=None)
@given(
    codes=st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet="0123456789. \tx", max_size=14),
            st.sampled_from(("8703.23", "870323", "8703.23x", "8703.2 3", "8703.23.01", "8703.2")),
        ),
        min_size=1,
        max_size=30,
    ),
    subheading=st.sampled_from(("8703.23", "8703.80", None)),
)
def test_mismatch_sql_follows_the_python_normalisation(
    codes: list[str | None], subheading: str | None
) -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE features (declaration_id VARCHAR, hs_code VARCHAR, hs_subheading VARCHAR, "
        "body VARCHAR, fuel VARCHAR, engine_cc INTEGER)"
    )
    con.executemany(
        "INSERT INTO features VALUES (?, ?, ?, NULL, NULL, NULL)",
        [(str(i), code, subheading) for i, code in enumerate(codes)],
    )
    found = {r[0] for r in con.execute(hs_code_mismatch_sql("features")).fetchall()}
    derived = subheading.replace(".", "") if subheading else None
    expected = {
        str(i)
        for i, code in enumerate(codes)
        if derived and normalise_hs_code(code) not in (None, derived)
    }
    assert found == expected
