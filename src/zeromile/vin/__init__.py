"""Vehicle identity: VIN syntax, check digit, WMI and model-year decoding, Japanese chassis numbers.

Pure: nothing here opens a database. :func:`explain_vin` explains one
identifier; :mod:`zeromile.vin.sql` gives the same answers as SQL over a
whole relation, with the reference tables of :mod:`zeromile.vin.reference`.
"""

from __future__ import annotations

from zeromile.vin.checkdigit import TRANSLITERATION, WEIGHTS, compute_check_digit, with_check_digit
from zeromile.vin.explain import (
    CHECK_DIGIT_MANDATORY_REGIONS,
    VinExplanation,
    check_digit_mandatory,
    explain_vin,
)
from zeromile.vin.makes import canonical_make, make_key, makes_match
from zeromile.vin.syntax import JP_CHASSIS_PATTERN, classify, is_jp_chassis_number
from zeromile.vin.wmi import WmiEntry, lookup_wmi, wmi_table
from zeromile.vin.years import code_years, year_candidates

__all__ = [
    "CHECK_DIGIT_MANDATORY_REGIONS",
    "JP_CHASSIS_PATTERN",
    "TRANSLITERATION",
    "WEIGHTS",
    "VinExplanation",
    "WmiEntry",
    "canonical_make",
    "check_digit_mandatory",
    "classify",
    "code_years",
    "compute_check_digit",
    "explain_vin",
    "is_jp_chassis_number",
    "lookup_wmi",
    "make_key",
    "makes_match",
    "with_check_digit",
    "wmi_table",
    "year_candidates",
]
