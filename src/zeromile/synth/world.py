"""Generate a synthetic world: the dossier tables, the ground truth and a summary.

Deterministic per seed: one ``numpy`` generator drives every draw in a fixed
order. Everything is vectorised; no step loops over rows in Python.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pyarrow as pa

import zeromile
from zeromile.errors import GenerationError
from zeromile.synth import calibration as cal
from zeromile.synth import malformed as bad
from zeromile.synth._arrow import BoolArray, categorical, prefixed_ids
from zeromile.synth.customs import declarations_table, inspected_cars, list_prices
from zeromile.synth.declarations import (
    AMENDMENT_LEG,
    DUPLICATE_LEG,
    LATE_LEG,
    PRIMARY,
    REEXPORT_LEG,
    Declarations,
    build_declarations,
    expected_multiplier,
)
from zeromile.synth.parties import Assignment, assign_exporters, build_exporters
from zeromile.synth.population import COUNTRIES, ORIGINS, USED, ZERO_MILEAGE, Cars, draw_cars
from zeromile.synth.readings import (
    build_evidence,
    collect_readings,
    inject_rollbacks,
    single_declaration,
)
from zeromile.synth.registrations import build_registrations
from zeromile.synth.schema import TRUTH_SCHEMA
from zeromile.synth.tables import (
    exporter_id_column,
    exporters_table,
    history_tables,
    inspectors_table,
    registrations_table,
    vehicles_table,
    vin_strings,
)
from zeromile.synth.truth import FINDING_CODES, declaration_labels, vin_labels
from zeromile.synth.vehicles import Identity, build_identity

log = logging.getLogger(__name__)

FileFormat = Literal["parquet", "csv"]


@dataclass(frozen=True)
class WorldConfig:
    """What to generate: size, seed, anomaly rates and the share of malformed rows."""

    scale: float = 1.0
    seed: int = 0
    rates: cal.AnomalyRates = field(default_factory=cal.AnomalyRates)
    malformed_rate: float = 0.0
    file_format: FileFormat = "parquet"

    def validate(self) -> None:
        """Reject settings that cannot produce a world."""
        if not self.scale > 0:
            raise GenerationError(f"scale must be positive, got {self.scale}")
        if self.scale * cal.DECLARATIONS_PER_SCALE < 100:
            raise GenerationError(f"scale {self.scale} gives under 100 declarations; use >= 0.0001")
        if not 0 <= self.malformed_rate <= 0.2:
            raise GenerationError(
                f"malformed rate must be within [0, 0.2], got {self.malformed_rate}"
            )
        if self.seed < 0:
            raise GenerationError(f"seed must be >= 0, got {self.seed}")


@dataclass
class World:
    """The dossier tables by name, the ground truth per declaration, and a summary."""

    tables: dict[str, pa.Table]
    truth: pa.Table
    summary: dict[str, Any]


def generate_world(config: WorldConfig) -> World:
    """Build every table of the world described by ``config``."""
    config.validate()
    rates = config.rates
    rng = np.random.default_rng(config.seed)
    n_cars = round(config.scale * cal.DECLARATIONS_PER_SCALE / expected_multiplier(rates))
    cars = draw_cars(rng, n_cars)
    decl = build_declarations(rng, cars, rates)
    exporters, pools = build_exporters(rng, decl)
    assignment = assign_exporters(rng, cars, decl, exporters, pools, rates.unlicensed)
    ident = build_identity(rng, cars, rates)
    single = single_declaration(decl, n_cars)
    plain = (cars.kind == USED) & single & ~cars.chassis
    unregistered = plain & (rng.random(n_cars) < rates.never_registered)
    registrations = build_registrations(rng, cars, decl, assignment.exporter, unregistered)
    evidence = build_evidence(rng, cars, decl, unregistered)
    candidates = (cars.kind == USED) & single & ~cars.borderline & ~unregistered
    chosen = candidates & (rng.random(n_cars) < rates.rollback)
    rolled = inject_rollbacks(rng, cars, evidence, collect_readings(evidence, decl, chosen), chosen)
    labels = declaration_labels(
        cars,
        decl,
        assignment,
        exporters,
        registrations,
        evidence,
        vin_labels(cars, ident, registrations),
        rolled,
    )
    log.info("drew %d cars and %d declarations", n_cars, len(decl))

    vins = vin_strings(ident)
    msrp = list_prices(rng, cars)
    order = np.lexsort((decl.car, decl.day))
    id_number = np.empty(len(decl), dtype=np.int64)
    id_number[order] = np.arange(1, len(decl) + 1)
    ids = prefixed_ids("D", id_number, 8)
    declarations = declarations_table(
        rng,
        cars,
        decl,
        evidence,
        ids,
        exporter_id_column(decl.origin, assignment, exporters),
        vins,
        msrp,
        inspected_cars(evidence, n_cars),
    )
    malformed = np.zeros(len(decl), dtype=bool)
    if config.malformed_rate > 0:
        vocab = bad.CSV_KINDS if config.file_format == "csv" else bad.KINDS
        pool = np.flatnonzero(single[decl.car])
        count = min(max(round(config.malformed_rate * len(decl)), 1), len(pool))
        rows = np.sort(rng.choice(pool, size=count, replace=False))
        declarations = bad.corrupt(
            declarations, rows, rng.integers(0, len(vocab), size=count), vocab
        )
        malformed[rows] = True

    tables = {
        "declarations": declarations.take(pa.array(order)),
        "vehicles": vehicles_table(rng, cars, ident, vins, msrp),
        "registrations": registrations_table(registrations, vins, exporters),
        **history_tables(rng, cars, evidence, vins),
        "exporters": exporters_table(exporters),
        "inspectors": inspectors_table(),
    }
    anomaly = _anomaly_labels(cars, decl, assignment, ident, rolled, unregistered)
    truth = pa.table({
        "declaration_id": ids,
        **{code: pa.array(labels[code]) for code in FINDING_CODES},
        "is_zero_mileage_car": pa.array(cars.kind[decl.car] == ZERO_MILEAGE),
        "anomaly": anomaly,
        "malformed": pa.array(malformed),
    }).cast(TRUTH_SCHEMA).take(pa.array(order))  # fmt: skip
    summary = _summary(config, cars, decl, tables, labels, malformed)
    return World(tables=tables, truth=truth, summary=summary)


def _anomaly_labels(
    cars: Cars,
    decl: Declarations,
    assignment: Assignment,
    ident: Identity,
    rolled: BoolArray,
    unregistered: BoolArray,
) -> pa.Array:
    """What was injected into each declaration, as sorted names joined by ';'."""
    c = decl.car
    has_dup = np.zeros(len(cars), dtype=bool)
    has_dup[c[decl.leg == DUPLICATE_LEG]] = True
    flags = {
        "borderline_used": cars.borderline[c],
        "check_digit": ident.check_digit[c],
        "duplicate": has_dup[c] & ((decl.leg == DUPLICATE_LEG) | (decl.leg == PRIMARY)),
        "amendment_decoy": decl.leg == AMENDMENT_LEG,
        "invalid_vin": ident.invalid[c],
        "late_redeclaration_decoy": decl.leg == LATE_LEG,
        "make_mismatch": ident.make_mismatch[c],
        "never_registered": unregistered[c],
        "reexport": decl.leg == REEXPORT_LEG,
        "rollback": rolled[c],
        "unlicensed_barred_exporter": assignment.unlicensed_kind == 2,
        "unlicensed_expired_licence": assignment.unlicensed_kind == 3,
        "unlicensed_unknown_exporter": assignment.unlicensed_kind == 1,
        "year_mismatch": ident.year_mismatch[c],
    }
    names = sorted(flags)
    bits = np.zeros(len(decl), dtype=np.int64)
    for i, name in enumerate(names):
        bits |= flags[name].astype(np.int64) << i
    combos, index = np.unique(bits, return_inverse=True)
    vocab = [";".join(n for i, n in enumerate(names) if int(b) >> i & 1) for b in combos]
    return categorical(vocab, index.reshape(-1))


def _summary(
    config: WorldConfig,
    cars: Cars,
    decl: Declarations,
    tables: dict[str, pa.Table],
    labels: dict[str, BoolArray],
    malformed: BoolArray,
) -> dict[str, Any]:
    """The JSON summary written as ``world.json``: inputs, row counts, rates, realised shares."""
    origin_counts = np.bincount(decl.origin, minlength=len(COUNTRIES))
    cn_cars = cars.origin == ORIGINS.index("CN")
    return {
        "generator": f"zeromile {zeromile.__version__}",
        "seed": config.seed,
        "scale": config.scale,
        "format": config.file_format,
        "period": [cal.PERIOD_START.isoformat(), cal.PERIOD_END.isoformat()],
        "rows": {name: t.num_rows for name, t in tables.items()},
        "anomaly_rates": config.rates.as_dict(),
        "malformed_rate": config.malformed_rate,
        "malformed_rows": int(malformed.sum()),
        "calibration": {
            "origin_units": cal.ORIGIN_UNITS,
            "cn_zero_mileage_share": cal.CN_ZERO_MILEAGE_SHARE,
            "kr_zero_mileage_share": cal.KR_ZERO_MILEAGE_SHARE,
            "cn_fuel_mix": cal.CN_FUEL_MIX,
            "destinations": cal.DESTINATIONS,
            "reexport_share": cal.REEXPORT_SHARE,
        },
        "realised": {
            "declarations_by_origin": {
                COUNTRIES[i]: int(k) for i, k in enumerate(origin_counts) if k
            },
            "cn_zero_mileage_share_of_cars": float(
                (cars.kind[cn_cars] == ZERO_MILEAGE).mean() if cn_cars.any() else 0.0
            ),
            "findings": {code: int(labels[code].sum()) for code in FINDING_CODES},
            "zero_mileage_cars_declarations": int((cars.kind[decl.car] == ZERO_MILEAGE).sum()),
        },
    }
