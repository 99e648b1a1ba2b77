"""Registration histories: first registration, transfers, deregistration.

A zero-mileage car is first registered by a dealer, trader or exporter in a
batch and transferred to the exporter days before export; a used car passes
through private owners and then to the exporter. Japan deregisters before
the export declaration (export provisional deregistration), China within two
months after clearance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zeromile.synth._arrow import BoolArray, IntArray
from zeromile.synth.declarations import PRIMARY, REEXPORT_LEG, Declarations
from zeromile.synth.population import NEW, OWNER_INDEX, USED, ZERO_MILEAGE, Cars

EVENTS: tuple[str, ...] = ("first_registration", "transfer", "deregistration")
FIRST, TRANSFER, DEREGISTRATION = 0, 1, 2
_CN, _KR, _JP = 0, 1, 2


@dataclass
class Registrations:
    """Column arrays, one row per registration event."""

    car: IntArray
    day: IntArray
    country: IntArray  # index into COUNTRIES
    region: IntArray  # index into calibration.REGIONS[country]; -1 for none
    event: IntArray
    owner_kind: IntArray
    owner_number: IntArray  # -1 for no owner id
    owner_is_exporter: BoolArray  # owner_number is an exporter row


def build_registrations(
    rng: np.random.Generator,
    cars: Cars,
    decl: Declarations,
    exporter_of_decl: IntArray,
    unregistered: BoolArray,
) -> Registrations:
    """Every event of every car except those whose history is withheld (``unregistered``)."""
    parts: list[tuple[IntArray, ...]] = []
    n = len(cars)
    registered = (cars.kind != NEW) & ~unregistered
    primary = np.flatnonzero(decl.leg == PRIMARY)
    primary_of_car = np.empty(n, dtype=np.int64)
    primary_of_car[decl.car[primary]] = primary
    decl_day = cars.declaration_day

    def add(
        rows: IntArray,
        day: IntArray,
        country: IntArray,
        region: IntArray,
        event: int,
        kind: IntArray,
        number: IntArray,
        is_exporter: bool,
    ) -> None:
        parts.append(
            (
                rows,
                day,
                country,
                region,
                np.full(len(rows), event),
                kind,
                number,
                np.full(len(rows), is_exporter),
            )
        )

    rows = np.flatnonzero(registered)
    owner_number = np.where(
        cars.owner_kind[rows] == OWNER_INDEX["private"], -1, cars.owner_number[rows]
    )
    add(
        rows,
        cars.registration_day[rows],
        cars.origin[rows],
        cars.region[rows],
        FIRST,
        cars.owner_kind[rows],
        owner_number,
        False,
    )

    # used cars: private resales between first registration and export
    used = rows[cars.kind[rows] == USED]
    age = decl_day[used] - cars.registration_day[used]
    resales = np.minimum(rng.poisson(age / 365.25 * 0.15), 3)
    r_car = np.repeat(used, resales)
    span = np.maximum(decl_day[r_car] - 40 - cars.registration_day[r_car], 1)
    r_day = cars.registration_day[r_car] + 1 + (rng.random(len(r_car)) * span).astype(np.int64)
    add(
        r_car,
        r_day,
        cars.origin[r_car],
        cars.region[r_car],
        TRANSFER,
        np.full(len(r_car), OWNER_INDEX["private"]),
        np.full(len(r_car), -1),
        False,
    )

    # transfer to the exporter before export ("transfer registration pending export")
    zm = rows[
        (cars.kind[rows] == ZERO_MILEAGE) & (cars.owner_kind[rows] != OWNER_INDEX["exporter"])
    ]
    to_exp = np.concatenate([zm, used[rng.random(len(used)) < 0.8]])
    gap = np.maximum(decl_day[to_exp] - cars.registration_day[to_exp] - 1, 1)
    t_day = decl_day[to_exp] - 1 - (rng.random(len(to_exp)) * np.minimum(gap, 30)).astype(np.int64)
    t_day = np.maximum(t_day, cars.registration_day[to_exp] + 1)
    t_exporter = exporter_of_decl[primary_of_car[to_exp]]
    known = t_exporter >= 0
    add(
        to_exp[known],
        t_day[known],
        cars.origin[to_exp[known]],
        cars.region[to_exp[known]],
        TRANSFER,
        np.full(int(known.sum()), OWNER_INDEX["exporter"]),
        t_exporter[known],
        True,
    )

    # deregistration: Japan before the declaration, Korea and China after it
    origin = cars.origin[rows]
    jp = rows[origin == _JP]
    d_jp = np.maximum(decl_day[jp] - rng.integers(1, 30, size=len(jp)), cars.registration_day[jp])
    others = rows[(origin != _JP) & (rng.random(len(rows)) < 0.7)]
    d_other = decl_day[others] + rng.integers(20, 60, size=len(others))
    for d_rows, d_day in ((jp, d_jp), (others, d_other)):
        add(
            d_rows,
            d_day,
            cars.origin[d_rows],
            cars.region[d_rows],
            DEREGISTRATION,
            np.full(len(d_rows), OWNER_INDEX["exporter"]),
            np.full(len(d_rows), -1),
            False,
        )

    # re-exported cars are registered to a trader in the transit country
    legs = np.flatnonzero((decl.leg == REEXPORT_LEG) & (rng.random(len(decl)) < 0.7))
    legs = legs[registered[decl.car[legs]]]
    k_day = decl.day[legs] - rng.integers(3, 20, size=len(legs))
    add(
        decl.car[legs],
        k_day,
        decl.origin[legs],
        rng.integers(0, 2, size=len(legs)),
        TRANSFER,
        np.full(len(legs), OWNER_INDEX["trader"]),
        rng.integers(0, 100_000, size=len(legs)),
        False,
    )

    cols = [np.concatenate([p[i] for p in parts]) for i in range(8)]
    order = np.lexsort((cols[4], cols[1], cols[0]))
    return Registrations(*(c[order] for c in cols))
