"""The findings of the screening, and the verdict, as set-based SQL over ``features``.

Each check yields rows ``(declaration_id, code, severity, rule_id, evidence)``
with evidence a JSON object naming the rows, values and thresholds behind
it. Rule and duty findings (from the rulebook and the tariff schedules) are
appended in the same shape, so the verdict treats every finding alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from zeromile.dossier.contract import TABLES
from zeromile.screening.findings import FINDINGS
from zeromile.screening.score import score_evidence_sql
from zeromile.screening.settings import ScreeningSettings
from zeromile.sqltext import sql_string

Step = tuple[str, str]

#: The relation holding one decision per declaration: a view over ``s_decided``.
DECISIONS = "decisions"

#: Facts of ``features`` the decision's evidence text is built from.
EVIDENCE_FACTS = (
    "max_km",
    "readings",
    "maintenance_count",
    "first_registration_date",
    "first_owner_kind",
    "batch_size",
    "days_since_first_registration",
    "evidence_maintenance",
    "declared_value",
    "msrp",
    "currency",
    "msrp_currency",
)

#: The evidence tables whose absence a decision records, in the contract's order.
EVIDENCE_TABLES = tuple(t for t in TABLES if t not in ("declarations", "inspectors"))

_JP_REGISTERED = "(f.registered_in_jp OR (NOT f.evidence_registrations AND f.origin = 'JP'))"


def _finding(code: str, where: str, evidence: str, source: str = "features f") -> str:
    severity = FINDINGS[code].severity.value
    return (
        f"SELECT f.declaration_id, '{code}' AS code, '{severity}' AS severity, "
        f"CAST(NULL AS VARCHAR) AS rule_id, CAST({evidence} AS VARCHAR) AS evidence, "
        f"CAST(NULL AS INTEGER) AS citation FROM {source} WHERE {where}"
    )


def check_selects(settings: ScreeningSettings) -> list[str]:
    """One SELECT per finding code of the screening itself."""
    vin_src = "features f JOIN s_vin v ON v.declaration_id = f.declaration_id"
    s = settings
    return [
        _finding(
            "VIN_INVALID",
            f"v.vin_kind = 'invalid' OR (v.vin_kind = 'jp_chassis' AND NOT {_JP_REGISTERED})",
            "json_object('vin', f.vin, 'reason', CASE WHEN v.vin_kind = 'jp_chassis' "
            "THEN 'a Japanese chassis number, but the car has no registration in Japan' "
            "ELSE v.vin_invalid_reason END)",
            vin_src,
        ),
        _finding(
            "VIN_CHECK_DIGIT",
            "v.vin_kind = 'vin' AND v.check_digit_mandatory AND NOT v.check_digit_ok",
            "json_object('vin', f.vin, 'expected', v.check_digit_expected, 'found', v.check_digit_found, "
            "'rule', '49 CFR 565.15 / GB 16735: mandatory for WMIs starting 1-5 or L')",
            vin_src,
        ),
        _finding(
            "VIN_MAKE_MISMATCH",
            "v.make_mismatch",
            "json_object('vin', f.vin, 'declared_make', f.declared_make, 'wmi_make', v.wmi_make, "
            "'wmi_manufacturer', v.wmi_manufacturer)",
            vin_src,
        ),
        _finding(
            "VIN_YEAR_MISMATCH",
            "v.year_mismatch",
            "json_object('vin', f.vin, 'declared_model_year', f.declared_model_year, "
            "'position_10', substr(f.vin, 10, 1), 'possible_years', v.year_candidates)",
            vin_src,
        ),
        _finding(
            "ZERO_MILEAGE",
            "f.zero_mileage",
            f"json_object('max_km', f.max_km, 'max_km_date', CAST(f.max_km_date AS VARCHAR), "
            f"'max_km_source', f.max_km_via, 'threshold_km', {s.zero_mileage_max_km}, "
            "'first_registration_date', CAST(f.first_registration_date AS VARCHAR), "
            "'days_since_first_registration', f.days_since_first_registration, "
            f"'threshold_days', {s.zero_mileage_max_days})",
        ),
        _finding(
            "ODOMETER_ROLLBACK",
            "f.rollback_events > 0",
            f"json_object('first_rollback', json(f.rollback_event), 'rollbacks', f.rollback_events, "
            f"'tolerance_km', {s.rollback_tolerance_km})",
        ),
        _finding(
            "USED_NEVER_REGISTERED",
            "f.declared_condition = 'used' AND f.evidence_registrations AND f.registrations_before = 0",
            "json_object('declared_condition', f.declared_condition, "
            "'registrations_on_or_before', CAST(f.cut_date AS VARCHAR), 'count', 0)",
        ),
        _finding(
            "EXPORTER_UNLICENSED",
            "f.evidence_exporters AND (NOT f.exporter_known OR f.exporter_status <> 'active' "
            "OR f.declaration_date < f.licensed_from OR f.declaration_date > f.licensed_to)",
            "json_object('exporter_id', f.exporter_id, 'reason', CASE "
            "WHEN NOT f.exporter_known THEN 'not in the exporter registry' "
            "WHEN f.exporter_status <> 'active' THEN 'licence status is ' || f.exporter_status "
            "ELSE 'declaration date outside the licence' END, "
            "'licensed_from', CAST(f.licensed_from AS VARCHAR), 'licensed_to', CAST(f.licensed_to AS VARCHAR), "
            "'declaration_date', CAST(f.declaration_date AS VARCHAR))",
        ),
        _finding(
            "DUPLICATE_DECLARATION",
            "f.duplicate_count > 0",
            f"json_object('other_declarations', f.duplicate_of, 'other_exporters', f.duplicate_exporters, "
            f"'count', f.duplicate_count, 'window_days', {s.duplicate_window_days})",
        ),
        _finding(
            "REEXPORT",
            "f.reexport_of IS NOT NULL",
            "json_object('earlier_declaration_id', f.reexport_of, "
            "'earlier_date', CAST(f.reexport_earlier_date AS VARCHAR), "
            "'earlier_route', f.reexport_earlier_origin || '->' || f.origin)",
        ),
    ]


def decision_steps(
    settings: ScreeningSettings,
    extra_findings: Sequence[tuple[str, Mapping[str, str]]],
    *,
    supplied: frozenset[str],
    columns: Sequence[str] = (),
    joins: Sequence[tuple[str, str]] = (),
) -> list[Step]:
    """Steps ``s_findings`` (every finding), ``s_decided`` and ``decisions`` (one row per declaration).

    ``extra_findings`` are ``(select, citations)``: a SELECT of findings and
    the openings its evidence leaves out by rule id (``Extension.citations``).
    ``columns`` are extra SELECT expressions over ``features`` aliased ``x``,
    from the relations in ``joins`` (``(relation, condition)``, left-joined).
    Each finding's evidence is already a JSON text, so the decision's
    evidence is assembled by concatenation (one ``concat``, one copy) rather
    than parsed and rebuilt: at a million declarations that is most of this
    step's cost. List and ordered aggregates cost twice a string aggregate,
    so the codes are gathered as text and sorted per declaration afterwards.
    Aggregating text costs by its length: a cited finding is carried as its
    citation's number and the rest of its evidence, and the citation is
    put back in front as the decision is written.
    ``decisions`` is a view over ``s_decided``: the evidence text, most of a
    decision's bytes, is built while it is written out, never held in memory.
    ``s_decided`` is stored in declaration order, so the view reads back in
    that order and no reader sorts the long rows again.
    """
    # Each citation as it opens its finding in the decision ('"RULE-ID":{...'), the
    # findings numbering them from 1, as SQL lists count.
    openings: list[str] = []
    wrapped = []
    for sql, citations in extra_findings:
        numbers = []
        for rule_id, opening in citations.items():
            openings.append(f"{json.dumps(rule_id)}:{opening}")
            numbers.append(f"WHEN {sql_string(rule_id)} THEN {len(openings)}")
        citation = f"CASE rule_id {' '.join(numbers)} END" if numbers else "NULL"
        wrapped.append(
            "SELECT declaration_id, code, severity, rule_id, CAST(evidence AS VARCHAR) AS evidence, "
            f"CAST({citation} AS INTEGER) AS citation FROM ({sql})"
        )
    findings = "\nUNION ALL\n".join([*check_selects(settings), *wrapped])
    not_supplied = json.dumps([t for t in EVIDENCE_TABLES if t not in supplied])
    extra = "".join(f", {c}" for c in columns)
    join_sql = "".join(f" LEFT JOIN {rel} ON {cond}" for rel, cond in joins)
    names = [_output_name(c) for c in columns]
    if openings:
        cited_agg = (
            ",\n         list({'c': citation, 'e': evidence}) FILTER (WHERE citation IS NOT NULL)"
            " AS cited_evidence"
        )
        cited_col = ", g.cited_evidence"
        texts = ", ".join(sql_string(o) for o in openings)
        finding_texts = (
            "concat_ws(',', finding_evidence, array_to_string(list_transform(cited_evidence, "
            f"lambda x: [{texts}][x.c] || x.e), ','))"
        )
    else:
        cited_agg = cited_col = ""
        finding_texts = "coalesce(finding_evidence, '')"
    decided = f"""
