"""Parse, check and specialise rule conditions (SQL boolean expressions).

Conditions are parsed with sqlglot in DuckDB's dialect when the rulebook
loads, so a typo, an unknown feature or an unknown function fails
``zeromile rules check`` instead of a screening run. Derived features are
then inlined for the rule's key date, leaving SQL over base columns only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from zeromile.rules.features import BASE_COLUMNS, KEY, all_derived, known_names, suggest
from zeromile.sqltext import sql_string

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BOOLEAN_NODES = (
    exp.Predicate,
    exp.Connector,
    exp.Not,
    exp.Boolean,
    exp.ArrayContains,
    exp.Case,
    exp.Coalesce,
)


class ConditionError(ValueError):
    """A condition cannot be used; the message says why."""


def substitute_params(text: str, params: Mapping[str, object]) -> str:
    """Replace ``{name}`` by the rule's parameter ``name`` as a SQL literal."""

    def literal(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise ConditionError(f"parameter {{{name}}} is not defined in params")
        value = params[name]
        if isinstance(value, str):
            return sql_string(value)
        return repr(value)

    return _PARAM.sub(literal, text)


def parse_condition(
    text: str,
    params: Mapping[str, object],
    extra_features: frozenset[str],
    jurisdiction: str | None = None,
) -> exp.Expr:
    """Parse and check one condition; raise :class:`ConditionError` naming the problem."""
    sql = substitute_params(text, params)
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        where = f" near {first.get('highlight')!r}" if first.get("highlight") else ""
        raise ConditionError(f"SQL does not parse{where}: {sql!r}") from exc
    if tree.find(exp.Select, exp.Subquery, exp.Table) is not None:
        raise ConditionError("a condition is an expression over one row; no SELECT or table")
    for func in tree.find_all(exp.Anonymous):
        raise ConditionError(f"unknown SQL function {func.name!r}")
    known = known_names(extra_features)
    for column in tree.find_all(exp.Column):
        if column.table:
            raise ConditionError(f"qualified column {column.sql()!r}: name the feature alone")
        if column.name not in known:
            raise ConditionError(
                f"unknown feature {column.name!r}{suggest(column.name, extra_features)}"
            )
    owners = {d.name: d.jurisdiction for d in all_derived() if d.jurisdiction}
    for column in tree.find_all(exp.Column):
        owner = owners.get(column.name)
        if owner is not None and owner != jurisdiction:
            raise ConditionError(f"feature {column.name!r} belongs to jurisdiction {owner}")
    if not isinstance(tree, _BOOLEAN_NODES) and not _is_boolean_feature(tree):
        raise ConditionError(f"expected a true/false expression, got {tree.sql('duckdb')!r}")
    return tree


def _is_boolean_feature(tree: exp.Expr) -> bool:
    if isinstance(tree, exp.Paren):
        return isinstance(tree.this, _BOOLEAN_NODES) or _is_boolean_feature(tree.this)
    if isinstance(tree, exp.Column):
        name = tree.name
        return BASE_COLUMNS.get(name) == "BOOLEAN" or name.startswith(("on_", "is_"))
    return False


def referenced_features(tree: exp.Expr) -> tuple[str, ...]:
    """Feature names a condition reads, in order of first use."""
    seen: dict[str, None] = {}
    for column in tree.find_all(exp.Column):
        seen.setdefault(column.name, None)
    return tuple(seen)


def derived_sql(key: str, brand_sql: Mapping[str, str]) -> dict[str, str]:
    """SQL of every derived feature for the given key-date column."""
    out = {d.name: d.sql.replace(KEY, key) for d in all_derived()}
    out.update(brand_sql)
    return out


@functools.lru_cache(maxsize=512)
def _parse_cached(sql: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read="duckdb")


def inline(tree: exp.Expr, derived: Mapping[str, str]) -> str:
    """DuckDB SQL of ``tree`` with derived features replaced by their definitions."""

    def replace(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name in derived:
            return exp.Paren(this=_parse_cached(derived[node.name]).copy())
        return node

    return tree.copy().transform(replace).sql(dialect="duckdb")


def feature_sql(name: str, derived: Mapping[str, str]) -> str:
    """SQL giving one feature's value (base column or derived definition)."""
    return f"({derived[name]})" if name in derived else name
