"""Intermediate tables are dropped after their last reader, and never before."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from zeromile.dossier.contract import TABLES
from zeromile.engines.duckdb_engine import DuckDBEngine
from zeromile.screening.pipeline import is_view, release_plan, screening_steps
from zeromile.screening.settings import ScreeningSettings
from zeromile.screening.standard import standard_extensions


def test_a_table_read_through_a_view_lives_until_the_view_is_read() -> None:
    steps = [
        ("a", "SELECT 1 AS x"),
        ("b_view", "SELECT x FROM a"),
        ("c", "SELECT 2 AS y"),
        ("d", "SELECT x FROM b_view"),
        ("out", "SELECT * FROM d, c"),
    ]
    plan = release_plan(steps, keep=frozenset({"out"}))
    assert plan == [[], [], [], ["a"], ["c", "d"]]


def test_what_a_kept_view_reads_is_kept() -> None:
    steps = [("a", "SELECT 1 AS x"), ("b", "SELECT 2 AS y"), ("decisions", "SELECT x FROM a")]
    plan = release_plan(steps, keep=frozenset({"decisions"}))
    assert plan == [[], ["b"], []]


def test_names_match_whole_identifiers_only() -> None:
    steps = [("s_vin", "SELECT 1"), ("s_vins", "SELECT 2"), ("out", "SELECT * FROM s_vins")]
    plan = release_plan(steps, keep=frozenset({"out"}))
    assert plan[0] == ["s_vin"]  # never read: dropped at once
    assert plan[2] == ["s_vins"]


def test_a_name_inside_a_string_literal_is_no_read() -> None:
    steps = [("a", "SELECT 1"), ("out", "SELECT 'from a' AS x, 'it''s a' AS y")]
    assert release_plan(steps, keep=frozenset({"out"}))[0] == ["a"]


def test_loaded_tables_go_after_their_last_reader_and_unread_ones_at_once() -> None:
    steps = [
        ("a", "SELECT * FROM declarations"),
        ("b_view", "SELECT * FROM vehicles"),
        ("c", "SELECT * FROM a, b_view"),
        ("out", "SELECT * FROM c"),
    ]
    inputs = ("declarations", "vehicles", "inspectors")
    plan = release_plan(steps, keep=frozenset({"out"}), inputs=inputs)
    assert plan == [["declarations", "inspectors"], [], ["vehicles", "a"], ["c"]]


def test_a_loaded_table_a_kept_view_reads_stays() -> None:
    steps = [("a", "SELECT 1 AS x"), ("decisions", "SELECT * FROM a, vehicles")]
    plan = release_plan(steps, keep=frozenset({"decisions"}), inputs=("vehicles",))
    assert plan == [[], []]


def test_dropping_leaves_views_alone() -> None:
    engine = DuckDBEngine(threads=1)
    try:
        engine.run([("t", "SELECT 1 AS x")])
        engine.run([("v", "SELECT x FROM t")], view=True)
        engine.drop(["v", "absent"])
        assert engine.rows("SELECT x FROM v") == [(1,)]
        engine.drop(["t"])
        assert not engine.rows("SELECT * FROM duckdb_tables() WHERE table_name = 't'")
    finally:
        engine.close()


def test_the_screening_never_reads_a_dropped_table() -> None:
    steps = screening_steps(
        ScreeningSettings(),
        as_of=None,
        supplied=frozenset(TABLES),
        extensions=standard_extensions(),
    )
    plan = release_plan(steps, keep=frozenset({"decisions"}), inputs=tuple(TABLES))
    views = {name: sql for name, sql in steps if is_view(name)}

    def reads(sql: str) -> set[str]:
        """Tables the SQL reads, through views too, as the parser sees them."""
        tables = {t.name for t in sqlglot.parse_one(sql, read="duckdb").find_all(exp.Table)}
        return tables.union(*(reads(views[v]) for v in tables & set(views)))

    dropped: set[str] = set()
    for (name, sql), released in zip(steps, plan, strict=True):
        read = dropped & reads(sql)
        assert not read, f"step {name} reads dropped {read}"
        dropped |= set(released)
    assert not {"decisions", "s_decided"} & dropped  # the decisions view reads s_decided
    assert {"s_readings", "features", "s_findings"} <= dropped
    assert set(TABLES) <= dropped  # the loaded tables too, once read
