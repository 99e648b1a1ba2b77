"""Compile a rulebook into one set-based SQL query over ``features``.

Each rule becomes one ``SELECT ... WHERE <flow and dates>`` branch and the
branches are joined with ``UNION ALL``: the engine scans the relation with
pushed-down filters and no Python runs per row. Per branch and declaration,
the first that holds wins: AMBIGUOUS (sources conflict), the rule's own code
(condition true), RULE_MISSING_EVIDENCE (condition NULL: a needed feature is
unknown). The SQL stays inside what sqlglot transpiles to Spark SQL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlglot import exp

from zeromile.provenance import Confidence
from zeromile.rules.conditions import derived_sql, feature_sql, inline, referenced_features
from zeromile.rules.model import Action, Code, Rule
from zeromile.sqltext import sql_string

COLUMNS = ("declaration_id", "code", "severity", "rule_id", "evidence")


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its conditions specialised to its key date."""

    rule: Rule
    condition_sql: str
    ambiguous_sql: str | None
    features: tuple[str, ...]
    feature_sql: Mapping[str, str]

    @classmethod
    def build(
        cls,
        rule: Rule,
        condition: exp.Expr,
        ambiguous: exp.Expr | None,
        brand_sql: Mapping[str, str],
    ) -> CompiledRule:
        derived = derived_sql(rule.key_column, brand_sql)
        names = referenced_features(condition)
        if ambiguous is not None:
            names += tuple(n for n in referenced_features(ambiguous) if n not in names)
        if "key_date" not in names:
            names = ("key_date", *names)
        return cls(
            rule=rule,
            condition_sql=inline(condition, derived),
            ambiguous_sql=inline(ambiguous, derived) if ambiguous is not None else None,
            features=names,
            feature_sql={n: feature_sql(n, derived) for n in names},
        )

    def scope_sql(self) -> str:
        """Flow and dates-in-force filter (a NULL key date is never in force)."""
        return f"({self.flow_sql()}) AND ({self.in_force_sql()})"

    def flow_sql(self) -> str:
        parts = ["TRUE"]
        if self.rule.origins:
            parts.append(f"origin IN ({_list(self.rule.origins)})")
        if self.rule.destinations:
            parts.append(f"destination IN ({_list(self.rule.destinations)})")
        return " AND ".join(parts)

    def in_force_sql(self) -> str:
        key, prov = self.rule.key_column, self.rule.provenance
        sql = f"{key} >= DATE '{prov.effective_from.isoformat()}'"
        if prov.effective_to is not None:
            sql += f" AND {key} <= DATE '{prov.effective_to.isoformat()}'"
        return sql

    def ambiguous_expr(self, condition: str) -> str:
        """When this rule yields AMBIGUOUS, given the SQL of its condition's value."""
        parts = []
        if self.ambiguous_sql is not None:
            parts.append(f"coalesce(({self.ambiguous_sql}), FALSE)")
        if self.rule.provenance.confidence is Confidence.L:
            parts.append(f"coalesce({condition}, FALSE)")
        until = self.rule.imprecise_until
        if until is not None:
            parts.append(
                f"(coalesce({condition}, FALSE) AND {self.rule.key_column}"
                f" <= DATE '{until.isoformat()}')"
            )
        return " OR ".join(parts) if parts else "FALSE"

    def code_expr(self, condition: str) -> str:
        return (
            f"CASE WHEN {self.ambiguous_expr(condition)} THEN '{Code.AMBIGUOUS}'"
            f" WHEN {condition} THEN '{self.rule.code}'"
            f" WHEN {condition} IS NULL THEN '{Code.RULE_MISSING_EVIDENCE}' END"
        )

    def values_json_sql(self) -> str:
        """JSON text of the feature values the rule looked at."""
        fields = ", ".join(f"'{n}': {self.feature_sql[n]}" for n in self.features)
        return f"CAST(to_json({{{fields}}}) AS VARCHAR)"

    def citation_json(self) -> str:
        """How every finding's evidence opens: the rule's citation, a JSON object left open."""
        return json.dumps(static_evidence(self.rule), ensure_ascii=False)[:-1]

    def evidence_sql(self, code_column: str, *, cited: bool = True) -> str:
        """The finding's evidence JSON; without its opening citation unless ``cited``."""
        rule = self.rule
        opening = f"{sql_string(self.citation_json())} || " if cited else ""
        missing = ", ".join(
            f"CASE WHEN {self.feature_sql[n]} IS NULL THEN '\"{n}\"' END" for n in self.features
        )
        conflict = sql_string(json.dumps(rule.ambiguity or "", ensure_ascii=False))
        return (
            f"{opening}', \"values\": ' || {self.values_json_sql()} || CASE {code_column}"
            f" WHEN '{Code.AMBIGUOUS}' THEN ', \"conflict\": ' || {conflict} || '}}'"
            f" WHEN '{Code.RULE_MISSING_EVIDENCE}' THEN ', \"missing\": [' || "
            f"concat_ws(', ', {missing}) || ']}}' ELSE '}}' END"
        )

    def branch_sql(self, features: str, *, cited: bool = True) -> str:
        """One UNION ALL branch yielding this rule's findings."""
        action = self.rule.action
        derived_severity = Action.INFO if action is Action.INFO else Action.REVIEW
        return (
            "SELECT declaration_id, _zm_code AS code,"
            f" CASE WHEN _zm_code = '{self.rule.code}' THEN '{action}'"
            f" ELSE '{derived_severity}' END AS severity,"
            f" {sql_string(self.rule.id)} AS rule_id,"
            f" {self.evidence_sql('_zm_code', cited=cited)} AS evidence"
            f" FROM (SELECT *, {self.code_expr('_zm_c')} AS _zm_code"
            f" FROM (SELECT *, ({self.condition_sql}) AS _zm_c FROM {features}"
            f" WHERE {self.scope_sql()}) AS _zm_s) AS _zm_t"
            " WHERE _zm_code IS NOT NULL"
        )


