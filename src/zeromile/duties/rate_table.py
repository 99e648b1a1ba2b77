"""The schedules as one literal relation of rate lines, read by a single generic predicate.

A line that names its origins is repeated once per origin (column ``gate``),
so the join to the declarations is an equi-join on the origin and the
generic predicate runs only on lines that can concern the car.

Compiling each line into its own SELECT made the SQL grow with the data and
DuckDB spent seconds planning it; a relation of lines joined once to the
declarations keeps the SQL small and fixed, and the data stays data.
Sets of codes are strings ``',JP,KR,'`` searched with ``strpos``: per row
that is cheaper than materialising a list, and it transpiles to Spark as is.
"""

from __future__ import annotations

from zeromile.duties.hs import COMPRESSION_IGNITION, SPARK_IGNITION, subheadings_for_fuel
from zeromile.duties.model import AdValorem, Band, RateLine, Schedule
from zeromile.duties.schedules import Schedules
from zeromile.sqltext import sql_string

RATE_LINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("schedule_id", "VARCHAR"),
    ("rule_id", "VARCHAR"),
    ("layer", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("share", "DOUBLE"),
    ("amount", "DOUBLE"),
    ("min_per_cc", "DOUBLE"),
    ("line_currency", "VARCHAR"),
    ("counts_ad_valorem", "BOOLEAN"),
    ("quota_id", "VARCHAR"),
    ("quota_units", "INTEGER"),
    ("eff_from", "DATE"),
    ("eff_to", "DATE"),
    ("instrument", "VARCHAR"),
    ("source", "VARCHAR"),
    ("origins", "VARCHAR"),
    ("exclude_origins", "VARCHAR"),
    ("hs", "VARCHAR"),
    ("hs_any_cc_fuels", "VARCHAR"),
    ("cond", "VARCHAR"),
    ("fuels", "VARCHAR"),
    ("cc_over", "DOUBLE"),
    ("cc_up_to", "DOUBLE"),
    ("kw_over", "DOUBLE"),
    ("kw_up_to", "DOUBLE"),
    ("age_over", "DOUBLE"),
    ("age_up_to", "DOUBLE"),
    ("makers", "VARCHAR"),
    ("importer_kind", "VARCHAR"),
    ("value_currency", "VARCHAR"),
    ("value_over", "DOUBLE"),
    ("value_up_to", "DOUBLE"),
    ("gate", "VARCHAR"),
)


def _text(value: str | None) -> str:
    return "CAST(NULL AS VARCHAR)" if value is None else sql_string(value)


def _number(value: float | None) -> str:
    return "CAST(NULL AS DOUBLE)" if value is None else f"CAST({value!r} AS DOUBLE)"


def _list(values: tuple[str, ...] | None) -> str:
    """A set of codes as ``',A,B,'`` (tested with ``strpos``): cheaper per row than a list."""
    if values is None:
        return "CAST(NULL AS VARCHAR)"
    return sql_string("," + ",".join(values) + ",")


def _date(value: object) -> str:
    return "CAST(NULL AS DATE)" if value is None else f"DATE '{value}'"


def _band(band: Band | None) -> tuple[str, str]:
    if band is None:
        return _number(None), _number(None)
    return _number(band.over), _number(band.up_to)


def _any_cc_fuels(hs: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Fuels for which the line lists every subheading, so engine size is not needed."""
    if hs is None:
        return None
    return tuple(
        fuel
        for fuel in SPARK_IGNITION + COMPRESSION_IGNITION
        if set(subheadings_for_fuel(fuel)) <= set(hs)
    )


def _rows(schedule: Schedule, line: RateLine) -> list[str]:
    """One row per join gate: each listed origin, plus '?' (origin unknown), or '*' for all."""
    cells = _cells(schedule, line)
    gates = ("*",) if line.when.origins is None else (*line.when.origins, "?")
    return ["(" + ", ".join([*cells, sql_string(gate)]) + ")" for gate in gates]


def _cells(schedule: Schedule, line: RateLine) -> list[str]:
    rate = line.rate
    prov = line.provenance
    when = line.when
    instrument = prov.instrument.name + (
        f" {prov.instrument.number}" if prov.instrument.number else ""
    )
    percent = getattr(rate, "percent", None)
    amount = getattr(rate, "amount", None)
    cells = [
        _text(schedule.schedule_id),
        _text(line.id),
        _text(line.layer.value),
        _text(rate.kind),
        _number(None if percent is None else percent / 100),
        _number(amount),
        _number(getattr(rate, "min_per_cc", None)),
        _text(getattr(rate, "currency", None)),
        "TRUE" if isinstance(rate, AdValorem) else "FALSE",
        _text(line.quota.id if line.quota else None),
        f"CAST({line.quota.annual_units} AS INTEGER)" if line.quota else "CAST(NULL AS INTEGER)",
        _date(prov.effective_from.isoformat()),
        _date(prov.effective_to.isoformat() if prov.effective_to else None),
        _text(instrument),
        _text(str(prov.sources[0])),
        _list(when.origins),
        _list(when.exclude_origins or None),
        _list(when.hs),
        _list(_any_cc_fuels(when.hs)),
        _text(when.condition),
        _list(tuple(when.fuel) if when.fuel is not None else None),
        *_band(when.engine_cc),
        *_band(when.power_kw),
        *_band(when.age_years),
        _list(tuple(m.upper() for m in when.makers) if when.makers is not None else None),
        _text(when.importer_kind),
        _text(when.value.currency if when.value else None),
        *_band(when.value),
    ]
    return cells


def rate_lines_relation(schedules: Schedules) -> str:
    """A SELECT yielding one row per rate line of every schedule."""
    rows = ",\n    ".join(row for s, line in schedules.lines() for row in _rows(s, line))
    names = ", ".join(name for name, _ in RATE_LINE_COLUMNS)
    return f"SELECT * FROM (VALUES\n    {rows}\n  ) AS v({names})"
