"""Set-based SQL that gathers, per declaration, the evidence the checks need.

Each step is a ``(name, SELECT)`` pair the engine materialises in order; the
SQL is DuckDB's dialect kept to constructs Spark SQL also has (transpiled by
sqlglot). Evidence is cut at each declaration's date (and at ``as_of`` when
given): a screening never looks at what was not known when the car left.
"""

from __future__ import annotations

from datetime import date

from zeromile.dossier.contract import READING_SOURCES
from zeromile.dossier.validation import VIN_AS_GIVEN, normalised_vin
from zeromile.screening.score import score_sql
from zeromile.screening.settings import ScreeningSettings

Step = tuple[str, str]

#: Where a reading comes from, by its one-byte code: the odometer table's
#: sources, then the other tables that carry a distance.
READING_VIA: tuple[str, ...] = (
    *(f"odometer ({source})" for source in READING_SOURCES),
    "maintenance",
    "inspection",
    "declaration",
)
MAINTENANCE = READING_VIA.index("maintenance")
INSPECTION = READING_VIA.index("inspection")
DECLARATION = READING_VIA.index("declaration")


def _via(code: str, declaration_id: str) -> str:
    """The source of a reading as text; a declared reading names its declaration."""
    named = " ".join(
        f"WHEN {i} THEN '{name}'" for i, name in enumerate(READING_VIA) if i != DECLARATION
    )
    return f"CASE {code} WHEN {DECLARATION} THEN 'declaration ' || {declaration_id} {named} END"


def _day(expr: str) -> str:
    """Days since 1970-01-01, so windows can range over whole days on any engine."""
    return f"date_diff('day', DATE '1970-01-01', {expr})"


