"""Duties and tariffs: cited, dated schedules as data, computed as set-based SQL.

    from zeromile.duties import Schedules, duty_lines_sql, duty_totals_sql
    schedules = Schedules.load()            # validated package data
    sql = duty_totals_sql(schedules)        # over relations `features` and `fx_rates`

``quote(features_row, on)`` prices one car through the same SQL on a one-row
DuckDB table; it imports DuckDB lazily, so importing this package does not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from zeromile.duties.fx import FxRate, parse_fx_csv, shipped_fx
from zeromile.duties.hs import hs_code_mismatch_sql, hs_subheading, hs_subheading_sql
from zeromile.duties.model import Layer, RateLine, Schedule, Valuation
from zeromile.duties.schedules import Schedules, parse_schedule
from zeromile.duties.sql import (
    QuotaUsage,
    duty_findings_sql,
    duty_lines_sql,
    duty_totals_sql,
    flow_comparison_sql,
)

if TYPE_CHECKING:
    from zeromile.duties._duckdb import Quote

__all__ = [
    "FxRate",
    "Layer",
    "QuotaUsage",
    "RateLine",
    "Schedule",
    "Schedules",
    "Valuation",
    "duty_findings_sql",
    "duty_lines_sql",
    "duty_totals_sql",
    "flow_comparison_sql",
    "hs_code_mismatch_sql",
    "hs_subheading",
    "hs_subheading_sql",
    "parse_fx_csv",
    "parse_schedule",
    "quote",
    "shipped_fx",
]


def quote(
    features_row: Mapping[str, Any],
    on: date | None = None,
    *,
    schedules: Schedules | None = None,
    fx: Sequence[FxRate] | None = None,
    quota_usage: QuotaUsage | None = None,
) -> Quote:
    """Price one car (a mapping of feature columns) on a date, default its import date."""
    from zeromile.duties._duckdb import quote as _quote

    return _quote(features_row, on, schedules=schedules, fx=fx, quota_usage=quota_usage)
