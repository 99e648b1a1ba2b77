"""Compare duty totals by flow, and carry the duty SQL over to Spark."""

from __future__ import annotations


def flow_comparison_sql(features: str, totals_on: str, totals_vs: str) -> str:
    """Totals by flow ``(origin_of_goods, destination, duty_currency)`` on two dates.

    Reads two relations shaped like :func:`duty_totals_sql`'s output. The
    effective rate is the duty over the declared value of the declarations
    priced on both dates in the duty's currency (NULL otherwise).
    """
    return f"""SELECT f.origin_of_goods, f.destination,
       coalesce(a.duty_currency, b.duty_currency) AS duty_currency,
       count(*) AS declarations,
       count(a.duty_amount) AS priced_on, count(b.duty_amount) AS priced_vs,
       round(sum(a.duty_amount), 2) AS duty_on, round(sum(b.duty_amount), 2) AS duty_vs,
       round(sum(b.duty_amount) - sum(a.duty_amount), 2) AS difference,
       round(sum(CASE WHEN f.currency = a.duty_currency THEN a.duty_amount END)
             / sum(CASE WHEN f.currency = a.duty_currency THEN f.declared_value END), 4) AS rate_on,
       round(sum(CASE WHEN f.currency = b.duty_currency THEN b.duty_amount END)
             / sum(CASE WHEN f.currency = b.duty_currency THEN f.declared_value END), 4) AS rate_vs
FROM {features} AS f
JOIN {totals_on} AS a ON a.declaration_id = f.declaration_id
JOIN {totals_vs} AS b ON b.declaration_id = f.declaration_id
GROUP BY f.origin_of_goods, f.destination, coalesce(a.duty_currency, b.duty_currency)
ORDER BY f.destination, f.origin_of_goods"""


def to_spark(sql: str) -> str:
    """Transpile duty SQL to Spark SQL (CTE materialisation hints are DuckDB-only)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel

    tree = sqlglot.parse_one(sql, read="duckdb")
    for cte in tree.find_all(exp.CTE):
        cte.set("materialized", None)
    return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)
