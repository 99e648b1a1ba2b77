"""The catalogue of the screening's own findings: stable codes and severities.

Rule findings (rulebook, duties) carry their rule id and are catalogued with
their rules; these are the checks of the screening itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """What a finding asks of the officer; the verdict is the worst of them."""

    REFUSE = "refuse"
    REVIEW = "review"
    INFO = "info"


VERDICT_ORDER = ("refuse", "review", "clear")


@dataclass(frozen=True)
class FindingType:
    """A finding code with its severity and a one-line meaning."""

    code: str
    severity: Severity
    summary: str


FINDINGS: dict[str, FindingType] = {
    f.code: f
    for f in (
        FindingType(
            "VIN_INVALID",
            Severity.REFUSE,
            "Not a valid VIN, nor a Japanese chassis number of a JP-registered car.",
        ),
        FindingType(
            "VIN_CHECK_DIGIT",
            Severity.REVIEW,
            "Check digit wrong where it is mandatory (WMI 1-5, L).",
        ),
        FindingType(
            "VIN_MAKE_MISMATCH", Severity.REVIEW, "The WMI's make differs from the declared make."
        ),
        FindingType(
            "VIN_YEAR_MISMATCH", Severity.REVIEW, "Position 10 cannot mean the declared model year."
        ),
        FindingType(
            "ZERO_MILEAGE",
            Severity.INFO,
            "Declared used, but at most 500 km and first registered at most 365 days ago.",
        ),
        FindingType(
            "ODOMETER_ROLLBACK",
            Severity.REVIEW,
            "A reading is lower than an earlier-dated one by more than 100 km.",
        ),
        FindingType(
            "USED_NEVER_REGISTERED",
            Severity.REVIEW,
            "Declared used, but no registration on or before the declaration date.",
        ),
        FindingType(
            "EXPORTER_UNLICENSED",
            Severity.REFUSE,
            "The exporter is unknown, not active, or outside its licence.",
        ),
        FindingType(
            "DUPLICATE_DECLARATION",
            Severity.REVIEW,
            "Same VIN declared from the same origin by another exporter within 90 days.",
        ),
        FindingType(
            "REEXPORT",
            Severity.INFO,
            "The car was earlier declared for export to the country that is now its origin.",
        ),
    )
}
