"""Everything zeromile can say about one VIN or chassis number, as one value.

:func:`explain_vin` is the pure Python twin of the set-based SQL in
:mod:`zeromile.vin.sql`; both answer the same columns, and a test runs them
side by side so they cannot drift.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from zeromile.vin.checkdigit import compute_check_digit
from zeromile.vin.makes import make_key, makes_match
from zeromile.vin.syntax import VinKind, classify
from zeromile.vin.wmi import lookup_wmi, prefix_country
from zeromile.vin.years import (
    decode_model_year,
    position_7_rule_applies,
    year_candidates,
    year_mismatch,
)

#: First VIN characters where the check digit is mandatory: North America
#: (49 CFR 565.15) and China (GB 16735).
CHECK_DIGIT_MANDATORY_REGIONS = "12345L"


def check_digit_mandatory(vin: str) -> bool:
    """Whether the VIN's region requires a correct check digit at position 9."""
    return vin[0] in CHECK_DIGIT_MANDATORY_REGIONS


@dataclass(frozen=True, slots=True)
class VinExplanation:
    """The reading of one identifier; VIN-only fields are None for other kinds."""

    input: str | None
    normalized: str
    vin_kind: VinKind
    vin_invalid_reason: str | None = None
    check_digit_expected: str | None = None
    check_digit_found: str | None = None
    check_digit_mandatory: bool | None = None
    check_digit_ok: bool | None = None
    wmi: str | None = None
    wmi_manufacturer: str | None = None
    wmi_make: str | None = None
    wmi_makes: tuple[str, ...] | None = None
    wmi_country: str | None = None
    wmi_country_reliable: bool | None = None
    wmi_source: str | None = None
    year_code: str | None = None
    position_7_rule: bool | None = None
    year_candidates: tuple[int, ...] | None = None
    decoded_model_year: int | None = None
    declared_make: str | None = None
    declared_model_year: int | None = None
    make_mismatch: bool | None = None
    year_mismatch: bool | None = None

    @property
    def check_digit_error(self) -> bool:
        """The ``VIN_CHECK_DIGIT`` condition: wrong where the check digit is mandatory."""
        return bool(self.check_digit_mandatory) and self.check_digit_ok is False

    def finding_codes(self) -> list[str]:
        """Codes of the screening findings this reading triggers (docs/vin.md has the table)."""
        codes = []
        if self.vin_kind == "invalid":
            codes.append("VIN_INVALID")
        if self.check_digit_error:
            codes.append("VIN_CHECK_DIGIT")
        if self.make_mismatch:
            codes.append("VIN_MAKE_MISMATCH")
        if self.year_mismatch:
            codes.append("VIN_YEAR_MISMATCH")
        return codes

    def problems(self) -> list[str]:
        """Plain-language list of what is wrong, empty when nothing is."""
        found: list[str] = []
        if self.vin_invalid_reason:
            found.append(self.vin_invalid_reason)
        if self.check_digit_ok is False:
            need = "mandatory" if self.check_digit_mandatory else "not mandatory here"
            found.append(
                f"check digit is {self.check_digit_found}, expected "
                f"{self.check_digit_expected} ({need})"
            )
        if self.make_mismatch:
            found.append(f"declared make {self.declared_make!r} is not a make of WMI {self.wmi}")
        if self.year_mismatch:
            found.append(
                f"position 10 ({self.year_code}) cannot mean model year {self.declared_model_year}"
            )
        return found

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict (tuples become lists)."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        data["problems"] = self.problems()
        data["findings"] = self.finding_codes()
        return data


def explain_vin(
    vin: str | None,
    *,
    declared_make: str | None = None,
    declared_model_year: int | None = None,
    registration_country: str | None = None,
) -> VinExplanation:
    """Explain a declared identifier; never raises for bad input, it reports it."""
    declared = declared_make if declared_make and make_key(declared_make) else None
    base = classify(vin, registration_country=registration_country)
    if base.kind != "vin":
        return VinExplanation(
            input=vin,
            normalized=base.normalized,
            vin_kind=base.kind,
            vin_invalid_reason=base.invalid_reason,
            declared_make=declared,
            declared_model_year=declared_model_year,
        )
    ident = base.normalized
    expected = compute_check_digit(ident)
    entry = lookup_wmi(ident)
    candidates = year_candidates(ident)
    return VinExplanation(
        input=vin,
        normalized=ident,
        vin_kind="vin",
        check_digit_expected=expected,
        check_digit_found=ident[8],
        check_digit_mandatory=check_digit_mandatory(ident),
        check_digit_ok=expected == ident[8],
        wmi=ident[:3],
        wmi_manufacturer=entry.manufacturer if entry else None,
        wmi_make=entry.make if entry else None,
        wmi_makes=entry.makes if entry else None,
        wmi_country=entry.country if entry else prefix_country(ident),
        wmi_country_reliable=entry.country_reliable if entry else False,
        wmi_source=entry.source if entry else None,
        year_code=ident[9],
        position_7_rule=position_7_rule_applies(ident),
        year_candidates=candidates,
        decoded_model_year=decode_model_year(candidates, declared_model_year),
        declared_make=declared,
        declared_model_year=declared_model_year,
        make_mismatch=(
            None if entry is None or declared is None else not makes_match(declared, entry.makes)
        ),
        year_mismatch=year_mismatch(candidates, declared_model_year),
    )
