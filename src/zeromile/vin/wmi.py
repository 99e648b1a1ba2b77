"""World manufacturer identifiers (VIN positions 1-3): who made the car, under which make, where.

The table is vininfo's WMI dictionary, maintained upstream, merged with the
curated rows of ``data/wmi_overrides.csv`` (each with a vPIC source) for what
vininfo gets wrong or lacks. vininfo also keys some manufacturers by two
characters (``JT`` Toyota); those are expanded here to every third character
not listed on its own, so one lookup on positions 1-3 always suffices.

Small manufacturers (third character ``9``) are identified by positions 1-3
plus 12-14; like vininfo, this table keys them by positions 1-3 only, so the
name given for such a WMI is the one vininfo lists, if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from zeromile.errors import VinError
from zeromile.vin._data import read_rows
from zeromile.vin.makes import makes_in_title
from zeromile.vin.syntax import VIN_ALPHABET

VININFO_SOURCE = "https://github.com/idlesign/vininfo (vininfo {version}, vininfo/dicts/wmi.py)"
ISO_3780_SOURCE = (
    "https://github.com/idlesign/vininfo (vininfo {version}, vininfo/dicts/countries.py)"
)

_VIN_CHARS = frozenset(VIN_ALPHABET)

#: vininfo country titles that pycountry cannot look up by name.
_COUNTRY_NAME_FIXES: dict[str, str | None] = {
    "Bosnia & Herzogovina": "BA",
    "Dom. Republic": "DO",
    "Ivory Coast": "CI",
    "Macedonia": "MK",
    "Russia": "RU",
    "Turkey": "TR",
    "Serbia & Montenegro": None,  # a former union: no single ISO 3166 code today
    "South Ossetia": None,  # not in ISO 3166
}


@dataclass(frozen=True, slots=True)
class WmiEntry:
    """One WMI: its manufacturer, its main make and every make it covers."""

    wmi: str
    manufacturer: str
    make: str
    makes: tuple[str, ...]
    country: str | None
    country_reliable: bool
    source: str


def _vininfo_version() -> str:
    from importlib.metadata import version

    return version("vininfo")


@cache
def country_prefixes() -> dict[str, str]:
    """Two-character VIN prefix -> ISO 3166 alpha-2 country, per ISO 3780 as vininfo lists it."""
    import pycountry
    from vininfo.dicts import COUNTRIES

    prefixes: dict[str, str] = {}
    for prefix, name in COUNTRIES.items():
        if name in _COUNTRY_NAME_FIXES:
            code = _COUNTRY_NAME_FIXES[name]
        else:
            try:
                code = pycountry.countries.lookup(name).alpha_2
            except LookupError as exc:
                raise VinError(f"vininfo country {name!r} has no ISO 3166 code") from exc
        if code is not None:
            prefixes[prefix] = code
    return prefixes


def _vininfo_titles() -> dict[str, str]:
    """vininfo's WMI dictionary as WMI (2 or 3 characters) -> manufacturer title."""
    from vininfo.dicts import WMI

    titles: dict[str, str] = {}
    for key, value in WMI.items():
        title = value if isinstance(value, str) else value.manufacturer
        titles[key] = str(title).strip()
    return titles


def _expand_prefixes(titles: dict[str, str]) -> dict[str, str]:
    """Three-character WMIs only: a two-character key fills every third character not listed.

    Keys with characters no VIN can carry (vininfo lists ``WFO``, ``WOL``,
    ``ZOM`` with the letter O) are dropped: they can never match.
    """
    usable = {k: v for k, v in titles.items() if set(k) <= _VIN_CHARS}
    expanded = {wmi: title for wmi, title in usable.items() if len(wmi) == 3}
    for prefix, title in usable.items():
        if len(prefix) != 2:
            continue
        for ch in VIN_ALPHABET:
            expanded.setdefault(prefix + ch, title)
    return expanded


def _override_entries() -> dict[str, WmiEntry]:
    rows = read_rows(
        "wmi_overrides.csv",
        required=("wmi", "manufacturer", "make", "country", "country_reliable", "source"),
    )
    entries: dict[str, WmiEntry] = {}
    for line, row in enumerate(rows, start=2):
        wmi = row["wmi"]
        if len(wmi) != 3 or any(ch not in VIN_ALPHABET for ch in wmi):
            raise VinError(f"wmi_overrides.csv:{line}: wmi {wmi!r} is not 3 VIN characters")
        if row["country_reliable"] not in ("true", "false"):
            raise VinError(f"wmi_overrides.csv:{line}: country_reliable must be true or false")
        also = tuple(m.strip() for m in row.get("also_makes", "").split("|") if m.strip())
        entries[wmi] = WmiEntry(
            wmi=wmi,
            manufacturer=row["manufacturer"],
            make=row["make"],
            makes=(row["make"], *also),
            country=row["country"],
            country_reliable=row["country_reliable"] == "true",
            source=row["source"],
        )
    return entries


@cache
def wmi_table() -> dict[str, WmiEntry]:
    """Every known WMI: vininfo's, expanded to three characters, with the curated rows on top."""
    source = VININFO_SOURCE.format(version=_vininfo_version())
    countries = country_prefixes()
    table: dict[str, WmiEntry] = {}
    for wmi, title in _expand_prefixes(_vininfo_titles()).items():
        makes = makes_in_title(title)
        table[wmi] = WmiEntry(
            wmi=wmi,
            manufacturer=title,
            make=makes[0],
            makes=makes,
            country=countries.get(wmi[:2]),
            country_reliable=wmi[:2] in countries,
            source=source,
        )
    table.update(_override_entries())
    return table


def lookup_wmi(vin: str) -> WmiEntry | None:
    """The WMI entry for a VIN's first three characters, or None when unknown."""
    return wmi_table().get(vin[:3])


def prefix_country(vin: str) -> str | None:
    """Country of the VIN's ISO 3780 range (first two characters), known or not as a WMI."""
    return country_prefixes().get(vin[:2])
