"""The duty SQL transpiles to Spark SQL, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from zeromile.duties import (
    Schedules,
    duty_findings_sql,
    duty_lines_sql,
    duty_totals_sql,
    flow_comparison_sql,
    hs_code_mismatch_sql,
)
from zeromile.duties.sql import to_spark


@pytest.mark.parametrize("builder", [duty_lines_sql, duty_totals_sql, duty_findings_sql])
def test_duty_sql_transpiles_to_spark(schedules: Schedules, builder: object) -> None:
    sql = builder(schedules, on=date(2025, 9, 16), quota_usage={("Q", 2025): 5})  # type: ignore[operator]
    spark = to_spark(sql)
    assert "MATERIALIZED" not in spark
    # Spark's own parser accepts the result.
    assert sqlglot.parse_one(spark, read="spark") is not None


def test_hs_and_comparison_sql_transpile_to_spark() -> None:
    for sql in (hs_code_mismatch_sql(), flow_comparison_sql("f", "a", "b")):
        sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)


def test_importing_duties_imports_no_engine() -> None:
    code = (
        "import sys, zeromile.duties; "
        "bad = [m for m in ('duckdb', 'fastapi', 'pyspark') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
