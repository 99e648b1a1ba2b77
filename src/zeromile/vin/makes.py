"""Make equivalence: when a declared make and a WMI's make name the same brand.

Declarations spell makes freely ("MERCEDES BENZ", "Mercedes-Benz", "VW"). A
make is compared through its *key*: letters and digits only, lower-cased;
aliases (``data/make_aliases.csv``) then map a key to a canonical make, so
"Mercedes" and "Mercedes-Benz" agree. A WMI may cover several brands (FAW-
Volkswagen builds Volkswagen and Audi); the WMI table lists them all and a
declared make matches if it is any of them.

The SQL twin is in :mod:`zeromile.vin.sql`: ``lower(regexp_replace(x,
'[^A-Za-z0-9]', '', 'g'))`` computes the same key.
"""

from __future__ import annotations

import re
from functools import cache

from zeromile.vin._data import read_rows

_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")
_WORD_SPLIT = re.compile(r"[\s\-/(),.&]+")
#: Longest alias, in words, tried when reading a make out of a manufacturer title.
_MAX_ALIAS_WORDS = 4


def make_key(name: str) -> str:
    """Comparison key of a make: ASCII letters and digits only, lower-cased."""
    return _NON_ALNUM.sub("", name).lower()


@cache
def make_aliases() -> dict[str, str]:
    """Alias key -> canonical make, from ``data/make_aliases.csv``."""
    rows = read_rows("make_aliases.csv", required=("alias", "make"))
    aliases = {make_key(row["make"]): row["make"] for row in rows}
    aliases.update({make_key(row["alias"]): row["make"] for row in rows})
    return aliases


def canonical_make(name: str) -> str | None:
    """The canonical make for a spelling, or None when no alias knows it."""
    return make_aliases().get(make_key(name))


def canonical_make_key(name: str) -> str:
    """Key of the canonical make when an alias knows the name, else the name's own key."""
    canonical = canonical_make(name)
    return make_key(canonical if canonical is not None else name)


def makes_in_title(title: str) -> tuple[str, ...]:
    """Canonical makes named in a manufacturer title, in order ("Hyundai/Kia" -> both).

    Each ``/``-separated part contributes the first run of words that an alias
    knows ("FAW-Volkswagen" -> Volkswagen, "Chevrolet USA" -> Chevrolet); a
    part naming no known make contributes itself, trimmed.
    """
    found: list[str] = []
    for part in (p.strip() for p in title.split("/")):
        if not part:
            continue
        make = _first_known_make(part) or part
        if make not in found:
            found.append(make)
    return tuple(found)


def _first_known_make(part: str) -> str | None:
    words = [w for w in _WORD_SPLIT.split(part) if w]
    for start in range(len(words)):
        for size in range(min(_MAX_ALIAS_WORDS, len(words) - start), 0, -1):
            make = canonical_make("".join(words[start : start + size]))
            if make is not None:
                return make
    return None


def makes_match(declared: str, wmi_makes: tuple[str, ...]) -> bool:
    """Whether a declared make names one of the brands a WMI covers."""
    key = canonical_make_key(declared)
    return any(make_key(make) == key for make in wmi_makes)
