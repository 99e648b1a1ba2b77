"""Kenya: the rolling 8-year window of KS 1515 as a derived feature.

The cut-off year moves every 1 January of the arrival year (2017 in 2024, 2018
in 2025, 2019 in 2026), so it is a function of the key date rather than a
constant a rule file could hold.
"""

from __future__ import annotations

from zeromile.rules.logic import feature

#: Years in the window, counting the year of first registration (KS 1515:2000 cl. 2.5).
WINDOW_YEARS = 8


@feature(
    "KE",
    "ke_oldest_allowed_registration_year",
    "KS 1515 rolling window: oldest year of first registration admitted in the year of "
    "arrival (arrival year - 7)",
)
def oldest_allowed_registration_year(key: str) -> str:
    """SQL: the oldest admissible year of first registration at ``key``."""
    return f"year({key}) - {WINDOW_YEARS - 1}"
