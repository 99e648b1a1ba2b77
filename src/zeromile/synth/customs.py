"""The customs side of each declaration: value, HS code, port, arrival, documents.

Zero-mileage cars are declared close to their list price; used cars at a
depreciated value. From 1 January 2026 China asks for a manufacturer's
after-sales letter for cars registered 180 days or less before export
(Shang Mao Han [2025] No. 648); most such exports carry it, some do not.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from zeromile.synth import calibration as cal
from zeromile.synth._arrow import (
    BoolArray,
    FloatArray,
    categorical,
    dates,
    day_number,
    floats,
    indexed,
    ints,
)
from zeromile.synth.catalogue import MODELS, MSRP_CURRENCY
from zeromile.synth.declarations import REEXPORT_LEG, Declarations
from zeromile.synth.population import COUNTRIES, ORIGINS, USED, ZERO_MILEAGE, Cars
from zeromile.synth.readings import Evidence
from zeromile.synth.schema import conform
from zeromile.synth.tables import hs_subheading

DOCUMENTS: tuple[str, ...] = (
    "export_licence", "inspection_report", "manufacturer_after_sales_letter",
    "export_deregistration_certificate", "registration_certificate",
    "customs_clearance_certificate",
)  # fmt: skip
_AFTER_SALES_FROM = day_number(dt.date(2026, 1, 1))
_PORT_VOCAB: tuple[str, ...] = tuple(p for o in ORIGINS for p in cal.PORTS[o])
_PORT_OFFSET = np.cumsum([0] + [len(cal.PORTS[o]) for o in ORIGINS])[:-1]
_PORT_COUNT = np.array([len(cal.PORTS[o]) for o in ORIGINS])


def list_prices(rng: np.random.Generator, cars: Cars) -> FloatArray:
    """List price of each car in its origin's currency (trim levels vary by +-5%)."""
    base = np.array([m.msrp for m in MODELS], dtype=np.float64)[cars.model]
    return np.round(base * rng.uniform(0.95, 1.05, size=len(cars)), -2)


def _values(
    rng: np.random.Generator, cars: Cars, decl: Declarations, msrp: FloatArray
) -> FloatArray:
    c = decl.car
    usd = np.array([cal.USD_PER[MSRP_CURRENCY[o]] for o in ORIGINS])[cars.origin[c]]
    list_usd = msrp[c] * usd
    age = np.maximum(decl.day - cars.registration_day[c], 0) / 365.25
    kind = cars.kind[c]
    value = np.where(
        kind == ZERO_MILEAGE,
        list_usd * rng.uniform(0.85, 1.0, size=len(c)),
        list_usd * rng.uniform(0.9, 1.0, size=len(c)),
    )
    used = kind == USED
    value[used] = list_usd[used] * 0.85 ** age[used] * rng.uniform(0.6, 1.1, size=int(used.sum()))
    rounded: FloatArray = np.round(value, 0)
    return rounded


def _documents(
    rng: np.random.Generator, cars: Cars, decl: Declarations, inspected: BoolArray
) -> pa.Array:
    n = len(decl)
    c = decl.car
    origin_name = np.array(COUNTRIES)[decl.origin]
    bits = np.zeros(n, dtype=np.int64)
    cn, jp = origin_name == "CN", origin_name == "JP"
    bits |= np.where(cn, 1 << 0, 0)
    bits |= np.where(inspected[c] & (decl.leg != REEXPORT_LEG), 1 << 1, 0)
    young = (decl.day - cars.registration_day[c]) <= 180
    letter = cn & young & (decl.day >= _AFTER_SALES_FROM) & (rng.random(n) < 0.7)
    bits |= np.where(letter, 1 << 2, 0)
    bits |= np.where(jp, 1 << 3, 0)
    bits |= np.where((origin_name == "KR") | (cn & ~decl.declared_new), 1 << 4, 0)
    bits |= np.where(decl.leg == REEXPORT_LEG, 1 << 5, 0)
    combos, index = np.unique(bits, return_inverse=True)
    vocab = [";".join(d for i, d in enumerate(DOCUMENTS) if int(b) >> i & 1) for b in combos]
    return categorical(vocab, index, null=rng.random(n) < 0.05)


def declarations_table(
    rng: np.random.Generator,
    cars: Cars,
    decl: Declarations,
    ev: Evidence,
    ids: pa.Array,
    exporter_ids: pa.Array,
    vins: pa.Array,
    msrp: FloatArray,
    inspected: BoolArray,
) -> pa.Table:
    """One row per declaration, in the contract's column order."""
    n = len(decl)
    c = decl.car
    value = _values(rng, cars, decl, msrp)
    no_value = rng.random(n) < 0.05
    hs = np.array([hs_subheading(i) for i in range(len(MODELS))])[cars.model[c]]
    hs_vocab = tuple(sorted(set(hs.tolist())))
    land = _land(decl)
    origin_is_source = decl.origin < len(ORIGINS)
    port_idx = np.where(
        origin_is_source,
        _PORT_OFFSET[np.minimum(decl.origin, len(ORIGINS) - 1)]
        + rng.integers(0, 1 << 30, size=n) % _PORT_COUNT[np.minimum(decl.origin, len(ORIGINS) - 1)],
        0,
    )
    transit = np.where(land, rng.integers(5, 21, size=n), rng.integers(20, 51, size=n))
    return conform("declarations", {
        "declaration_id": ids,
        "exporter_id": exporter_ids,
        "vin": indexed(vins, c),
        "declaration_date": dates(decl.day),
        "origin": categorical(COUNTRIES, decl.origin),
        "destination": categorical(COUNTRIES, decl.destination),
        "declared_condition": categorical(("used", "new"), decl.declared_new.astype(np.int64)),
        "declared_odometer_km": ints(ev.d_km, null=~ev.d_has_km),
        "declared_value": floats(value, null=no_value),
        "currency": categorical(("USD",), np.zeros(n, dtype=np.int64), null=no_value),
        "hs_code": categorical(hs_vocab, np.searchsorted(hs_vocab, hs), null=rng.random(n) < 0.1),
        "port_of_exit": categorical(_PORT_VOCAB, port_idx, null=land | ~origin_is_source),
        "arrival_date": dates(decl.day + transit, null=rng.random(n) < 0.25),
        "importer_kind": categorical(("legal_entity", "individual"),
                                     (rng.random(n) < 0.3).astype(np.int64),
                                     null=rng.random(n) < 0.1),
        "documents": _documents(rng, cars, decl, inspected),
    })  # fmt: skip


def _land(decl: Declarations) -> BoolArray:
    """Declarations that leave by road or rail (no sea port of exit)."""
    table = np.zeros((len(COUNTRIES), len(COUNTRIES)), dtype=bool)
    for o, dests in cal.LAND_DESTINATIONS.items():
        for d in dests:
            if d in COUNTRIES:
                table[COUNTRIES.index(o), COUNTRIES.index(d)] = True
    out: BoolArray = table[decl.origin, decl.destination]
    return out


def inspected_cars(ev: Evidence, n_cars: int) -> BoolArray:
    """Cars with an export inspection report."""
    out = np.zeros(n_cars, dtype=bool)
    out[ev.i_car] = True
    return out
