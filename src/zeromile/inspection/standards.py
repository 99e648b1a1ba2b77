"""Inspection standards a body can be accredited for.

China's supporting notice to Announcement No. 6 of 2024 has third-party
agencies inspect exports against WM/T 8-2022 (passenger cars) or WM/T 9-2022
(commercial vehicles and trailers), or against the destination's standards.
WM/T 9-2022 was issued 2022-05-20 and is in force from 2022-12-01 (its cover);
WM/T 8-2022 is assumed to share those dates (not confirmed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from zeromile.errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class Standard:
    code: str
    title: str
    vehicle_scope: str
    in_force_from: dt.date | None
    sources: tuple[str, ...]


STANDARDS: dict[str, Standard] = {
    "WM/T 8-2022": Standard(
        code="WM/T 8-2022",
        title="Quality requirements for used passenger car export",
        vehicle_scope="passenger",
        in_force_from=dt.date(2022, 12, 1),  # assumed: same batch as WM/T 9-2022
        sources=("http://ahlsjy.cn/n/14073.html",),
    ),
    "WM/T 9-2022": Standard(
        code="WM/T 9-2022",
        title="Quality requirements for used commercial vehicle and trailer export",
        vehicle_scope="commercial",
        in_force_from=dt.date(2022, 12, 1),
        sources=("https://www.duodown.com/biaozhun/61232350.html",),
    ),
}

#: A destination country's standard: ``DEST:<ISO 3166-1 alpha-2>:<reference>``.
_DESTINATION = re.compile(r"^DEST:[A-Z]{2}:[A-Za-z0-9 ./()-]{1,50}$")


def parse_standard(code: str, *, field: str = "standard") -> str:
    """Return ``code`` if it names a known WM/T standard or a destination standard."""
    if code in STANDARDS or _DESTINATION.match(code):
        return code
    known = ", ".join(STANDARDS)
    raise InvalidInputError(
        f"unknown inspection standard {code!r}; expected {known} or DEST:<CC>:<reference>",
        fields=[{"field": field, "message": f"expected {known} or DEST:<CC>:<reference>"}],
    )
