"""The screening summary as SQL over a ``decisions`` relation.

Counts by verdict, by finding, by flow (origin-destination), and the
zero-mileage share by origin, by origin region and by month: the figures an
analyst publishes. The same definitions serve the CLI, the service and the
benchmark.
"""

from __future__ import annotations

SUMMARY_QUERIES: dict[str, str] = {
    "by_verdict": "SELECT verdict, count(*) AS n FROM {r} GROUP BY verdict ORDER BY n DESC, verdict",
    "by_finding": (
        "SELECT code, count(*) AS n FROM (SELECT unnest(string_split(findings, ';')) AS code "
        "FROM {r} WHERE findings <> '') GROUP BY code ORDER BY n DESC, code"
    ),
    "by_flow": (
        "SELECT origin, destination, count(*) AS n, "
        "count(*) FILTER (WHERE zero_mileage) AS zero_mileage FROM {r} "
        "GROUP BY origin, destination ORDER BY n DESC, origin, destination"
    ),
    "zero_mileage_by_origin": (
        "SELECT origin, count(*) AS n, count(*) FILTER (WHERE zero_mileage) AS zero_mileage, "
        "round(count(*) FILTER (WHERE zero_mileage) / count(*), 4) AS share FROM {r} "
        "GROUP BY origin ORDER BY n DESC, origin"
    ),
    "zero_mileage_by_origin_region": (
        "SELECT origin, origin_region, count(*) AS n, "
        "count(*) FILTER (WHERE zero_mileage) AS zero_mileage, "
        "round(count(*) FILTER (WHERE zero_mileage) / count(*), 4) AS share FROM {r} "
        "WHERE origin_region IS NOT NULL GROUP BY origin, origin_region "
        "ORDER BY zero_mileage DESC, origin, origin_region"
    ),
    "zero_mileage_by_month": (
        "SELECT strftime(declaration_date, '%Y-%m') AS month, origin, count(*) AS n, "
        "count(*) FILTER (WHERE zero_mileage) AS zero_mileage, "
        "round(count(*) FILTER (WHERE zero_mileage) / count(*), 4) AS share FROM {r} "
        "GROUP BY month, origin ORDER BY month, origin"
    ),
}


def summary_queries(relation: str = "decisions") -> dict[str, str]:
    """The summary's queries over ``relation``, by section name."""
    return {name: sql.format(r=relation) for name, sql in SUMMARY_QUERIES.items()}
