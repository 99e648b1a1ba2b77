"""Reference tables for set-based VIN screening, as plain Python data.

Each function returns ``(columns, rows)``; the engine loads them into DuckDB
(or Spark) under the names in :data:`TABLE_NAMES`, and the SQL of
:mod:`zeromile.vin.sql` joins them. Nothing here touches a database.

| table | columns | one row per |
|---|---|---|
| ``vin_wmi`` | wmi, manufacturer, make, country, country_reliable, source | WMI |
| ``vin_wmi_make`` | wmi, make, make_key | make a WMI covers |
| ``vin_make_alias`` | alias_key, make, make_key | spelling of a make |
| ``vin_country_prefix`` | prefix, country | ISO 3780 two-character range |
| ``vin_year_code`` | code, year | reading of a position-10 code |
| ``vin_transliteration`` | character, value | VIN character (49 CFR 565.15) |
| ``vin_weight`` | position, weight | VIN position (49 CFR 565.15) |
"""

from __future__ import annotations

from typing import Any

from zeromile.vin.checkdigit import TRANSLITERATION, WEIGHTS
from zeromile.vin.makes import make_aliases, make_key
from zeromile.vin.wmi import country_prefixes, wmi_table
from zeromile.vin.years import YEAR_CODES, code_years

Columns = tuple[str, ...]
Rows = list[tuple[Any, ...]]
Table = tuple[Columns, Rows]

WMI_TABLE = "vin_wmi"
WMI_MAKE_TABLE = "vin_wmi_make"
MAKE_ALIAS_TABLE = "vin_make_alias"
COUNTRY_PREFIX_TABLE = "vin_country_prefix"
YEAR_CODE_TABLE = "vin_year_code"
TRANSLITERATION_TABLE = "vin_transliteration"
WEIGHT_TABLE = "vin_weight"

TABLE_NAMES: tuple[str, ...] = (
    WMI_TABLE,
    WMI_MAKE_TABLE,
    MAKE_ALIAS_TABLE,
    COUNTRY_PREFIX_TABLE,
    YEAR_CODE_TABLE,
    TRANSLITERATION_TABLE,
    WEIGHT_TABLE,
)


def wmi_rows() -> Table:
    """The full WMI table: vininfo merged with the curated overrides."""
    columns = ("wmi", "manufacturer", "make", "country", "country_reliable", "source")
    rows: Rows = [
        (e.wmi, e.manufacturer, e.make, e.country, e.country_reliable, e.source)
        for e in sorted(wmi_table().values(), key=lambda e: e.wmi)
    ]
    return columns, rows


def wmi_make_rows() -> Table:
    """Every make each WMI covers, with its comparison key (unique per wmi and key)."""
    rows: Rows = []
    for entry in sorted(wmi_table().values(), key=lambda e: e.wmi):
        seen: set[str] = set()
        for make in entry.makes:
            key = make_key(make)
            if key and key not in seen:
                seen.add(key)
                rows.append((entry.wmi, make, key))
    return ("wmi", "make", "make_key"), rows


def make_alias_rows() -> Table:
    """Alias key -> canonical make and its key."""
    rows: Rows = [
        (alias, make, make_key(make)) for alias, make in sorted(make_aliases().items()) if alias
    ]
    return ("alias_key", "make", "make_key"), rows


def country_prefix_rows() -> Table:
    """ISO 3780 two-character range -> ISO 3166 alpha-2 country."""
    return ("prefix", "country"), sorted(country_prefixes().items())


def year_code_rows() -> Table:
    """Every model year each position-10 code can stand for."""
    rows: Rows = [(code, year) for code in YEAR_CODES for year in code_years(code)]
    return ("code", "year"), rows


def transliteration_rows() -> Table:
    """Numeric value of each VIN character for the check digit."""
    return ("character", "value"), sorted(TRANSLITERATION.items())


def weight_rows() -> Table:
    """Weight of each position (1-based) for the check digit."""
    return ("position", "weight"), [(i, w) for i, w in enumerate(WEIGHTS, start=1)]


def reference_tables() -> dict[str, Table]:
    """Every reference table by the name the SQL expects it under."""
    return {
        WMI_TABLE: wmi_rows(),
        WMI_MAKE_TABLE: wmi_make_rows(),
        MAKE_ALIAS_TABLE: make_alias_rows(),
        COUNTRY_PREFIX_TABLE: country_prefix_rows(),
        YEAR_CODE_TABLE: year_code_rows(),
        TRANSLITERATION_TABLE: transliteration_rows(),
        WEIGHT_TABLE: weight_rows(),
    }
