"""The negative list of dishonest conduct and its exit rule.

MOFCOM, MIIT, MPS and GACC's notice Shang Mao Han [2025] No. 648 (11 Nov 2025)
asks local commerce departments for an exporter credit evaluation system, a
"negative list" of dishonest behaviour and a dynamic exit mechanism. The notice
gives no figures: the threshold and window here are policy settings
(``ZEROMILE_NEGATIVE_LIST_THRESHOLD``, ``ZEROMILE_NEGATIVE_LIST_WINDOW_DAYS``),
not legal facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Conduct(StrEnum):
    """Kinds of dishonest conduct recorded (the project's categories, not the notice's)."""

    DOCUMENT_MISMATCH = "document_mismatch"
    FALSE_DECLARATION = "false_declaration"
    MISSING_SERVICE_LETTER = "missing_service_letter"
    ILLEGAL_MODIFICATION = "illegal_modification"
    SANCTIONS_EVASION = "sanctions_evasion"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ExitRule:
    """``threshold`` entries within ``window_days`` (ending on the day, inclusive) suspend."""

    threshold: int = 3
    window_days: int = 365

    def entries_in_window(self, entry_dates: Iterable[dt.date], on: dt.date) -> int:
        start = on - dt.timedelta(days=self.window_days)
        return sum(1 for d in entry_dates if start < d <= on)

    def triggered(self, entry_dates: Iterable[dt.date], on: dt.date) -> bool:
        return self.entries_in_window(entry_dates, on) >= self.threshold

    def reason(self, count: int) -> str:
        return (
            f"negative list: {count} entries within {self.window_days} days "
            f"(exit rule threshold {self.threshold})"
        )
