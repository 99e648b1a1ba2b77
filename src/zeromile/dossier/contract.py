"""The dossier: zeromile's input contract, one table per file.

A dossier is a folder with ``<table>.csv`` (UTF-8, header row) or
``<table>.parquet`` files. Only ``declarations`` is required; a missing table
means "no evidence of that kind". This module is the single definition of
tables, columns and value kinds; validation SQL, JSON Schemas and the docs are
generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a column holds, which decides how a value is checked and typed."""

    ID = "id"  # non-empty text, at most 64 characters
    VIN = "vin"  # non-empty text; a bad VIN is a finding, not a rejected row
    TEXT = "text"
    INT = "int"  # whole number >= 0
    FLOAT = "float"  # number >= 0
    PERCENT = "percent"  # number in [0, 100]
    YEAR = "year"  # model year, 1950..2100
    DATE = "date"  # ISO 8601 YYYY-MM-DD
    ENUM = "enum"
    COUNTRY = "country"  # ISO 3166-1 alpha-2
    REGION = "region"  # ISO 3166-2 subdivision
    CURRENCY = "currency"  # ISO 4217
    LOCODE = "locode"  # UN/LOCODE, e.g. CNSHA
    CODES = "codes"  # semicolon-separated codes, each trimmed and non-empty


#: The SQL type each kind is stored as after validation (DuckDB names).
SQL_TYPES: dict[Kind, str] = {
    Kind.ID: "VARCHAR",
    Kind.VIN: "VARCHAR",
    Kind.TEXT: "VARCHAR",
    Kind.INT: "BIGINT",
    Kind.FLOAT: "DOUBLE",
    Kind.PERCENT: "DOUBLE",
    Kind.YEAR: "INTEGER",
    Kind.DATE: "DATE",
    Kind.ENUM: "VARCHAR",
    Kind.COUNTRY: "VARCHAR",
    Kind.REGION: "VARCHAR",
    Kind.CURRENCY: "VARCHAR",
    Kind.LOCODE: "VARCHAR",
    Kind.CODES: "VARCHAR[]",
}


@dataclass(frozen=True)
class Column:
    """One column of a dossier table."""

    name: str
    kind: Kind
    required: bool = True
    values: tuple[str, ...] = ()  # the allowed values of an ENUM
    doc: str = ""

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    """One dossier table: its columns and, if any, the column that must be unique."""

    name: str
    columns: tuple[Column, ...]
    key: str | None = None
    doc: str = ""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _opt(name: str, kind: Kind, doc: str = "", values: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, required=False, values=values, doc=doc)


CONDITIONS = ("used", "new")
IMPORTER_KINDS = ("legal_entity", "individual")
FUELS = ("petrol", "diesel", "hev", "phev", "bev", "erev", "fcev", "lpg", "cng", "other")
BODIES = ("passenger", "commercial", "trailer")
STEERING = ("lhd", "rhd")
DAMAGE = ("none", "accident", "flood", "flood_total_loss", "fire", "salvage", "junk")
REGISTRATION_EVENTS = ("first_registration", "transfer", "deregistration")
OWNER_KINDS = ("manufacturer", "dealer", "trader", "exporter", "private", "fleet", "government")
READING_SOURCES = (
    "registration",
    "maintenance",
    "inspection",
    "declaration",
    "telematics",
    "other",
)
RESULTS = ("pass", "fail")
EXPORTER_STATUSES = ("active", "suspended", "revoked")

DECLARATIONS = Table(
    "declarations",
    (
        Column("declaration_id", Kind.ID, doc="Unique id of the export declaration."),
        Column("exporter_id", Kind.ID, doc="The declaring exporter."),
        Column("vin", Kind.VIN, doc="17-character VIN, or a Japanese chassis number."),
        Column("declaration_date", Kind.DATE, doc="Date of the export declaration."),
        Column("origin", Kind.COUNTRY, doc="Exporting country."),
        Column("destination", Kind.COUNTRY, doc="Country of destination."),
        Column("declared_condition", Kind.ENUM, values=CONDITIONS),
        _opt("declared_odometer_km", Kind.INT, "Odometer reading on the declaration."),
        _opt("declared_value", Kind.FLOAT, "Declared value, in `currency`."),
        _opt("currency", Kind.CURRENCY),
        _opt("hs_code", Kind.TEXT, "Declared HS code, e.g. 8703.23 or 870323."),
        _opt("port_of_exit", Kind.LOCODE),
        _opt("arrival_date", Kind.DATE, "Date of arrival at destination, if known."),
        _opt("importer_kind", Kind.ENUM, values=IMPORTER_KINDS),
        _opt("documents", Kind.CODES, "Document codes presented, semicolon-separated."),
    ),
    key="declaration_id",
    doc="One row per export declaration. The only required table.",
)

