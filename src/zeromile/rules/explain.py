"""Why each rule did or did not fire for one declaration.

The pure part turns per-rule evaluation columns (flow, dates, condition,
ambiguity, values: see ``Rulebook.explain_sql``) into explanations; running
the SQL is the caller's job, passed in as ``run`` (``zeromile.rules._duckdb``
provides one), so this module never imports an engine.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from zeromile.rules.conditions import substitute_params
from zeromile.rules.model import Rule
from zeromile.rules.rulebook import Rulebook

#: Runs a SELECT over a one-row ``features`` table built from ``row``; returns the result row.
RunOnRow = Callable[[str, Mapping[str, Any]], Mapping[str, Any]]


class Status(StrEnum):
    """What happened to one rule for one declaration."""

    NOT_APPLICABLE = "not applicable to flow"
    NOT_IN_FORCE = "not in force"
    FIRED = "condition true"
    NOT_FIRED = "condition false"
    AMBIGUOUS = "ambiguous"
    MISSING_FEATURE = "missing feature"


@dataclass(frozen=True)
class RuleExplanation:
    """One rule considered for one declaration, with the values it looked at."""

    rule: Rule
    status: Status
    values: Mapping[str, Any]
    missing: tuple[str, ...]
    reason: str

    @property
    def rule_id(self) -> str:
        return self.rule.id


def explain(rulebook: Rulebook, row: Mapping[str, Any], run: RunOnRow) -> list[RuleExplanation]:
    """Explain every rule of ``rulebook`` for the features ``row``."""
    result = run(rulebook.explain_sql("features"), row)
    out = []
    for i, compiled in enumerate(rulebook.compiled()):
        rule = compiled.rule
        values = json.loads(result[f"values_{i}"]) if result[f"values_{i}"] else {}
        missing = tuple(k for k, v in values.items() if v is None)
        out.append(
            _one(
                rule,
                bool(result[f"flow_{i}"]),
                result[f"dates_{i}"],
                result[f"cond_{i}"],
                bool(result[f"amb_{i}"]),
                values,
                missing,
                row,
            )
        )
    return out


def _one(
    rule: Rule,
    flow: bool,
    in_force: bool | None,
    condition: bool | None,
    ambiguous: bool,
    values: Mapping[str, Any],
    missing: tuple[str, ...],
    row: Mapping[str, Any],
) -> RuleExplanation:
    prov = rule.provenance
    if not flow:
        reason = (
            f"covers {'/'.join(rule.origins) or 'any'} -> {'/'.join(rule.destinations) or 'any'};"
            f" declaration is {row.get('origin')} -> {row.get('destination')}"
        )
        return RuleExplanation(rule, Status.NOT_APPLICABLE, values, (), reason)
    if not in_force:
        until = prov.effective_to.isoformat() if prov.effective_to else "open"
        reason = (
            f"{rule.key_column} {values.get('key_date')} outside "
            f"[{prov.effective_from.isoformat()}, {until}]"
        )
        return RuleExplanation(rule, Status.NOT_IN_FORCE, values, (), reason)
    if ambiguous:
        return RuleExplanation(rule, Status.AMBIGUOUS, values, missing, rule.ambiguity or "")
    if condition is None:
        reason = "cannot decide: unknown " + (", ".join(missing) or "values")
        return RuleExplanation(rule, Status.MISSING_FEATURE, values, missing, reason)
    status = Status.FIRED if condition else Status.NOT_FIRED
    verb = f"{rule.action} ({rule.code})" if condition else "no finding"
    condition_text = " ".join(substitute_params(rule.condition, rule.params).split())
    return RuleExplanation(rule, status, values, (), f"{condition_text} -> {verb}")


def verdict(explanations: list[RuleExplanation]) -> str:
    """``refuse`` / ``review`` / ``clear`` from the explained rules, as the findings give it."""
    severities = set()
    for item in explanations:
        if item.status is Status.FIRED:
            severities.add(str(item.rule.action))
        elif item.status in (Status.AMBIGUOUS, Status.MISSING_FEATURE):
            severities.add("info" if item.rule.action == "info" else "review")
    if "refuse" in severities:
        return "refuse"
    return "review" if "review" in severities else "clear"