WITH g AS (
  SELECT declaration_id,
         CASE max(CASE severity WHEN 'refuse' THEN 2 WHEN 'review' THEN 1 ELSE 0 END)
              WHEN 2 THEN 'refuse' WHEN 1 THEN 'review' ELSE 'clear' END AS verdict,
         array_to_string(list_sort(list_distinct(string_split(string_agg(code, ';'), ';'))), ';')
           AS findings,
         string_agg(CAST(to_json(coalesce(rule_id, code)) AS VARCHAR) || ':' || evidence, ',')
           FILTER (WHERE citation IS NULL) AS finding_evidence{cited_agg}
  FROM s_findings GROUP BY declaration_id)
SELECT x.declaration_id, x.vin, x.exporter_id, x.origin,
       coalesce(x.first_registration_region, x.exporter_region) AS origin_region,
       x.destination, x.declaration_date, coalesce(g.verdict, 'clear') AS verdict,
       x.zero_mileage, round(x.zero_mileage_score, 4) AS zero_mileage_score,
       coalesce(g.findings, '') AS findings, g.finding_evidence{cited_col},
       {", ".join(f"x.{c}" for c in EVIDENCE_FACTS)}{extra}
FROM features x LEFT JOIN g ON g.declaration_id = x.declaration_id{join_sql}
ORDER BY x.declaration_id"""
    decisions = f"""
SELECT declaration_id, vin, exporter_id, origin, origin_region, destination, declaration_date,
       verdict, zero_mileage, zero_mileage_score, findings,
       concat('{{"findings":{{', {finding_texts},
              '}},"zero_mileage_score":', CAST({score_evidence_sql()} AS VARCHAR),
              ',"facts":', CAST(to_json({{
                'max_km': max_km, 'readings': readings, 'maintenance_count': maintenance_count,
                'first_registration_date': CAST(first_registration_date AS VARCHAR),
                'first_owner_kind': first_owner_kind, 'batch_size': batch_size}}) AS VARCHAR),
              ',"not_supplied":{not_supplied}}}') AS evidence{"".join(f", {n}" for n in names)}
FROM s_decided"""
    return [("s_findings", findings), ("s_decided", decided), (DECISIONS, decisions)]


def _output_name(expression: str) -> str:
    """The column name a SELECT expression yields (``t.a`` gives ``a``; ``... AS b``, ``b``)."""
    import sqlglot  # only extensions add columns; a plain screening need not load the parser

    return sqlglot.parse_one(expression, dialect="duckdb").alias_or_name
