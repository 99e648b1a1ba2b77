"""Export inspection reports as pure logic: the worksheet outline and its checks.

See ``docs/inspection-reports.md`` for which parts follow WM/T 8-2022 and
WM/T 9-2022 and which are the project's assumptions.
"""

from zeromile.inspection.standards import STANDARDS, Standard, parse_standard
from zeromile.inspection.worksheet import (
    OUTLINE,
    ItemResult,
    Section,
    Worksheet,
    WorksheetItem,
    overall_from_items,
    validate_worksheet,
)

__all__ = [
    "OUTLINE",
    "STANDARDS",
    "ItemResult",
    "Section",
    "Standard",
    "Worksheet",
    "WorksheetItem",
    "overall_from_items",
    "parse_standard",
    "validate_worksheet",
]
