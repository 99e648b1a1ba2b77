"""The standard extensions of a screening: the rulebook and the duties."""

from __future__ import annotations

from functools import cache

from zeromile.screening.pipeline import Extension


@cache
def rulebook_extension() -> Extension:
    """Rule findings from the packaged rulebook; decisions record its version.

    A rule's citation (title, instrument, sources) is the same in every
    finding of it, so the findings leave it out and the decisions join it
    back as they are written, instead of carrying it through the aggregation.

    The packaged data does not change while the process runs, so it is read
    and compiled once (the service screens many small batches).
    """
    from zeromile.rules import Rulebook

    book = Rulebook.load()
    return Extension(
        name="rulebook",
        version=book.version,
        findings=(book.findings_sql("features", cited=False),),
        citations=book.citations(),
        decision_columns=(f"'{book.version}' AS rulebook_version",),
    )


@cache
def duties_extension() -> Extension:
    """Duty totals where the destination has a schedule; duty and HS-code findings.

    The two costly stages of the duty computation are materialised once and
    shared by the totals and the findings; the rate lines are a reference
    table built once per process, not a literal planned by every query.
    """
    from zeromile.duties import Schedules
    from zeromile.duties._duckdb import RATE_LINES, rate_lines_table
    from zeromile.duties.fx import shipped_fx
    from zeromile.duties.hs import hs_code_mismatch_sql
    from zeromile.duties.sql import duty_findings_sql, duty_stages_sql, duty_totals_sql

    schedules = Schedules.load()
    lines = RATE_LINES
    stages = duty_stages_sql(schedules, "features", "fx_rates", rate_lines=lines)
    staged = "duty_stage"
    rates: list[tuple[object, ...]] = [(r.on, r.currency, r.per_eur) for r in shipped_fx()]
    return Extension(
        name="duties",
        version=schedules.version,
        steps=(
            (f"{staged}_base", stages["base"]),
            (f"{staged}_possible", stages["possible"]),
            (
                "duty_totals",
                duty_totals_sql(schedules, "features", "fx_rates", staged=staged, rate_lines=lines),
            ),
        ),
        findings=(
            duty_findings_sql(schedules, "features", "fx_rates", staged=staged, rate_lines=lines),
            hs_code_mismatch_sql("features"),
        ),
        decision_columns=(
            "duty_totals.duty_amount",
            "duty_totals.duty_currency",
            f"'{schedules.version}' AS schedules_version",
        ),
        joins=(("duty_totals", "duty_totals.declaration_id = x.declaration_id"),),
        reference={
            "fx_rates": (("date", "currency", "per_eur"), rates),
            lines: rate_lines_table(schedules),
        },
    )


def standard_extensions(*, rules: bool = True, duties: bool = True) -> list[Extension]:
    """The extensions a screening runs with by default."""
    out: list[Extension] = []
    if rules:
        out.append(rulebook_extension())
    if duties:
        out.append(duties_extension())
    return out


__all__ = ["duties_extension", "rulebook_extension", "standard_extensions"]
