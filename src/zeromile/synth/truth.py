"""Ground-truth labels, computed from the generated tables by each finding's definition.

Labels are derived from the data rather than from what was injected, so a
coincidence (two exporters happening to declare one VIN) is labelled exactly
as the screening should see it. Injected anomalies are recorded separately.
"""

from __future__ import annotations

import numpy as np

from zeromile.synth import vins as v
from zeromile.synth._arrow import BoolArray, IntArray
from zeromile.synth.declarations import Declarations
from zeromile.synth.parties import Assignment, Exporters
from zeromile.synth.population import COUNTRY_INDEX, Cars
from zeromile.synth.readings import Evidence, Readings, collect_readings
from zeromile.synth.registrations import FIRST, Registrations
from zeromile.synth.schema import TRUTH_FINDING_COLUMNS
from zeromile.synth.vehicles import Identity, wmi_make

FINDING_CODES = TRUTH_FINDING_COLUMNS

ZERO_MILEAGE_MAX_KM = 500
ZERO_MILEAGE_MAX_DAYS = 365
ROLLBACK_TOLERANCE_KM = 100
DUPLICATE_WINDOW_DAYS = 90
_DAY_BITS = 20  # day numbers stay below 2**20 (year 4840)


def vin_labels(cars: Cars, ident: Identity, registrations: Registrations) -> dict[str, BoolArray]:
    """Per car: the four VIN findings."""
    valid = v.is_valid_vin(ident.chars, ident.lengths)
    jp_registered = np.zeros(len(cars), dtype=bool)
    jp_registered[registrations.car[registrations.country == COUNTRY_INDEX["JP"]]] = True
    vin = ident.chars[:, : v.VIN_LENGTH]
    return {
        "VIN_INVALID": ~valid & ~(cars.chassis & jp_registered),
        "VIN_CHECK_DIGIT": valid
        & v.check_digit_mandatory(vin)
        & (vin[:, 8] != v.check_digits(vin)),
        "VIN_MAKE_MISMATCH": valid & (ident.make != wmi_make(cars)),
        "VIN_YEAR_MISMATCH": valid & ~v.year_matches(vin, cars.model_year),
    }


def _last_at_or_before(keys: IntArray, car: IntArray, day: IntArray) -> IntArray:
    """Index of the last sorted (car, day) key at or before each query; -1 if none for that car."""
    idx = np.searchsorted(keys, (car << _DAY_BITS) + day, side="right") - 1
    ok = idx >= 0
    ok[ok] = (keys[idx[ok]] >> _DAY_BITS) == car[ok]
    return np.where(ok, idx, -1)


def rollback_cars(readings: Readings, n_cars: int) -> BoolArray:
    """Cars with a reading more than 100 km below a reading of a strictly earlier day."""
    car, day, km = readings.car, readings.day, readings.km
    n = len(car)
    offset = car.astype(np.int64) * (1 << 40)
    running = np.maximum.accumulate(km + offset) - offset  # per-car running maximum
    new_day = np.ones(n, dtype=bool)
    new_day[1:] = (car[1:] != car[:-1]) | (day[1:] != day[:-1])
    day_start = np.maximum.accumulate(np.where(new_day, np.arange(n), 0))
    prev = day_start - 1
    has_prev = prev >= 0
    has_prev[has_prev] = car[prev[has_prev]] == car[has_prev]
    earlier_max = np.where(has_prev, running[np.maximum(prev, 0)], -1)
    flagged = has_prev & (km < earlier_max - ROLLBACK_TOLERANCE_KM)
    out = np.zeros(n_cars, dtype=bool)
    out[car[flagged]] = True
    return out


def _pairs(decl: Declarations) -> list[tuple[IntArray, IntArray]]:
    """Row pairs (earlier, later) of declarations of the same car."""
    counts = np.bincount(decl.car)
    out = []
    for k in range(1, int(counts.max()) if len(counts) else 0):
        a = np.arange(len(decl) - k)
        same = decl.car[a] == decl.car[a + k]
        out.append((a[same], a[same] + k))
    return out


def declaration_labels(
    cars: Cars,
    decl: Declarations,
    assignment: Assignment,
    exporters: Exporters,
    registrations: Registrations,
    evidence: Evidence,
    car_labels: dict[str, BoolArray],
    changed: BoolArray,
) -> dict[str, BoolArray]:
    """Per declaration: every finding code, by its definition."""
    n = len(decl)
    c, d = decl.car, decl.day
    used = ~decl.declared_new
    labels = {
        code: car_labels[code][c]
        for code in ("VIN_INVALID", "VIN_CHECK_DIGIT", "VIN_MAKE_MISMATCH", "VIN_YEAR_MISMATCH")
    }
    # Readings come from one monotone curve per car; only cars whose readings were
    # changed can break monotonicity, so the definition is evaluated on those.
    labels["ODOMETER_ROLLBACK"] = rollback_cars(
        collect_readings(evidence, decl, changed), len(cars)
    )[c]
    first_reg = np.full(len(cars), np.iinfo(np.int64).max)
    firsts = registrations.event == FIRST
    np.minimum.at(first_reg, registrations.car[firsts], registrations.day[firsts])
    since = d - first_reg[c]
    young = used & (since >= 0) & (since <= ZERO_MILEAGE_MAX_DAYS)
    # only declarations of recently registered cars can fire, so scan just their readings
    recent = np.zeros(len(cars), dtype=bool)
    recent[c[young]] = True
    sub = collect_readings(evidence, decl, recent)
    offset = sub.car.astype(np.int64) * (1 << 40)
    running = np.maximum.accumulate(sub.km + offset) - offset
    keys = (sub.car.astype(np.int64) << _DAY_BITS) + sub.day
    at = _last_at_or_before(keys, c, d)
    max_km = np.where(at >= 0, running[np.maximum(at, 0)], np.iinfo(np.int64).max)
    labels["ZERO_MILEAGE"] = young & (max_km <= ZERO_MILEAGE_MAX_KM)
    any_reg = np.full(len(cars), np.iinfo(np.int64).max)
    np.minimum.at(any_reg, registrations.car, registrations.day)
    labels["USED_NEVER_REGISTERED"] = used & (any_reg[c] > d)

    e = assignment.exporter
    known = e >= 0
    ek = np.maximum(e, 0)
    inside = (d >= exporters.licensed_from[ek]) & (
        ~exporters.has_licensed_to[ek] | (d <= exporters.licensed_to[ek])
    )
    labels["EXPORTER_UNLICENSED"] = ~known | (exporters.status[ek] != 0) | ~inside

    who = np.where(known, e, -1 - assignment.unknown_number)
    dup = np.zeros(n, dtype=bool)
    reexport = np.zeros(n, dtype=bool)
    for a, b in _pairs(decl):
        hit = (
            (decl.origin[a] == decl.origin[b])
            & (who[a] != who[b])
            & (np.abs(d[b] - d[a]) <= DUPLICATE_WINDOW_DAYS)
        )
        dup[a[hit]] = True
        dup[b[hit]] = True
        reexport[b[(d[a] < d[b]) & (decl.destination[a] == decl.origin[b])]] = True
    labels["DUPLICATE_DECLARATION"] = dup
    labels["REEXPORT"] = reexport
    return {code: labels[code] for code in FINDING_CODES}
