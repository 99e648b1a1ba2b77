"""Odometer evidence: odometer rows, maintenance, inspections, declared readings.

All sources read one monotone distance curve per car, so benign evidence
never decreases; the rollback anomaly then lowers every reading from one
point on by more than the distance driven since the previous reading.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zeromile.synth._arrow import BoolArray, IntArray
from zeromile.synth.catalogue import MODELS
from zeromile.synth.declarations import Declarations
from zeromile.synth.parties import JP_INSPECTION_BY_DESTINATION
from zeromile.synth.population import COUNTRIES, NEW, USED, ZERO_MILEAGE, Cars

ODOMETER_SOURCES: tuple[str, ...] = ("registration", "inspection", "telematics", "other")
MAINTENANCE_KINDS: tuple[str, ...] = (
    "periodic_service", "oil_change", "tyres", "brakes", "repair", "body_repair",
    "battery_check", "pre_delivery_inspection",
)  # fmt: skip
_PDI = MAINTENANCE_KINDS.index("pre_delivery_inspection")
_CN, _JP = 0, 2
_PLUG = np.array([m.fuel in {"bev", "phev", "erev"} for m in MODELS])
_COMMERCIAL = np.array([m.body == "commercial" for m in MODELS])


@dataclass
class Evidence:
    """Every table that carries a distance, plus the declared readings."""

    odo_car: IntArray
    odo_day: IntArray
    odo_km: IntArray
    odo_source: IntArray
    m_car: IntArray
    m_day: IntArray
    m_km: IntArray
    m_has_km: BoolArray
    m_kind: IntArray
    m_workshop: IntArray
    i_car: IntArray
    i_day: IntArray
    i_km: IntArray
    i_has_km: BoolArray
    i_inspector: IntArray
    i_standard_commercial: BoolArray
    i_pass: BoolArray
    i_soh: IntArray
    i_has_soh: BoolArray
    d_km: IntArray  # per declaration
    d_has_km: BoolArray


def distance(cars: Cars, car: IntArray, day: IntArray) -> IntArray:
    """The true odometer of each car on each day (monotone in the day)."""
    elapsed = np.maximum(day - cars.registration_day[car], 0)
    km: IntArray = cars.registration_km[car] + (cars.km_per_day[car] * elapsed).astype(np.int64)
    return km


def _spread(rng: np.random.Generator, first: IntArray, last: IntArray) -> IntArray:
    share = rng.random(len(first), dtype=np.float32)
    days: IntArray = first + (share * np.maximum(last - first, 0)).astype(np.int64)
    return days


def build_evidence(
    rng: np.random.Generator, cars: Cars, decl: Declarations, unregistered: BoolArray
) -> Evidence:
    """Readings of every source before any anomaly."""
    n = len(cars)
    reg, last = cars.registration_day, cars.declaration_day - 1
    used = cars.kind == USED
    zm = cars.kind == ZERO_MILEAGE
    age_years = np.where(used, (cars.declaration_day - reg) / 365.25, 0.0)

    # odometer table: registration reading, periodic readings of used cars
    on_reg = np.flatnonzero((cars.kind != NEW) & ~unregistered)
    periodic = np.where(used, rng.poisson(1.75 * age_years), 0)
    periodic[zm] = rng.random(int(zm.sum())) < 0.2
    p_car = np.repeat(np.arange(n), periodic)
    p_day = _spread(rng, reg[p_car] + 1, last[p_car])
    odo_car = np.concatenate([on_reg, p_car])
    odo_day = np.concatenate([reg[on_reg], p_day])
    odo_source = np.concatenate(
        [
            np.zeros(len(on_reg), dtype=np.int64),
            rng.choice([1, 2, 3], size=len(p_car), p=[0.5, 0.25, 0.25]),
        ]
    )

    # maintenance: regular servicing of used cars, a pre-delivery check on a few new ones
    services = np.where(used, rng.poisson(np.where(cars.borderline, 1.0, 3.8) * age_years), 0)
    pdi = zm & (rng.random(n) < 0.15)
    services[pdi] = 1
    m_car = np.repeat(np.arange(n), services)
    m_day = _spread(rng, reg[m_car] + 20, last[m_car])
    m_pdi = pdi[m_car]
    m_day[m_pdi] = np.minimum(
        reg[m_car[m_pdi]] + rng.integers(0, 6, size=int(m_pdi.sum())), last[m_car[m_pdi]]
    )
    m_kind = rng.choice(_PDI, size=len(m_car), p=[0.3, 0.25, 0.12, 0.1, 0.13, 0.05, 0.05])
    m_kind[m_pdi] = _PDI
    home = rng.integers(0, max(n // 40, 1), size=n)
    m_workshop = np.where(
        rng.random(len(m_car)) < 0.7, home[m_car], rng.integers(0, max(n // 40, 1), size=len(m_car))
    )

    # export inspections: every Chinese car, Japanese cars for destinations that demand one
    jp_dest = np.array([JP_INSPECTION_BY_DESTINATION.get(c, -1) for c in COUNTRIES])
    inspector = np.where(
        cars.origin == _CN,
        rng.integers(0, 5, size=n),
        np.where(cars.origin == _JP, jp_dest[cars.destination], -1),
    )
    inspector[cars.kind == NEW] = -1  # export inspections are for used cars
    i_car = np.flatnonzero(inspector >= 0)
    i_day = np.maximum(
        cars.declaration_day[i_car] - rng.integers(1, 8, size=len(i_car)), reg[i_car]
    )
    i_age = age_years[i_car]
    i_soh = np.clip(100 - 2.2 * i_age - rng.uniform(0, 4, size=len(i_car)), 60, 100)
    i_soh_pct = np.where(zm[i_car], rng.uniform(97, 100, size=len(i_car)), i_soh).astype(np.int64)

    d_has = rng.random(len(decl)) >= 0.06
    return Evidence(
        odo_car=odo_car, odo_day=odo_day, odo_km=distance(cars, odo_car, odo_day),
        odo_source=odo_source,
        m_car=m_car, m_day=m_day, m_km=distance(cars, m_car, m_day),
        m_has_km=rng.random(len(m_car)) >= 0.08, m_kind=m_kind, m_workshop=m_workshop,
        i_car=i_car, i_day=i_day, i_km=distance(cars, i_car, i_day),
        i_has_km=rng.random(len(i_car)) >= 0.03, i_inspector=inspector[i_car],
        i_standard_commercial=_COMMERCIAL[cars.model[i_car]],
        i_pass=rng.random(len(i_car)) >= 0.03, i_soh=i_soh_pct, i_has_soh=_PLUG[cars.model[i_car]],
        d_km=distance(cars, decl.car, decl.day), d_has_km=d_has,
    )  # fmt: skip


@dataclass
class Readings:
    """Distance-bearing evidence of some cars in one list, sorted by car then day.

    Only the cars a question concerns are gathered: sorting 30 million readings
    would cost more than generating them.
    """

    car: IntArray
    day: IntArray
    km: IntArray
    table: IntArray  # 0 odometer, 1 maintenance, 2 inspections, 3 declarations
    row: IntArray


def collect_readings(ev: Evidence, decl: Declarations, cars: BoolArray) -> Readings:
    """The readings that carry a distance, of the flagged cars, sorted by car then day."""
    m = np.flatnonzero(ev.m_has_km & cars[ev.m_car])
    i = np.flatnonzero(ev.i_has_km & cars[ev.i_car])
    d = np.flatnonzero(ev.d_has_km & cars[decl.car])
    o = np.flatnonzero(cars[ev.odo_car])
    car = np.concatenate([ev.odo_car[o], ev.m_car[m], ev.i_car[i], decl.car[d]])
    day = np.concatenate([ev.odo_day[o], ev.m_day[m], ev.i_day[i], decl.day[d]])
    order = np.lexsort((day, car))
    return Readings(
        car=car[order],
        day=day[order],
        km=np.concatenate([ev.odo_km[o], ev.m_km[m], ev.i_km[i], ev.d_km[d]])[order],
        table=np.repeat(np.arange(4), [len(o), len(m), len(i), len(d)])[order],
        row=np.concatenate([o, m, i, d])[order],
    )


def inject_rollbacks(
    rng: np.random.Generator, cars: Cars, ev: Evidence, r: Readings, candidates: BoolArray
) -> BoolArray:
    """From a random day on, lower every reading of each candidate car by tens of thousands of km.

    Updates ``r`` and the evidence tables in place; returns the cars whose readings changed.
    """
    n = len(candidates)
    rows = np.flatnonzero(candidates)
    reg, decl = cars.registration_day[rows], cars.declaration_day[rows]
    cut = reg + ((decl - reg) * rng.uniform(0.3, 0.9, size=len(rows))).astype(np.int64)
    at_cut = distance(cars, rows, cut)
    drop = np.minimum(
        (at_cut * rng.uniform(0.3, 0.7, size=len(rows))).astype(np.int64) + 3_000, at_cut
    )
    cut_day = np.full(n, np.iinfo(np.int64).max)
    cut_day[rows] = cut
    amount = np.zeros(n, dtype=np.int64)
    amount[rows] = drop
    lowered = r.day >= cut_day[r.car]
    r.km[lowered] = np.maximum(r.km[lowered] - amount[r.car[lowered]], 0)
    for table, target in enumerate((ev.odo_km, ev.m_km, ev.i_km, ev.d_km)):
        sel = lowered & (r.table == table)
        target[r.row[sel]] = r.km[sel]
    hit = np.zeros(n, dtype=bool)
    hit[r.car[lowered]] = True
    return hit & candidates


def single_declaration(decl: Declarations, n_cars: int) -> BoolArray:
    """Cars declared exactly once."""
    once: BoolArray = np.bincount(decl.car, minlength=n_cars) == 1
    return once
