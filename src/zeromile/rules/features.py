"""The feature set rule conditions may be written over.

Base columns are the screening's ``features`` relation (docs/architecture.md);
derived features are SQL expressions over those columns, evaluated at a rule's
*key date* (``declaration_date`` for export-side rules, ``import_date`` for
import-side rules), so one definition serves both sides. A rule naming anything
else fails at load time with a "did you mean".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from zeromile.dossier import contract
from zeromile.rules.model import Side

#: Base columns of the ``features`` relation with their DuckDB types.
BASE_COLUMNS: dict[str, str] = {
    "declaration_id": "VARCHAR",
    "vin": "VARCHAR",
    "exporter_id": "VARCHAR",
    "origin": "VARCHAR",
    "destination": "VARCHAR",
    "declaration_date": "DATE",
    "arrival_date": "DATE",
    "import_date": "DATE",
    "declared_condition": "VARCHAR",
    "declared_odometer_km": "BIGINT",
    "declared_value": "DOUBLE",
    "currency": "VARCHAR",
    "hs_code": "VARCHAR",
    "importer_kind": "VARCHAR",
    "documents": "VARCHAR[]",
    "has_vehicle": "BOOLEAN",
    "make": "VARCHAR",
    "model": "VARCHAR",
    "model_year": "INTEGER",
    "built_in": "VARCHAR",
    "origin_of_goods": "VARCHAR",
    "fuel": "VARCHAR",
    "body": "VARCHAR",
    "steering": "VARCHAR",
    "damage": "VARCHAR",
    "engine_cc": "INTEGER",
    "power_kw": "DOUBLE",
    "msrp": "DOUBLE",
    "msrp_currency": "VARCHAR",
    "wmi_make": "VARCHAR",
    "wmi_country": "VARCHAR",
    "hs_subheading": "VARCHAR",
    "first_registration_date": "DATE",
    "first_registration_country": "VARCHAR",
    "first_registration_region": "VARCHAR",
    "days_since_first_registration": "INTEGER",
    "max_odometer_km": "BIGINT",
    "maintenance_count": "INTEGER",
    "zero_mileage": "BOOLEAN",
    "zero_mileage_score": "DOUBLE",
    "evidence_registrations": "BOOLEAN",
    "evidence_odometer": "BOOLEAN",
    "evidence_maintenance": "BOOLEAN",
    "evidence_inspections": "BOOLEAN",
    "evidence_exporters": "BOOLEAN",
}

#: Placeholder for the key-date column inside derived-feature templates.
KEY = "{key}"

#: Which column a side keys on.
KEY_COLUMN: dict[Side, str] = {Side.EXPORT: "declaration_date", Side.IMPORT: "import_date"}


@dataclass(frozen=True)
class DerivedFeature:
    """A feature computed from base columns at the key date."""

    name: str
    sql: str
    meaning: str
    jurisdiction: str | None = None


_FR = "first_registration_date"

DERIVED_FEATURES: tuple[DerivedFeature, ...] = (
    DerivedFeature("key_date", KEY, "the date the rule keys on (declaration or import date)"),
    DerivedFeature("key_year", f"year({KEY})", "calendar year of the key date"),
    DerivedFeature(
        "age_years_since_manufacture",
        f"year({KEY}) - model_year",
        "calendar years from the model year to the key date (2026 - 2023 = 3)",
    ),
    DerivedFeature(
        "age_years_counting_clearance_year",
        f"year({KEY}) - model_year + 1",
        "years of manufacture counted inclusively up to the year of clearance (2023..2026 = 4)",
    ),
    DerivedFeature("first_registration_year", f"year({_FR})", "year of first registration"),
    DerivedFeature(
        "age_years_since_first_registration",
        f"year({KEY}) - year({_FR}) - CASE WHEN month({KEY}) * 100 + day({KEY})"
        f" < month({_FR}) * 100 + day({_FR}) THEN 1 ELSE 0 END",
        "full years from first registration to the key date",
    ),
    DerivedFeature(
        "months_since_first_registration",
        f"(year({KEY}) - year({_FR})) * 12 + month({KEY}) - month({_FR})"
        f" - CASE WHEN day({KEY}) < day({_FR}) THEN 1 ELSE 0 END",
        "full months from first registration to the key date",
    ),
    DerivedFeature(
        "days_registered_at_key",
        f"date_diff('day', {_FR}, {KEY})",
        "days from first registration to the key date (same day = 0)",
    ),
    DerivedFeature("is_registered", f"{_FR} IS NOT NULL", "a first registration is known"),
    DerivedFeature(
        "is_electrified",
        "fuel IN ('hev', 'phev', 'bev', 'erev', 'fcev')",
        "hybrid, plug-in hybrid or battery-electric (NULL when fuel is unknown)",
    ),
    DerivedFeature(
        "declared_value_jpy",
        "CASE WHEN currency = 'JPY' THEN declared_value END",
        "declared value when declared in yen, else NULL (no conversion is guessed)",
    ),
)

#: Value sets the conditions use: the dossier contract's, so the two cannot drift.
ENUMS: dict[str, tuple[str, ...]] = {
    "fuel": contract.FUELS,
    "steering": contract.STEERING,
    "damage": contract.DAMAGE,
    "declared_condition": contract.CONDITIONS,
    "importer_kind": contract.IMPORTER_KINDS,
    "body": contract.BODIES,
}

#: Document codes the rules look for in ``documents``.
DOCUMENT_CODES: dict[str, str] = {
    "export_licence": "China used-car export licence (MOFCOM Announcement No. 6 of 2024)",
    "inspection_report": "export quality report by an accredited third-party inspector "
    "(WM/T 8-2022 or WM/T 9-2022)",
    "manufacturer_after_sales_letter": "manufacturer's after-sales service confirmation letter "
    "(Shang Mao Han [2025] No. 648)",
    "export_deregistration_certificate": "Japan Export Provisional Deregistration Certificate",
    "export_notification_certificate": "Japan export notification certificate (temporarily deregistered car)",
    "roadworthiness_certificate": "Certificate of Roadworthiness by KEBS's appointed inspector (QISJ)",
}


def all_derived() -> tuple[DerivedFeature, ...]:
    """Common derived features plus those registered by jurisdiction modules."""
    from zeromile.rules.logic import registered

    return DERIVED_FEATURES + registered()


def known_names(extra: frozenset[str] = frozenset()) -> frozenset[str]:
    """Every name a condition may reference (``extra``: brand-list features of the rulebook)."""
    return frozenset(BASE_COLUMNS) | frozenset(d.name for d in all_derived()) | extra


def suggest(name: str, extra: frozenset[str] = frozenset()) -> str:
    """A "did you mean" suffix for an unknown feature name (empty when nothing is close)."""
    close = difflib.get_close_matches(name, sorted(known_names(extra)), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
