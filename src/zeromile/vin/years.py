"""Model year from VIN position 10.

The year code cycles every 30 years (49 CFR 565, Table VII; GB 16735 uses the
same table): ``A`` is 1980 and 2010, ``Y`` 2000 and 2030, ``1``-``9`` 2001-2009 and
2031-2039. Two readings remain; the declared model year or, for North
American VINs, the position-7 rule picks one: a digit at position 7 means
1980-2009, a letter means 2010-2039 (footnote to 49 CFR 565 Table VII, added
by 73 FR 23367, effective 27 Oct 2008; passenger cars, MPVs and trucks up to
4,536 kg GVWR). No clock is read, so answers do not change over time.
"""

from __future__ import annotations

#: Year codes in cycle order; index 0 is 1980.
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
FIRST_CYCLE_START = 1980
CYCLE_LENGTH = len(YEAR_CODES)
#: Cycles this module knows: 1980-2009 and 2010-2039.
CYCLE_STARTS: tuple[int, ...] = (FIRST_CYCLE_START, FIRST_CYCLE_START + CYCLE_LENGTH)

#: First VIN characters whose VINs follow 49 CFR 565 (North America).
POSITION_7_RULE_REGIONS = "12345"


def code_years(code: str) -> tuple[int, ...]:
    """Every model year a position-10 code can stand for (empty for a non-year code)."""
    index = YEAR_CODES.find(code)
    if index < 0 or len(code) != 1:
        return ()
    return tuple(start + index for start in CYCLE_STARTS)


def position_7_rule_applies(vin: str) -> bool:
    """Whether the VIN's region (first character) follows the 49 CFR 565 position-7 rule."""
    return vin[0] in POSITION_7_RULE_REGIONS


def year_candidates(vin: str) -> tuple[int, ...]:
    """Model years position 10 can mean, narrowed by the position-7 rule where it applies."""
    years = code_years(vin[9])
    if not years or not position_7_rule_applies(vin):
        return years
    return years[:1] if vin[6].isdigit() else years[1:]


def decode_model_year(candidates: tuple[int, ...], declared: int | None) -> int | None:
    """The model year when unambiguous: the only candidate, else the declared year if it is one."""
    if len(candidates) == 1:
        return candidates[0]
    if declared is not None and declared in candidates:
        return declared
    return None


def year_mismatch(candidates: tuple[int, ...], declared: int | None) -> bool | None:
    """True when position 10 cannot mean the declared year; None when it cannot be told."""
    if declared is None or not candidates:
        return None
    return declared not in candidates
