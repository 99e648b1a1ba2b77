"""Duties as set-based SQL over the ``features`` relation (DuckDB dialect, Spark-transpilable).

The pipeline, as common table expressions:

1. ``duty_decl``: declarations bound for an importer with a schedule, with the
   key date (``import_date``, or a date asked for) and the age in years;
2. ``duty_fx``: the latest rate on or before each key date, per currency, from
   a user-supplied table ``(date, currency, per_eur)``;
3. ``duty_base``: the declared value in the schedule's currency;
4. ``duty_possible``: one row per line that may apply (the declarations joined
   once to the literal relation of rate lines, :mod:`zeromile.duties.rate_table`),
   with the evidence and exchange rates it lacks;
5. quota allocation (a window over entries by key date, then declaration id,
   per quota year, seeded with units already used), then supersession
   (a line in force removes the lines it names), then top-ups.

Three public queries read these: :func:`duty_lines_sql`, :func:`duty_totals_sql`
and :func:`duty_findings_sql`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from zeromile.duties.comparison import flow_comparison_sql, to_spark
from zeromile.duties.hs import hs_unknown_sql
from zeromile.duties.predicates import AMOUNT, MISSING_EVIDENCE, MISSING_FX, POSSIBLE
from zeromile.duties.rate_table import rate_lines_relation
from zeromile.duties.schedules import Schedules
from zeromile.sqltext import sql_string

QuotaUsage = Mapping[tuple[str, int], int]
"""Units of a quota already used in a year before the entries given: ``{(quota_id, year): n}``."""

_LINE_COLUMNS = (
    "declaration_id, layer, component, rate, base, base_currency, amount, currency, "
    "schedule_id, rule_id, instrument, source"
)


def _values(rows: Sequence[Sequence[str]], columns: tuple[str, ...], types: tuple[str, ...]) -> str:
    """A literal relation; an empty one still has typed columns."""
    if not rows:
        nulls = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in zip(columns, types, strict=True))
        return f"SELECT {nulls} WHERE 1 = 0"
    body = ", ".join("(" + ", ".join(row) + ")" for row in rows)
    return f"SELECT * FROM (VALUES {body}) AS v({', '.join(columns)})"


def _rate_lines(schedules: Schedules, relation: str | None) -> str:
    """The rate lines: a relation holding them (see :func:`rate_lines_relation`), or the
    literal relation itself. Planning the literal costs about a quarter of a second
    each time, so a screening materialises it once and names it here."""
    return f"SELECT * FROM {relation}" if relation else rate_lines_relation(schedules)


def _key_date(on: date | None) -> str:
    return f"DATE '{on.isoformat()}'" if on is not None else "import_date"


def _rate_column(currency: str) -> str:
    return f"r_{currency.lower()}"


def _pick(column: str, currencies: list[str]) -> str:
    """The units per euro of a schedule-named currency, from the key date's wide row."""
    cases = " ".join(f"WHEN {sql_string(c)} THEN b.{_rate_column(c)}" for c in currencies)
    return f"(CASE {column} {cases} END)"


