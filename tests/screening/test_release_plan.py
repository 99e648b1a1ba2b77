"""Intermediate tables are dropped after their last reader, and never before."""

from __future__ import annotations

import re

from zeromile.dossier.contract import TABLES
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


def test_the_screening_never_reads_a_dropped_table() -> None:
    steps = screening_steps(
        ScreeningSettings(),
        as_of=None,
        supplied=frozenset(TABLES),
        extensions=standard_extensions(),
    )
    plan = release_plan(steps, keep=frozenset({"decisions"}))
    views = {name: sql for name, sql in steps if is_view(name)}

    def reads(sql: str) -> str:
        used = [v for v in views if re.search(rf"\b{v}\b", sql)]
        return sql + " ".join(reads(views[v]) for v in used)

    dropped: set[str] = set()
    for (name, sql), released in zip(steps, plan, strict=True):
        text = reads(sql)
        read = {n for n in dropped if re.search(rf"\b{n}\b", text)}
        assert not read, f"step {name} reads dropped {read}"
        dropped |= set(released)
    assert not {"decisions", "s_decided"} & dropped  # the decisions view reads s_decided
    assert {"s_readings", "features", "s_findings"} <= dropped