VEHICLES = Table(
    "vehicles",
    (
        Column("vin", Kind.VIN),
        Column("make", Kind.TEXT),
        Column("model", Kind.TEXT),
        Column("model_year", Kind.YEAR),
        _opt("built_in", Kind.COUNTRY, "Country of manufacture."),
        Column("fuel", Kind.ENUM, values=FUELS),
        _opt("engine_cc", Kind.INT, "Engine displacement in cc; empty for BEV."),
        _opt("power_kw", Kind.FLOAT),
        Column("body", Kind.ENUM, values=BODIES),
        Column("steering", Kind.ENUM, values=STEERING),
        _opt("damage", Kind.ENUM, values=DAMAGE),
        _opt("msrp", Kind.FLOAT, "Manufacturer's suggested retail price when new."),
        _opt("msrp_currency", Kind.CURRENCY),
    ),
    key="vin",
    doc="Attributes of each vehicle, one row per VIN.",
)

REGISTRATIONS = Table(
    "registrations",
    (
        Column("vin", Kind.VIN),
        Column("event_date", Kind.DATE),
        Column("country", Kind.COUNTRY),
        _opt("region", Kind.REGION, "ISO 3166-2 subdivision, e.g. CN-GD."),
        Column("event", Kind.ENUM, values=REGISTRATION_EVENTS),
        Column("owner_kind", Kind.ENUM, values=OWNER_KINDS),
        _opt("owner_id", Kind.ID),
    ),
    doc="Registration events: first registration, transfers, deregistration.",
)

ODOMETER = Table(
    "odometer",
    (
        Column("vin", Kind.VIN),
        Column("reading_date", Kind.DATE),
        Column("km", Kind.INT),
        Column("source", Kind.ENUM, values=READING_SOURCES),
    ),
    doc="Dated odometer readings from any source.",
)

MAINTENANCE = Table(
    "maintenance",
    (
        Column("vin", Kind.VIN),
        Column("service_date", Kind.DATE),
        _opt("km", Kind.INT),
        _opt("workshop_id", Kind.ID),
        _opt("kind", Kind.TEXT),
    ),
    doc="Maintenance records (e.g. from China's maintenance electronic health record system).",
)

INSPECTIONS = Table(
    "inspections",
    (
        Column("report_id", Kind.ID),
        Column("vin", Kind.VIN),
        Column("inspector_id", Kind.ID),
        Column("inspection_date", Kind.DATE),
        Column("standard", Kind.TEXT, doc="e.g. WM/T 8-2022"),
        _opt("odometer_km", Kind.INT),
        Column("result", Kind.ENUM, values=RESULTS),
        _opt("battery_soh_pct", Kind.PERCENT),
    ),
    key="report_id",
    doc="Export inspection reports.",
)

EXPORTERS = Table(
    "exporters",
    (
        Column("exporter_id", Kind.ID),
        Column("name", Kind.TEXT),
        Column("country", Kind.COUNTRY),
        _opt("region", Kind.REGION),
        _opt("licence_no", Kind.TEXT),
        Column("licensed_from", Kind.DATE),
        _opt("licensed_to", Kind.DATE),
        Column("status", Kind.ENUM, values=EXPORTER_STATUSES),
    ),
    key="exporter_id",
    doc="The exporter registry.",
)

INSPECTORS = Table(
    "inspectors",
    (
        Column("inspector_id", Kind.ID),
        Column("name", Kind.TEXT),
        Column("country", Kind.COUNTRY),
        Column("standards", Kind.CODES, doc="Standards accredited for, semicolon-separated."),
        Column("accredited_from", Kind.DATE),
        _opt("accredited_to", Kind.DATE),
    ),
    key="inspector_id",
    doc="Accredited inspectors (assessment bodies).",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        DECLARATIONS,
        VEHICLES,
        REGISTRATIONS,
        ODOMETER,
        MAINTENANCE,
        INSPECTIONS,
        EXPORTERS,
        INSPECTORS,
    )
}

#: Tables whose rows carry a date, and the column that dates them (for --as-of).
DATED_EVIDENCE: dict[str, str] = {
    "registrations": "event_date",
    "odometer": "reading_date",
    "maintenance": "service_date",
    "inspections": "inspection_date",
}
