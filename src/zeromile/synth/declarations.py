"""Export declarations: the primary leg of every car plus the extra legs.

Extra legs are re-exports (a car declared to Kyrgyzstan or Kazakhstan is
declared again from there to Russia), duplicates (a second exporter declares
the same VIN within 90 days) and two decoys that must *not* be findings: an
amendment by the same exporter and a re-declaration by another exporter
months later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zeromile.synth._arrow import BoolArray, IntArray
from zeromile.synth.calibration import AnomalyRates
from zeromile.synth.population import COUNTRY_INDEX, NEW, Cars, period_days

PRIMARY, REEXPORT_LEG, DUPLICATE_LEG, AMENDMENT_LEG, LATE_LEG = range(5)


@dataclass
class Declarations:
    """Column arrays, one row per declaration, sorted by car then day."""

    car: IntArray
    leg: IntArray
    origin: IntArray  # index into COUNTRIES
    destination: IntArray
    day: IntArray
    declared_new: BoolArray

    def __len__(self) -> int:
        return len(self.car)


def _extra_legs(
    rng: np.random.Generator, cars: Cars, rates: AnomalyRates
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray]:
    _, end = period_days()
    n = len(cars)
    transit = cars.origin <= 1  # CN and KR cars
    via = np.isin(cars.destination, [COUNTRY_INDEX["KG"], COUNTRY_INDEX["KZ"]])
    reexported = transit & via & (cars.kind != NEW) & (rng.random(n) < rates.reexport)
    re_day = cars.declaration_day + rng.integers(25, 121, size=n)
    reexported &= re_day <= end

    single = ~reexported
    u = rng.random(n)
    cut1 = rates.duplicate
    cut2 = cut1 + rates.amendment_decoy
    cut3 = cut2 + rates.late_redeclaration_decoy
    dup = single & (u < cut1)
    amend = single & (u >= cut1) & (u < cut2)
    late = single & (u >= cut2) & (u < cut3)
    offset = np.where(late, rng.integers(120, 301, size=n), rng.integers(1, 81, size=n))
    extra_day = cars.declaration_day + offset
    dup &= extra_day <= end
    amend &= extra_day <= end
    late &= extra_day <= end

    cars_out, legs, origins, dests, days = [], [], [], [], []
    re_rows = np.flatnonzero(reexported)
    cars_out.append(re_rows)
    legs.append(np.full(len(re_rows), REEXPORT_LEG))
    origins.append(cars.destination[re_rows])
    dests.append(np.full(len(re_rows), COUNTRY_INDEX["RU"]))
    days.append(re_day[re_rows])
    for mask, leg in ((dup, DUPLICATE_LEG), (amend, AMENDMENT_LEG), (late, LATE_LEG)):
        rows = np.flatnonzero(mask)
        cars_out.append(rows)
        legs.append(np.full(len(rows), leg))
        origins.append(cars.origin[rows].copy())
        dests.append(cars.destination[rows])
        days.append(extra_day[rows])
    return (
        np.concatenate(cars_out),
        np.concatenate(legs).astype(np.int64),
        np.concatenate(origins).astype(np.int64),
        np.concatenate(dests).astype(np.int64),
        np.concatenate(days).astype(np.int64),
    )


def build_declarations(rng: np.random.Generator, cars: Cars, rates: AnomalyRates) -> Declarations:
    """The primary declaration of every car plus re-export, duplicate and decoy legs."""
    n = len(cars)
    # origin of cars is an index into ORIGINS, which are the first entries of COUNTRIES
    x_car, x_leg, x_origin, x_dest, x_day = _extra_legs(rng, cars, rates)
    car = np.concatenate([np.arange(n, dtype=np.int64), x_car])
    order = np.lexsort(
        (
            np.concatenate([np.zeros(n, dtype=np.int64), x_leg]),
            np.concatenate([cars.declaration_day, x_day]),
            car,
        )
    )
    leg = np.concatenate([np.full(n, PRIMARY, dtype=np.int64), x_leg])[order]
    car = car[order]
    return Declarations(
        car=car,
        leg=leg,
        origin=np.concatenate([cars.origin, x_origin])[order],
        destination=np.concatenate([cars.destination, x_dest])[order],
        day=np.concatenate([cars.declaration_day, x_day])[order],
        declared_new=(cars.kind[car] == NEW) & (leg != REEXPORT_LEG),
    )


def expected_multiplier(rates: AnomalyRates) -> float:
    """Declarations per car, to size the car population for a target declaration count."""
    return 1.0 + 0.10 + rates.duplicate + rates.amendment_decoy + rates.late_redeclaration_decoy