def _pipeline(
    schedules: Schedules,
    features: str,
    rates: str,
    on: date | None,
    quota_usage: QuotaUsage | None,
    staged: str | None = None,
    rate_lines: str | None = None,
) -> str:
    destinations = [
        (sql_string(dest), sql_string(s.schedule_id), sql_string(s.currency))
        for s in schedules
        for dest in s.destinations_or_importer()
    ]
    static = sorted(schedules.currencies() | {"EUR"})
    static_values = _values([(sql_string(c),) for c in static], ("currency",), ("VARCHAR",))
    pairs = [
        (sql_string(line.id), sql_string(target))
        for _, line in schedules.lines()
        for target in line.supersedes
    ]
    quotas = [
        (sql_string(qid), str(year), str(used))
        for (qid, year), used in sorted((quota_usage or {}).items())
    ]
    required = [
        (sql_string(s.schedule_id), sql_string(layer.value))
        for s in schedules
        for layer in s.required_layers
    ]
    dest_values = _values(
        destinations, ("destination", "schedule_id", "sched_currency"), ("VARCHAR",) * 3
    )
    quota_values = _values(
        quotas, ("quota_id", "quota_year", "used"), ("VARCHAR", "INTEGER", "INTEGER")
    )
    pair_values = _values(pairs, ("superseder", "superseded"), ("VARCHAR", "VARCHAR"))
    required_values = _values(required, ("schedule_id", "layer"), ("VARCHAR", "VARCHAR"))
    fx_wide = ", ".join(
        f"max(CASE WHEN currency = {sql_string(c)} THEN per_eur END) AS {_rate_column(c)}"
        for c in static
    )
    wide_cols = ", ".join(f"w.{_rate_column(c)}" for c in static)
    pick_line = _pick("l.line_currency", static)
    pick_value = _pick("l.value_currency", static)
    in_force = "b.key_date >= l.eff_from AND (l.eff_to IS NULL OR b.key_date <= l.eff_to)"
    eval_select = f"""  SELECT b.*, l.rule_id, l.layer, l.kind, l.share, l.amount AS line_amount,
         l.min_per_cc,
         l.line_currency, l.counts_ad_valorem, l.quota_id, l.quota_units, l.instrument, l.source,
         l.origins, l.exclude_origins, l.hs, l.cond, l.fuels, l.cc_over, l.cc_up_to,
         l.kw_over, l.kw_up_to, l.age_over, l.age_up_to, l.makers,
         l.importer_kind AS line_importer_kind, l.value_currency, l.value_over, l.value_up_to,
         {pick_line} AS r_line,
         CASE WHEN l.value_currency IS NULL THEN NULL
              WHEN b.currency = l.value_currency THEN b.declared_value
              ELSE b.declared_value / b.r_declared * {pick_value} END AS value_in_band,
         (coalesce(strpos(l.hs, b.hs_key) > 0, FALSE)
          OR (coalesce(b.body = 'passenger', FALSE)
              AND coalesce(strpos(l.hs_any_cc_fuels, b.fuel_key) > 0, FALSE))) AS hs_hit"""
    if staged is None:
        base_body = f"""  SELECT d.*, EXTRACT(YEAR FROM d.key_date) - d.model_year AS age_years,
         {hs_unknown_sql("d.body", "d.fuel", "d.engine_cc")} AS hs_unknown,
         xd.per_eur AS r_declared, xs.per_eur AS sched_per_eur, {wide_cols},
         CASE WHEN d.currency = d.sched_currency THEN d.declared_value
              ELSE d.declared_value / xd.per_eur * xs.per_eur END AS base
  FROM duty_decl AS d
  LEFT JOIN duty_fx AS xd ON xd.key_date = d.key_date AND xd.currency = d.currency
  LEFT JOIN duty_fx AS xs ON xs.key_date = d.key_date AND xs.currency = d.sched_currency
  LEFT JOIN duty_fx_wide AS w ON w.key_date = d.key_date"""
        possible_body = f"""  SELECT declaration_id, key_date, schedule_id, sched_currency, rule_id,
         layer, kind AS component,
         CAST(CASE WHEN kind = 'per_cc' THEN line_amount ELSE share END AS DOUBLE) AS rate,
         CAST(CASE kind WHEN 'per_cc' THEN CAST(engine_cc AS DOUBLE) WHEN 'fixed' THEN NULL
              ELSE base END AS DOUBLE) AS base,
         CAST(CASE kind WHEN 'per_cc' THEN 'cc' WHEN 'fixed' THEN NULL
              ELSE sched_currency END AS VARCHAR) AS base_currency,
         CAST({AMOUNT} AS DOUBLE) AS amount,
         counts_ad_valorem AS ad_valorem, quota_id, quota_units, instrument, source,
         {MISSING_EVIDENCE} AS missing_evidence,
         {MISSING_FX} AS missing_fx
  FROM duty_eval_needs
  WHERE {POSSIBLE}"""
    else:
        base_body = f"  SELECT * FROM {staged}_base"
        possible_body = f"  SELECT * FROM {staged}_possible"
    return f"""
duty_dest AS ({dest_values}),
duty_rate_lines AS ({_rate_lines(schedules, rate_lines)}),
duty_decl AS (
  SELECT f.declaration_id, f.destination, f.origin_of_goods, {_key_date(on)} AS key_date,
         f.declared_condition, f.declared_value, f.currency, f.importer_kind,
         upper(f.make) AS make_upper, f.make, f.model_year, f.fuel, f.engine_cc, f.power_kw,
         f.body, f.hs_subheading, d.schedule_id, d.sched_currency,
         ',' || f.origin_of_goods || ',' AS origin_key, ',' || f.fuel || ',' AS fuel_key,
         ',' || upper(f.make) || ',' AS make_key, ',' || f.hs_subheading || ',' AS hs_key,
         coalesce(f.origin_of_goods, '?') AS origin_gate
  FROM {features} AS f JOIN duty_dest AS d ON f.destination = d.destination
),
duty_fx_days AS (SELECT DISTINCT key_date FROM duty_decl),
duty_fx_currencies AS (
  SELECT DISTINCT currency FROM duty_decl WHERE currency IS NOT NULL
  UNION SELECT currency FROM ({static_values}) AS s
),
duty_fx_intervals AS (
  SELECT upper(currency) AS currency, CAST(date AS DATE) AS valid_from,
         lead(CAST(date AS DATE)) OVER (
           PARTITION BY upper(currency) ORDER BY CAST(date AS DATE)) AS valid_to,
         CAST(per_eur AS DOUBLE) AS per_eur
  FROM {rates}
),
duty_fx AS (
  SELECT k.key_date, c.currency,
         CASE WHEN c.currency = 'EUR' THEN 1.0 ELSE i.per_eur END AS per_eur
  FROM duty_fx_days AS k CROSS JOIN duty_fx_currencies AS c
  LEFT JOIN duty_fx_intervals AS i
    ON i.currency = c.currency AND i.valid_from <= k.key_date
   AND (i.valid_to IS NULL OR k.key_date < i.valid_to)
),
duty_fx_wide AS (SELECT key_date, {fx_wide} FROM duty_fx GROUP BY key_date),
duty_base AS MATERIALIZED (
{base_body}
),
duty_eval AS (
{eval_select}
  FROM duty_base AS b JOIN duty_rate_lines AS l
    ON l.schedule_id = b.schedule_id AND l.gate = b.origin_gate AND {in_force}
  UNION ALL
{eval_select}
  FROM duty_base AS b JOIN duty_rate_lines AS l
    ON l.schedule_id = b.schedule_id AND l.gate = '*' AND {in_force}
),
duty_eval_needs AS (
  SELECT *, (hs IS NOT NULL AND NOT hs_hit AND hs_unknown) AS hs_need FROM duty_eval
),
duty_possible AS MATERIALIZED (
{possible_body}
),
duty_hits AS (
  SELECT * FROM duty_possible WHERE missing_evidence IS NULL AND missing_fx IS NULL
),
duty_quota_prior AS ({quota_values}),
duty_quota_ranked AS (
  SELECT h.*, row_number() OVER (
           PARTITION BY h.quota_id, EXTRACT(YEAR FROM h.key_date)
           ORDER BY h.key_date, h.declaration_id) AS quota_seq
  FROM duty_hits AS h WHERE h.quota_id IS NOT NULL
),
duty_in_quota AS (
  SELECT * FROM duty_hits WHERE quota_id IS NULL
  UNION ALL
  SELECT r.declaration_id, r.key_date, r.schedule_id, r.sched_currency, r.rule_id, r.layer,
         r.component, r.rate, r.base, r.base_currency, r.amount, r.ad_valorem, r.quota_id,
         r.quota_units, r.instrument, r.source, r.missing_evidence, r.missing_fx
  FROM duty_quota_ranked AS r
  LEFT JOIN duty_quota_prior AS p
    ON p.quota_id = r.quota_id AND p.quota_year = EXTRACT(YEAR FROM r.key_date)
  WHERE r.quota_seq + coalesce(p.used, 0) <= r.quota_units
),
duty_pairs AS ({pair_values}),
duty_superseded AS (
  SELECT DISTINCT q.declaration_id, p.superseded
  FROM duty_in_quota AS q JOIN duty_pairs AS p ON q.rule_id = p.superseder
),
duty_applied AS (
  SELECT q.* FROM duty_in_quota AS q
  LEFT JOIN duty_superseded AS s
    ON s.declaration_id = q.declaration_id AND s.superseded = q.rule_id
  WHERE s.superseded IS NULL
),
duty_ad_valorem AS (
  SELECT declaration_id, sum(amount) AS ad_valorem_amount
  FROM duty_applied WHERE ad_valorem GROUP BY declaration_id
),
duty_lines AS (
  SELECT a.declaration_id, a.layer, a.component, a.rate, a.base, a.base_currency,
         round(CASE WHEN a.component = 'top_up_to'
                    THEN greatest(0.0, a.base * a.rate - coalesce(v.ad_valorem_amount, 0.0))
                    ELSE a.amount END, 2) AS amount,
         a.sched_currency AS currency, a.schedule_id, a.rule_id, a.instrument, a.source
  FROM duty_applied AS a LEFT JOIN duty_ad_valorem AS v ON v.declaration_id = a.declaration_id
),
duty_required AS ({required_values})"""


