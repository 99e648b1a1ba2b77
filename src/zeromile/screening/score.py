"""The zero-mileage score: how likely a "used" car is really a new car.

The boolean ``ZERO_MILEAGE`` finding is a bright line; the score weighs more
signals, each mapped to [0, 1] where 1 points to a zero-mileage car, and
combines them with a logistic of a weighted sum. Every weight is positive, so
the score is monotone in each signal; an unknown signal sits at 0.5.
Signals follow the pattern reported for zero-mileage exports (a dealer,
trader or exporter as first owner, no maintenance, batch registrations, a
price near MSRP, a few days of registration and no distance driven).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signal:
    """One signal: its SQL expression over the facts of a declaration (``features`` columns), and its weight."""

    name: str
    sql: str
    weight: float
    doc: str


SIGNALS: tuple[Signal, ...] = (
    Signal(
        "odometer",
        "CASE WHEN max_km IS NULL THEN 0.5 ELSE 1 - least(max_km, 5000) / 5000.0 END",
        3.0,
        "1 at 0 km falling linearly to 0 at 5,000 km (highest reading up to the declaration).",
    ),
    Signal(
        "days_registered",
        "CASE WHEN days_since_first_registration IS NULL THEN 0.5 "
        "ELSE 1 - least(greatest(days_since_first_registration, 0), 730) / 730.0 END",
        2.0,
        "1 on the day of first registration falling to 0 at two years.",
    ),
    Signal(
        "first_owner",
        "CASE WHEN first_owner_kind IN ('dealer', 'trader', 'exporter', 'manufacturer') THEN 1.0 "
        "WHEN first_owner_kind IS NULL THEN 0.5 ELSE 0.0 END",
        2.0,
        "1 when the first owner is a dealer, trader, exporter or the manufacturer; 0 for private, fleet or government owners.",
    ),
    Signal(
        "no_maintenance",
        "CASE WHEN NOT evidence_maintenance THEN 0.5 ELSE 1.0 / (1 + maintenance_count) END",
        1.5,
        "1 with no maintenance record, 1/(1+n) with n records.",
    ),
    Signal(
        "batch_registration",
        "CASE WHEN batch_size IS NULL THEN 0.0 ELSE least(batch_size - 1, 9) / 9.0 END",
        1.0,
        "0 for a lone registration rising to 1 when ten or more of the same model were first registered by the same owner within the batch window.",
    ),
    Signal(
        "price_near_msrp",
        "CASE WHEN declared_value IS NULL OR msrp IS NULL OR msrp <= 0 OR currency IS DISTINCT FROM msrp_currency "
        "THEN 0.5 ELSE least(greatest((declared_value / msrp - 0.5) / 0.5, 0), 1) END",
        1.0,
        "0 at half the MSRP or less rising to 1 at the MSRP (same currency only).",
    ),
)

#: Centre of the logistic: the score is 0.5 when the weighted sum is half its maximum.
BIAS = -sum(s.weight for s in SIGNALS) / 2


def score_sql() -> str:
    """SQL expression of the score over ``features`` columns."""
    total = " + ".join(f"{s.weight} * ({s.sql})" for s in SIGNALS)
    return f"1 / (1 + exp(-({BIAS} + {total})))"


def score_evidence_sql() -> str:
    """SQL expression of a JSON object listing every signal's value and weight."""
    parts = ", ".join(
        f"'{s.name}': {{'signal': round({s.sql}, 4), 'weight': {s.weight}}}" for s in SIGNALS
    )
    return f"to_json({{{parts}}})"
