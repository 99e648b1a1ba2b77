"""Reference code lists (ISO 3166-1, ISO 3166-2, ISO 4217) from pycountry.

pycountry ships the Debian iso-codes database, which follows the ISO
maintenance agencies; zeromile does not keep its own copy of these lists.
"""

from __future__ import annotations

from functools import cache


@cache
def reference_codes() -> dict[str, tuple[str, ...]]:
    """Code lists keyed by the reference table name the validation SQL reads."""
    import pycountry

    return {
        "ref_country": tuple(sorted(c.alpha_2 for c in pycountry.countries)),
        "ref_currency": tuple(sorted(c.alpha_3 for c in pycountry.currencies)),
        "ref_region": tuple(sorted(s.code for s in pycountry.subdivisions)),
    }