def duty_lines_sql(
    schedules: Schedules,
    features: str = "features",
    rates: str = "fx_rates",
    *,
    on: date | None = None,
    quota_usage: QuotaUsage | None = None,
    staged: str | None = None,
    rate_lines: str | None = None,
) -> str:
    """One row per duty line: ``(declaration_id, layer, component, rate, base,
    base_currency, amount, currency, schedule_id, rule_id, instrument, source)``.

    Amounts are in the schedule's currency, rounded to 2 decimals. ``on``
    replaces each declaration's ``import_date`` as the key date.
    """
    return (
        f"WITH {_pipeline(schedules, features, rates, on, quota_usage, staged, rate_lines)}\n"
        f"SELECT {_LINE_COLUMNS} FROM duty_lines ORDER BY declaration_id, layer, rule_id"
    )


def duty_totals_sql(
    schedules: Schedules,
    features: str = "features",
    rates: str = "fx_rates",
    *,
    on: date | None = None,
    quota_usage: QuotaUsage | None = None,
    staged: str | None = None,
    rate_lines: str | None = None,
) -> str:
    """Per declaration ``(declaration_id, duty_amount, duty_currency)``.

    One row per declaration bound for a destination with a schedule. The
    amount is NULL when a line that may apply could not be computed (missing
    evidence or exchange rate) or a required layer has no encoded rate: a
    partial sum would understate the duty.
    """
    return f"""WITH {_pipeline(schedules, features, rates, on, quota_usage, staged, rate_lines)},
duty_layers_seen AS (SELECT DISTINCT declaration_id, layer FROM duty_possible),
duty_blocked AS (
  SELECT declaration_id FROM duty_possible
  WHERE missing_evidence IS NOT NULL OR missing_fx IS NOT NULL
  UNION
  SELECT b.declaration_id FROM duty_base AS b
  JOIN duty_required AS r ON r.schedule_id = b.schedule_id
  LEFT JOIN duty_layers_seen AS s ON s.declaration_id = b.declaration_id AND s.layer = r.layer
  WHERE s.layer IS NULL
),
duty_sums AS (
  SELECT declaration_id, round(sum(amount), 2) AS total FROM duty_lines GROUP BY declaration_id
)
SELECT b.declaration_id,
       CASE WHEN k.declaration_id IS NULL THEN t.total END AS duty_amount,
       CASE WHEN k.declaration_id IS NULL AND t.total IS NOT NULL
            THEN b.sched_currency END AS duty_currency
FROM duty_base AS b
LEFT JOIN duty_sums AS t ON t.declaration_id = b.declaration_id
LEFT JOIN duty_blocked AS k ON k.declaration_id = b.declaration_id
ORDER BY b.declaration_id"""


