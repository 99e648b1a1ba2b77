"""The rate lines read from a registered table give exactly what the inline literal gives."""

from __future__ import annotations

from datetime import date

from tests.duties.conftest import CAR, features_table
from zeromile.duties import Schedules, _duckdb, duty_findings_sql, duty_lines_sql, duty_totals_sql
from zeromile.duties.rate_table import RATE_LINE_COLUMNS


def test_registered_rate_lines_hold_every_line_of_the_schedules(schedules: Schedules) -> None:
    table = _duckdb.rate_lines_table(schedules)
    expected = sum(1 for _ in schedules.lines())
    assert table.num_rows >= expected > 0
    assert _duckdb.rate_lines_table(schedules) is table  # built once per version
    assert table.column_names == [name for name, _ in RATE_LINE_COLUMNS]


def test_lines_totals_and_findings_match_the_inline_literal(schedules: Schedules) -> None:
    rows = [
        {**CAR, "declaration_id": f"d{i}", "destination": dest, "origin_of_goods": origin}
        for i, (dest, origin) in enumerate(
            [("US", "JP"), ("US", "CN"), ("RU", "CN"), ("KZ", "KR"), ("GB", "JP"), ("US", None)]
        )
    ]
    con = _duckdb.connect()
    try:
        _duckdb.bind_features_table(con, features_table(rows), "test")
        con.register(_duckdb.RATE_LINES, _duckdb.rate_lines_table(schedules))
        for builder in (duty_lines_sql, duty_totals_sql, duty_findings_sql):
            on = date(2025, 9, 16)
            inline = con.sql(f"SELECT * FROM ({builder(schedules, on=on)}) ORDER BY ALL").fetchall()
            named = con.sql(
                f"SELECT * FROM ({builder(schedules, on=on, rate_lines=_duckdb.RATE_LINES)}) "
                "ORDER BY ALL"
            ).fetchall()
            assert named == inline
            assert inline  # the comparison is not vacuous
    finally:
        con.close()
