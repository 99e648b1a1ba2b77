"""The cheap bad-row test of each text column agrees with its problem message."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zeromile.dossier.contract import READING_SOURCES, Column, Kind
from zeromile.dossier.validation import column_check

COLUMNS = [
    Column("c", kind, required=required, values=READING_SOURCES if kind is Kind.ENUM else ())
    for kind in (Kind.TEXT, Kind.VIN, Kind.ID, Kind.ENUM)
    for required in (True, False)
] + [Column("c", Kind.CODES, required=False)]

#: Values near every edge: blanks, padding, the length limit, enum case and padding.
values = st.one_of(
    st.none(),
    st.text(alphabet=" ab!\t\x1f\u00e9;", max_size=8),
    st.lists(st.sampled_from(["a" * 64, "b" * 65, " c ", "", "\u00e9" * 40]), max_size=4).map(
        ";".join
    ),
    st.builds(
        lambda pad_left, body, pad_right: " " * pad_left + body + " " * pad_right,
        st.integers(0, 2),
        st.one_of(
            st.sampled_from([*READING_SOURCES, "Telematics", "MAINTENANCE", ""]),
            st.builds(lambda n, ch: ch * n, st.integers(60, 68), st.sampled_from(["x", "\u00e9"])),
        ),
        st.integers(0, 2),
    ),
)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: f"{c.kind.value}-{c.required}")
@settings(max_examples=150, deadline=None)
@given(value=values)
def test_flag_is_true_exactly_when_there_is_a_problem(
    con: duckdb.DuckDBPyConnection, column: Column, value: str | None
) -> None:
    check = column_check(column, "VARCHAR")
    assert check.flag, "text columns of these kinds have a cheap test"
    flag, problem = con.execute(
        f"SELECT coalesce({check.flag}, FALSE), {check.problem} FROM (SELECT CAST(? AS VARCHAR) AS c)",
        [value],
    ).fetchone() or (None, None)
    assert flag is (problem is not None), (value, problem)
