"""The screening as an ordered list of SQL steps, from loaded tables to decisions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from zeromile.duties.hs import hs_subheading_sql
from zeromile.screening.checks_sql import DECISIONS, decision_steps
from zeromile.screening.evidence_sql import Step, evidence_steps
from zeromile.screening.settings import ScreeningSettings
from zeromile.vin.sql import INPUT_COLUMNS, vin_identity_sql

if TYPE_CHECKING:
    import pyarrow as pa

Reference: TypeAlias = "tuple[tuple[str, ...], list[tuple[object, ...]]] | pa.Table"


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
    #: Tables registered before the steps: ``(columns, rows)`` or an Arrow table.
    reference: dict[str, Reference] = field(default_factory=dict)
    #: Rule id to the opening its findings' evidence leaves out (a JSON object
    #: left open), put back before the rest as the decisions are written. A
    #: finding whose rule id is not listed carries its whole evidence.
    citations: Mapping[str, str] = field(default_factory=dict)


FEATURES = """
SELECT f.* EXCLUDE (make, model_year),
       coalesce(f.make, v.wmi_make) AS make, f.make AS declared_make,
       coalesce(f.model_year, v.decoded_model_year) AS model_year, f.model_year AS declared_model_year,
       f.max_km AS max_odometer_km,
       {hs} AS hs_subheading,
       v.vin_kind, v.wmi_make, v.wmi_country, v.wmi_country_reliable, v.decoded_model_year,
       coalesce(f.built_in, CASE WHEN v.wmi_country_reliable THEN v.wmi_country END, f.origin)
         AS origin_of_goods
FROM s_facts_view f JOIN s_vin v ON v.declaration_id = f.declaration_id""".replace(
    "{hs}", hs_subheading_sql("f.body", "f.fuel", "f.engine_cc")
)


def screening_steps(
    settings: ScreeningSettings,
    *,
    as_of: date | None,
    supplied: frozenset[str],
    extensions: Sequence[Extension] = (),
    vin_as_given: frozenset[str] = frozenset(),
) -> list[Step]:
    """Every step of the screening in order; the last one is ``decisions``.

    ``vin_as_given``: the loaded tables that show each VIN as given
    (``LoadReport.vin_as_given``).
    """
    jp = "'JP'"
    vin_input = (
        "SELECT d.declaration_id, d.vin, d.make AS declared_make, "
        "d.model_year AS declared_model_year, CASE WHEN coalesce(g.registered_in_jp, FALSE) "
        f"OR ({'FALSE' if 'registrations' in supplied else 'TRUE'} AND d.origin = {jp}) "
        f"THEN {jp} END AS registration_country "
        "FROM s_decl d LEFT JOIN s_reg g ON g.declaration_id = d.declaration_id"
    )
    steps = evidence_steps(settings, as_of=as_of, supplied=supplied, vin_as_given=vin_as_given)
    steps += [
        ("s_vin_in_view", vin_input),
        ("s_vin", vin_identity_sql("s_vin_in_view", carry=(*INPUT_COLUMNS, "declaration_id"))),
        ("features", FEATURES),
    ]
    for ext in extensions:
        steps += list(ext.steps)
    steps += decision_steps(
        settings,
        [(sql, ext.citations) for ext in extensions for sql in ext.findings],
        supplied=supplied,
        columns=[col for ext in extensions for col in ext.decision_columns],
        joins=[j for ext in extensions for j in ext.joins],
    )
    return steps


def is_view(name: str) -> bool:
    """Whether a step is a view (read where it lies) rather than a table.

    Steps named ``*_view`` are views, and so are the decisions: their long
    evidence text is built as they are read.
    """
    return name.endswith("_view") or name == DECISIONS


#: A SQL identifier as a whole word: a step reads a table when its name is one of them.
_WORD = re.compile(r"\w+")
#: A string literal ('' inside is a quote): its words name no table.
_LITERAL = re.compile(r"'(?:[^']|'')*'")


def release_plan(
    steps: Sequence[Step], keep: frozenset[str], inputs: Sequence[str] = ()
) -> list[list[str]]:
    """For each step, the tables no later step needs, to drop once it has run.

    Intermediate tables of a national-scale run hold hundreds of megabytes;
    dropping each after its last reader keeps the engine within its memory
    limit instead of spilling. A view keeps alive what it reads. ``inputs``
    are the loaded tables the steps start from: they go the same way (an
    input no step reads goes after the first step).
    """
    if not steps:
        return []
    planned = [*((name, "") for name in inputs), *steps]
    names = [name for name, _ in planned]
    reads: list[set[str]] = []
    for i, (_, select) in enumerate(planned):
        words = set(_WORD.findall(_LITERAL.sub("''", select)))
        direct = {n for n in names[:i] if n in words}
        for n in list(direct):
            direct |= _view_reads(n, names, reads)
        reads.append(direct)
    last: dict[str, int] = {}
    for i, used in enumerate(reads):
        for n in used:
            last[n] = i
    kept = set(keep)
    for name in keep:
        kept |= _view_reads(name, names, reads) if name in names else set()
    first = len(inputs)
    plan: list[list[str]] = [[] for _ in steps]
    for i, name in enumerate(names):
        if name in kept or is_view(name):
            continue
        plan[max(last.get(name, i), first) - first].append(name)
    return plan


def _view_reads(name: str, names: list[str], reads: list[set[str]]) -> set[str]:
    if not is_view(name):
        return set()
    return reads[names.index(name)]
