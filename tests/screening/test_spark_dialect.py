"""Every screening step is written so that sqlglot can carry it to Spark SQL."""

from __future__ import annotations

import pytest
import sqlglot

from zeromile.screening.pipeline import screening_steps
from zeromile.screening.settings import ScreeningSettings
from zeromile.screening.standard import standard_extensions

STEPS = screening_steps(
    ScreeningSettings(),
    as_of=None,
    supplied=frozenset({"declarations", "vehicles", "registrations", "odometer"}),
    extensions=standard_extensions(),
)


@pytest.mark.parametrize(("name", "sql"), STEPS, ids=[name for name, _ in STEPS])
def test_step_transpiles_to_spark(name: str, sql: str) -> None:
    (spark,) = sqlglot.transpile(sql, read="duckdb", write="spark")
    assert spark.strip()
    sqlglot.parse_one(spark, read="spark")  # and Spark's grammar reads it back