def evidence_steps(
    settings: ScreeningSettings,
    *,
    as_of: date | None,
    supplied: frozenset[str],
    vin_as_given: frozenset[str] = frozenset(),
) -> list[Step]:
    """The steps up to ``s_facts_view``: one row per declaration with every fact.

    ``vin_as_given`` names the loaded tables that also show each VIN as the
    file gives it (``VIN_AS_GIVEN``).
    """
    as_of_sql = f"DATE '{as_of.isoformat()}'" if as_of else None
    cut = f"least(d.declaration_date, {as_of_sql})" if as_of_sql else "d.declaration_date"

    def known(col: str) -> str:
        return f" AND {col} <= {as_of_sql}" if as_of_sql else ""

    def supplied_flag(table: str) -> str:
        return "TRUE" if table in supplied else "FALSE"

    def given(table: str) -> str:
        return VIN_AS_GIVEN if table in vin_as_given else "vin"

    decl = f"""
SELECT d.declaration_id, d.exporter_id, d.vin, d.declaration_date, d.origin, d.destination,
       d.declared_condition, d.declared_odometer_km, d.declared_value, d.currency, d.hs_code,
       d.port_of_exit, d.arrival_date, d.importer_kind,
       coalesce(d.documents, CAST([] AS VARCHAR[])) AS documents,
       coalesce(d.arrival_date, d.declaration_date) AS import_date,
       {cut} AS cut_date,
       v.vin IS NOT NULL AS has_vehicle, v.make, v.model, v.model_year, v.built_in, v.fuel,
       v.engine_cc, v.power_kw, v.body, v.steering, v.damage, v.msrp, v.msrp_currency
FROM declarations d LEFT JOIN vehicles v ON v.vin = d.vin"""

    # A view over the evidence where it lies, copied once, keyed, for all the
    # work. Each reading carries a one-byte code of where it comes from
    # (:data:`READING_VIA`), so evidence names its source without a second scan,
    # and its VIN as given where the table shows it (else the clean VIN).
    odometer_via = " ".join(
        f"WHEN '{source}' THEN {READING_VIA.index(f'odometer ({source})')}"
        for source in READING_SOURCES
    )
    readings = f"""
SELECT {given("odometer")} AS vin, reading_date AS d, km,
       CAST(CASE source {odometer_via} END AS UTINYINT) AS src
FROM odometer WHERE TRUE{known("reading_date")}
UNION ALL SELECT {given("maintenance")}, service_date, km, CAST({MAINTENANCE} AS UTINYINT)
  FROM maintenance WHERE TRUE{known("service_date")}
UNION ALL SELECT {given("inspections")}, inspection_date, odometer_km, CAST({INSPECTION} AS UTINYINT)
  FROM inspections
  WHERE odometer_km IS NOT NULL{known("inspection_date")}
UNION ALL SELECT vin, declaration_date, declared_odometer_km, CAST({DECLARATION} AS UTINYINT)
  FROM s_decl WHERE declared_odometer_km IS NOT NULL{known("declaration_date")}"""

    tolerance = settings.rollback_tolerance_km
    # Each declared car gets a small integer key, and its readings are copied
    # once as (key, date, km, source): the sort behind the running maximum and
    # the joins behind each declaration's figures then work on fixed-width
    # values, and readings of cars nobody declared drop out early. A VIN given
    # clean matches as it is; only the others are cleaned (upper case, no
    # padding) and matched again: cleaning 30M VINs would cost more than the
    # join. A clean VIN that did not match would not match cleaned either.
    vins = """
SELECT vin, CAST(row_number() OVER (ORDER BY vin) AS INTEGER) AS k
FROM (SELECT DISTINCT vin FROM s_decl)"""

    keyed_readings = f"""
SELECT coalesce(a.k, b.k) AS k, r.d, r.km, r.src FROM s_readings_view r
LEFT JOIN s_vins a ON a.vin = r.vin
LEFT JOIN s_vins b ON b.vin = CASE WHEN a.k IS NULL THEN {normalised_vin("r.vin")} END
WHERE coalesce(a.k, b.k) IS NOT NULL"""

    # A rollback is a reading below the highest reading of a strictly earlier
    # day; only the running maximum is windowed, over the readings with a km.
    # Ordered by day and then km, the rows before a reading are the earlier
    # days and the same day's lower readings, which can never make a drop: a
    # ROWS frame (a cheap running maximum) then gives exactly "strictly earlier".
    drops = f"""
SELECT k, d, min(km) AS km, max(prev_km) AS prev_km FROM (
  SELECT k, d, km, max(km) OVER (
           PARTITION BY k ORDER BY d, km ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_km
  FROM (SELECT k, d, km FROM s_readings WHERE km IS NOT NULL))
WHERE prev_km - km > {tolerance}
GROUP BY k, d"""

    # Declarations of one car cut on one day share their figures: they are
    # computed per (car, day) over fixed-width keys, then given to each.
    figures = f"""
WITH cuts AS (SELECT DISTINCT v.k, d.cut_date FROM s_decl d JOIN s_vins v ON v.vin = d.vin),
per_cut AS (
  SELECT c.k, c.cut_date, max(r.km) AS max_km, count(r.km) AS readings,
         count(*) FILTER (WHERE r.src = {MAINTENANCE}) AS maintenance_count
  FROM cuts c JOIN s_readings r ON r.k = c.k AND r.d <= c.cut_date
  GROUP BY c.k, c.cut_date)
SELECT d.declaration_id, f.k, d.vin, d.cut_date, f.max_km, f.readings, f.maintenance_count
FROM s_decl d JOIN s_vins v ON v.vin = d.vin JOIN per_cut f ON f.k = v.k AND f.cut_date = d.cut_date"""

    # Which readings a drop compares, and which reading is the highest of a
    # possible zero-mileage car, matter as evidence for few cars: their
    # readings are set apart once. A declared reading is named by its declaration.
    # Where two sources give the same reading on the same day, the evidence
    # names one by its code (``(value, src)`` keys), so every run names the same.
    lookup = f"""
SELECT * FROM s_readings WHERE k IN (
  SELECT k FROM s_drops UNION SELECT k FROM s_figures WHERE max_km <= {settings.zero_mileage_max_km})"""

    rollback_events = f"""
WITH drops AS (
  SELECT x.k, v.vin, x.d, x.km, x.prev_km FROM s_drops x JOIN s_vins v ON v.k = x.k),
lowered AS (
  SELECT x.k, x.vin, x.d, x.km, x.prev_km, arg_min(r.src, (r.km, r.src)) AS src
  FROM drops x JOIN s_lookup r ON r.k = x.k AND r.d = x.d
  GROUP BY x.k, x.vin, x.d, x.km, x.prev_km),
events AS (
  SELECT x.vin, x.d, x.km, x.src, x.prev_km, min(r.d) AS prev_d, arg_min(r.src, (r.d, r.src)) AS prev_src
  FROM lowered x JOIN s_lookup r ON r.k = x.k AND r.km = x.prev_km AND r.d < x.d
  GROUP BY x.vin, x.d, x.km, x.src, x.prev_km)
SELECT e.vin, e.d, e.km, {_via("e.src", "a.declaration_id")} AS via, e.prev_km, e.prev_d,
       {_via("e.prev_src", "b.declaration_id")} AS prev_source
FROM events e
LEFT JOIN s_declared_readings a
  ON e.src = {DECLARATION} AND a.vin = e.vin AND a.d = e.d AND a.km = e.km
LEFT JOIN s_declared_readings b
  ON e.prev_src = {DECLARATION} AND b.vin = e.vin AND b.d = e.prev_d AND b.km = e.prev_km"""

    reading_stats = f"""
WITH hit AS (
  SELECT p.declaration_id, any_value(p.vin) AS vin, any_value(p.max_km) AS km,
         max(r.d) AS max_km_date, arg_max(r.src, (r.d, r.src)) AS src
  FROM s_figures p JOIN s_lookup r ON r.k = p.k AND r.km = p.max_km AND r.d <= p.cut_date
  WHERE p.max_km <= {settings.zero_mileage_max_km}
  GROUP BY p.declaration_id)
SELECT p.declaration_id, p.max_km, h.max_km_date, {_via("h.src", "a.declaration_id")} AS max_km_via,
       p.readings, p.maintenance_count
FROM s_figures p LEFT JOIN hit h ON h.declaration_id = p.declaration_id
LEFT JOIN s_declared_readings a
  ON h.src = {DECLARATION} AND a.vin = h.vin AND a.d = h.max_km_date AND a.km = h.km"""

    # The declaration behind each declared reading (the first, should two
    # declarations of a car give the same day and km).
    declared_readings = f"""
SELECT vin, declaration_date AS d, declared_odometer_km AS km, min(declaration_id) AS declaration_id
FROM s_decl WHERE declared_odometer_km IS NOT NULL{known("declaration_date")}
  AND vin IN (SELECT v.vin FROM s_vins v WHERE v.k IN (SELECT k FROM s_lookup))
GROUP BY vin, declaration_date, declared_odometer_km"""

    rollback = """
SELECT d.declaration_id,
       arg_min(json_object('reading_date', CAST(e.d AS VARCHAR), 'km', e.km, 'source', e.via,
                           'earlier_reading_date', CAST(e.prev_d AS VARCHAR), 'earlier_km', e.prev_km,
                           'earlier_source', e.prev_source, 'drop_km', e.prev_km - e.km), e.d) AS first_event,
       count(*) AS events
FROM s_decl d JOIN s_rollback_events e ON e.vin = d.vin AND e.d <= d.cut_date
GROUP BY d.declaration_id"""

    reg = """
SELECT d.declaration_id,
       min(r.event_date) FILTER (WHERE r.event = 'first_registration') AS first_registration_date,
       arg_min(r.country, r.event_date) FILTER (WHERE r.event = 'first_registration') AS first_registration_country,
       arg_min(r.region, r.event_date) FILTER (WHERE r.event = 'first_registration') AS first_registration_region,
       arg_min(r.owner_kind, r.event_date) FILTER (WHERE r.event = 'first_registration') AS first_owner_kind,
       count(*) AS registrations_before,
       bool_or(r.country = 'JP') AS registered_in_jp
FROM s_decl d JOIN registrations r ON r.vin = d.vin AND r.event_date <= d.cut_date
GROUP BY d.declaration_id"""

    window = settings.batch_window_days
    batch = f"""
SELECT vin, max(batch_size) AS batch_size FROM (
  SELECT r.vin, count(*) OVER (
           PARTITION BY r.owner_id, v.make, v.model ORDER BY {_day("r.event_date")}
           RANGE BETWEEN {window} PRECEDING AND {window} FOLLOWING) AS batch_size
  FROM registrations r JOIN vehicles v ON v.vin = r.vin
  WHERE r.event = 'first_registration' AND r.owner_id IS NOT NULL
    AND r.vin IN (SELECT vin FROM s_decl){known("r.event_date")}
) GROUP BY vin"""

    dup_days = settings.duplicate_window_days
    dupes = f"""
SELECT a.declaration_id, count(*) AS n,
       list(b.declaration_id ORDER BY b.declaration_date, b.declaration_id)[1:5] AS others,
       list(DISTINCT b.exporter_id)[1:5] AS other_exporters
FROM s_decl a JOIN s_decl b
  ON a.vin = b.vin AND a.origin = b.origin AND a.exporter_id <> b.exporter_id
 AND abs(date_diff('day', a.declaration_date, b.declaration_date)) <= {dup_days}{known("b.declaration_date")}
GROUP BY a.declaration_id"""

    reexport = f"""
SELECT a.declaration_id, arg_max(b.declaration_id, b.declaration_date) AS earlier_declaration_id,
       max(b.declaration_date) AS earlier_date, arg_max(b.origin, b.declaration_date) AS earlier_origin
FROM s_decl a JOIN s_decl b
  ON a.vin = b.vin AND b.destination = a.origin AND b.declaration_date < a.declaration_date{known("b.declaration_date")}
GROUP BY a.declaration_id"""

    facts = f"""
SELECT d.*, e.exporter_id IS NOT NULL AS exporter_known, e.status AS exporter_status,
       e.licensed_from, e.licensed_to, e.region AS exporter_region,
       s.max_km, s.max_km_date, s.max_km_via, coalesce(s.readings, 0) AS readings,
       coalesce(s.maintenance_count, 0) AS maintenance_count,
       rb.first_event AS rollback_event, coalesce(rb.events, 0) AS rollback_events,
       g.first_registration_date, g.first_registration_country, g.first_registration_region,
       g.first_owner_kind, coalesce(g.registrations_before, 0) AS registrations_before,
       coalesce(g.registered_in_jp, FALSE) AS registered_in_jp,
       date_diff('day', g.first_registration_date, d.declaration_date) AS days_since_first_registration,
       b.batch_size,
       du.n AS duplicate_count, du.others AS duplicate_of, du.other_exporters AS duplicate_exporters,
       rx.earlier_declaration_id AS reexport_of, rx.earlier_date AS reexport_earlier_date,
       rx.earlier_origin AS reexport_earlier_origin,
       {supplied_flag("registrations")} AS evidence_registrations,
       {supplied_flag("odometer")} AS evidence_odometer,
       {supplied_flag("maintenance")} AS evidence_maintenance,
       {supplied_flag("inspections")} AS evidence_inspections,
       {supplied_flag("exporters")} AS evidence_exporters,
       {supplied_flag("vehicles")} AS evidence_vehicles
FROM s_decl d
LEFT JOIN exporters e ON e.exporter_id = d.exporter_id
LEFT JOIN s_reading_stats s ON s.declaration_id = d.declaration_id
LEFT JOIN s_rollback rb ON rb.declaration_id = d.declaration_id
LEFT JOIN s_reg g ON g.declaration_id = d.declaration_id
LEFT JOIN s_batch b ON b.vin = d.vin
LEFT JOIN s_dupes du ON du.declaration_id = d.declaration_id
LEFT JOIN s_reexport rx ON rx.declaration_id = d.declaration_id"""

    zm = settings
    # The facts stay a view: the features step reads them once, with the score.
    scored = f"""
SELECT f.*,
       (f.declared_condition = 'used' AND f.max_km IS NOT NULL AND f.max_km <= {zm.zero_mileage_max_km}
        AND f.first_registration_date IS NOT NULL
        AND f.days_since_first_registration BETWEEN 0 AND {zm.zero_mileage_max_days}) AS zero_mileage,
       {score_sql()} AS zero_mileage_score
FROM s_facts_raw_view f"""

    return [
        ("s_decl", decl),
        ("s_readings_view", readings),
        ("s_vins", vins),
        ("s_readings", keyed_readings),
        ("s_drops", drops),
        ("s_figures", figures),
        ("s_lookup", lookup),
        ("s_declared_readings", declared_readings),
        ("s_rollback_events", rollback_events),
        ("s_reading_stats", reading_stats),
        ("s_rollback", rollback),
        ("s_reg", reg),
        ("s_batch", batch),
        ("s_dupes", dupes),
        ("s_reexport", reexport),
        ("s_facts_raw_view", facts),
        ("s_facts_view", scored),
    ]