def duty_findings_sql(
    schedules: Schedules,
    features: str = "features",
    rates: str = "fx_rates",
    *,
    on: date | None = None,
    quota_usage: QuotaUsage | None = None,
    staged: str | None = None,
    rate_lines: str | None = None,
) -> str:
    """Findings ``(declaration_id, code, severity, rule_id, evidence)`` of the duty computation.

    ``DUTY_MISSING_EVIDENCE`` (review): a line may apply but a feature it
    needs is missing. ``DUTY_FX_MISSING`` (info): an exchange rate on or before
    the key date is missing. ``DUTY_NO_RATE`` (info): the destination has a
    schedule but no encoded line of a required layer covers the car.
    """
    return f"""WITH {_pipeline(schedules, features, rates, on, quota_usage, staged, rate_lines)},
duty_layers_seen AS (SELECT DISTINCT declaration_id, layer FROM duty_possible)
SELECT declaration_id, 'DUTY_MISSING_EVIDENCE' AS code, 'review' AS severity, rule_id,
       CAST(to_json(struct_pack(missing := missing_evidence, schedule_id := schedule_id,
            key_date := CAST(key_date AS VARCHAR))) AS VARCHAR) AS evidence
FROM duty_possible WHERE missing_evidence IS NOT NULL
UNION ALL
SELECT declaration_id, 'DUTY_FX_MISSING' AS code, 'info' AS severity, rule_id,
       CAST(to_json(struct_pack(missing := missing_fx, schedule_id := schedule_id,
            key_date := CAST(key_date AS VARCHAR))) AS VARCHAR) AS evidence
FROM duty_possible WHERE missing_evidence IS NULL AND missing_fx IS NOT NULL
UNION ALL
SELECT b.declaration_id, 'DUTY_NO_RATE' AS code, 'info' AS severity,
       b.schedule_id || '.' || r.layer AS rule_id,
       CAST(to_json(struct_pack(layer := r.layer, destination := b.destination,
            origin_of_goods := b.origin_of_goods,
            key_date := CAST(b.key_date AS VARCHAR))) AS VARCHAR) AS evidence
FROM duty_base AS b JOIN duty_required AS r ON r.schedule_id = b.schedule_id
LEFT JOIN duty_layers_seen AS s ON s.declaration_id = b.declaration_id AND s.layer = r.layer
WHERE s.layer IS NULL"""


def duty_stages_sql(
    schedules: Schedules,
    features: str = "features",
    rates: str = "fx_rates",
    *,
    on: date | None = None,
    quota_usage: QuotaUsage | None = None,
    rate_lines: str | None = None,
) -> dict[str, str]:
    """SELECTs of the two costly stages, ``base`` and ``possible``, to materialise once.

    Store them as tables ``<prefix>_base`` and ``<prefix>_possible`` and pass
    ``staged=<prefix>`` to the lines, totals and findings queries: they then
    reuse the stages instead of recomputing them. Every query takes
    ``rate_lines=<relation>`` naming a relation that holds the rows of
    :func:`~zeromile.duties.rate_table.rate_lines_relation`; without it the
    literal relation is written into the query.
    """
    pipeline = _pipeline(schedules, features, rates, on, quota_usage, rate_lines=rate_lines)
    return {
        "base": f"WITH {pipeline}\nSELECT * FROM duty_base",
        "possible": f"WITH {pipeline}\nSELECT * FROM duty_possible",
    }


__all__ = [
    "QuotaUsage",
    "duty_findings_sql",
    "duty_lines_sql",
    "duty_stages_sql",
    "duty_totals_sql",
    "flow_comparison_sql",
    "to_spark",
]
