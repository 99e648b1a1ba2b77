"""The screening as an ordered list of SQL steps, from loaded tables to decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from zeromile.screening.checks_sql import decision_steps
from zeromile.screening.evidence_sql import Step, evidence_steps
from zeromile.screening.settings import ScreeningSettings
from zeromile.vin.sql import INPUT_COLUMNS, vin_identity_sql


@dataclass(frozen=True)
class Extension:
    """A part that adds steps after ``features`` and findings to the verdict (rules, duties)."""

    name: str
    version: str
    steps: Sequence[Step] = ()
    findings: Sequence[str] = ()
    #: SELECT expressions added to the decisions, over ``features`` aliased ``x``.
    decision_columns: Sequence[str] = ()
    #: ``(relation, join condition on x)`` joined into the decisions for those columns.
    joins: Sequence[tuple[str, str]] = ()
    reference: dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]] = field(
        default_factory=dict
    )


FEATURES = """
SELECT f.* EXCLUDE (make, model_year),
       coalesce(f.make, v.wmi_make) AS make, f.make AS declared_make,
       coalesce(f.model_year, v.decoded_model_year) AS model_year, f.model_year AS declared_model_year,
       f.max_km AS max_odometer_km,
       v.vin_kind, v.wmi_make, v.wmi_country, v.wmi_country_reliable, v.decoded_model_year,
       coalesce(f.built_in, CASE WHEN v.wmi_country_reliable THEN v.wmi_country END, f.origin)
         AS origin_of_goods
FROM s_facts f JOIN s_vin v ON v.declaration_id = f.declaration_id"""


def screening_steps(
    settings: ScreeningSettings,
    *,
    as_of: date | None,
    supplied: frozenset[str],
    extensions: Sequence[Extension] = (),
) -> list[Step]:
    """Every step of the screening in order; the last one is ``decisions``."""
    vin_input = (
        "SELECT declaration_id, vin, make AS declared_make, model_year AS declared_model_year, "
        "CASE WHEN registered_in_jp OR (NOT evidence_registrations AND origin = 'JP') "
        "THEN 'JP' END AS registration_country FROM s_facts"
    )
    steps = evidence_steps(settings, as_of=as_of, supplied=supplied)
    steps += [
        ("s_vin_in", vin_input),
        ("s_vin", vin_identity_sql("s_vin_in", carry=(*INPUT_COLUMNS, "declaration_id"))),
        ("features", FEATURES),
    ]
    for ext in extensions:
        steps += list(ext.steps)
    extra = [sql for ext in extensions for sql in ext.findings]
    found, decisions = decision_steps(settings, extra)
    steps.append(found)
    columns = [col for ext in extensions for col in ext.decision_columns]
    joins = [j for ext in extensions for j in ext.joins]
    if columns:
        join_sql = " ".join(f"LEFT JOIN {rel} ON {cond}" for rel, cond in joins)
        steps.append(("decisions_core", decisions[1]))
        steps.append(
            (
                "decisions",
                f"SELECT d.*, {', '.join(columns)} FROM decisions_core d "
                f"JOIN features x ON x.declaration_id = d.declaration_id {join_sql}",
            )
        )
    else:
        steps.append(decisions)
    return steps
