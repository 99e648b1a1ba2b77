"""The dossier contract as Arrow schemas: column names, types, and which are optional.

The generator casts every table to these schemas before writing, and the
tests read the files back against them.
"""

from __future__ import annotations

import pyarrow as pa

_S, _D, _I, _F = pa.string(), pa.date32(), pa.int64(), pa.float64()


def _schema(*cols: tuple[str, pa.DataType, bool]) -> pa.Schema:
    """Fields as (name, type, required); required columns are non-nullable."""
    return pa.schema([pa.field(name, kind, nullable=not required) for name, kind, required in cols])


DOSSIER_SCHEMAS: dict[str, pa.Schema] = {
    "declarations": _schema(
        ("declaration_id", _S, True), ("exporter_id", _S, True), ("vin", _S, True),
        ("declaration_date", _D, True), ("origin", _S, True), ("destination", _S, True),
        ("declared_condition", _S, True), ("declared_odometer_km", _I, False),
        ("declared_value", _F, False), ("currency", _S, False), ("hs_code", _S, False),
        ("port_of_exit", _S, False), ("arrival_date", _D, False), ("importer_kind", _S, False),
        ("documents", _S, False),
    ),
    "vehicles": _schema(
        ("vin", _S, True), ("make", _S, True), ("model", _S, True), ("model_year", _I, True),
        ("built_in", _S, False), ("fuel", _S, True), ("engine_cc", _I, False),
        ("power_kw", _F, False), ("body", _S, True), ("steering", _S, True),
        ("damage", _S, False), ("msrp", _F, False), ("msrp_currency", _S, False),
    ),
    "registrations": _schema(
        ("vin", _S, True), ("event_date", _D, True), ("country", _S, True),
        ("region", _S, False), ("event", _S, True), ("owner_kind", _S, True),
        ("owner_id", _S, False),
    ),
    "odometer": _schema(
        ("vin", _S, True), ("reading_date", _D, True), ("km", _I, True), ("source", _S, True),
    ),
    "maintenance": _schema(
        ("vin", _S, True), ("service_date", _D, True), ("km", _I, False),
        ("workshop_id", _S, False), ("kind", _S, False),
    ),
    "inspections": _schema(
        ("report_id", _S, True), ("vin", _S, True), ("inspector_id", _S, True),
        ("inspection_date", _D, True), ("standard", _S, True), ("odometer_km", _I, False),
        ("result", _S, True), ("battery_soh_pct", _F, False),
    ),
    "exporters": _schema(
        ("exporter_id", _S, True), ("name", _S, True), ("country", _S, True),
        ("region", _S, False), ("licence_no", _S, False), ("licensed_from", _D, True),
        ("licensed_to", _D, False), ("status", _S, True),
    ),
    "inspectors": _schema(
        ("inspector_id", _S, True), ("name", _S, True), ("country", _S, True),
        ("standards", _S, True), ("accredited_from", _D, True), ("accredited_to", _D, False),
    ),
}  # fmt: skip

TRUTH_FINDING_COLUMNS: tuple[str, ...] = (
    "VIN_INVALID", "VIN_CHECK_DIGIT", "VIN_MAKE_MISMATCH", "VIN_YEAR_MISMATCH", "ZERO_MILEAGE",
    "ODOMETER_ROLLBACK", "USED_NEVER_REGISTERED", "EXPORTER_UNLICENSED",
    "DUPLICATE_DECLARATION", "REEXPORT",
)  # fmt: skip

TRUTH_SCHEMA: pa.Schema = _schema(
    ("declaration_id", _S, True),
    *((code, pa.bool_(), True) for code in TRUTH_FINDING_COLUMNS),
    ("is_zero_mileage_car", pa.bool_(), True),
    ("anomaly", _S, True),
    ("malformed", pa.bool_(), True),
)


def conform(name: str, columns: dict[str, pa.Array]) -> pa.Table:
    """Assemble a contract table without copying: string columns may stay dictionary-encoded.

    Raises ``TypeError`` when a column's type departs from the contract (a generator bug).
    """
    fields = []
    for spec in DOSSIER_SCHEMAS[name]:
        kind = columns[spec.name].type
        value_type = kind.value_type if pa.types.is_dictionary(kind) else kind
        if value_type != spec.type:
            raise TypeError(f"{name}.{spec.name} is {kind}, the contract says {spec.type}")
        fields.append(pa.field(spec.name, kind, nullable=spec.nullable))
    schema = pa.schema(fields)
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)