def static_evidence(rule: Rule) -> dict[str, object]:
    """The part of a finding's evidence fixed by the rule itself."""
    prov = rule.provenance
    return {
        "rule_id": rule.id,
        "title": rule.title,
        "jurisdiction": rule.jurisdiction,
        "side": str(rule.side),
        "key": rule.key_column,
        "instrument": prov.instrument.name,
        "instrument_number": prov.instrument.number,
        "effective_from": prov.effective_from.isoformat(),
        "effective_to": prov.effective_to.isoformat() if prov.effective_to else None,
        "sources": [str(s) for s in prov.sources],
        "confidence": str(prov.confidence),
        "thresholds": dict(rule.params),
    }


def findings_sql(compiled: tuple[CompiledRule, ...], features: str, *, cited: bool = True) -> str:
    """ONE DuckDB SELECT of ``(declaration_id, code, severity, rule_id, evidence)``.

    Without ``cited``, each evidence lacks its opening citation
    (:meth:`CompiledRule.citation_json`), for a caller that joins it back later.
    """
    if not compiled:
        return (
            "SELECT CAST(NULL AS VARCHAR) AS declaration_id, CAST(NULL AS VARCHAR) AS code,"
            " CAST(NULL AS VARCHAR) AS severity, CAST(NULL AS VARCHAR) AS rule_id,"
            " CAST(NULL AS VARCHAR) AS evidence WHERE FALSE"
        )
    return "\nUNION ALL\n".join(c.branch_sql(features, cited=cited) for c in compiled)


def explain_sql(compiled: tuple[CompiledRule, ...], features: str) -> str:
    """Per-rule flow, dates, condition, ambiguity and values for each row of ``features``."""
    cols = ["declaration_id"]
    for i, c in enumerate(compiled):
        cond = f"({c.condition_sql})"
        cols += [
            f"({c.flow_sql()}) AS flow_{i}",
            f"({c.in_force_sql()}) AS dates_{i}",
            f"{cond} AS cond_{i}",
            f"({c.ambiguous_expr(cond)}) AS amb_{i}",
            f"{c.values_json_sql()} AS values_{i}",
        ]
    return f"SELECT {', '.join(cols)} FROM {features}"


def _list(values: tuple[str, ...]) -> str:
    return ", ".join(sql_string(v) for v in values)
