"""The cars of the synthetic world: origin, kind, model, destination and dates.

Every car gets one primary export declaration. Zero-mileage cars are
registered in batches (one model, one owner, within days) and declared weeks
later; genuinely used cars are years old with a steady yearly distance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zeromile.synth import calibration as cal
from zeromile.synth._arrow import BoolArray, FloatArray, IntArray, day_number
from zeromile.synth.catalogue import MODELS

ORIGINS: tuple[str, ...] = ("CN", "KR", "JP")
#: Every country code the world uses; cars and declarations index into it.
COUNTRIES: tuple[str, ...] = tuple(
    dict.fromkeys(
        [*ORIGINS, "KG", "KZ", *(c for dests in cal.DESTINATIONS.values() for c in dests)]
    )
)
COUNTRY_INDEX: dict[str, int] = {c: i for i, c in enumerate(COUNTRIES)}
OWNER_KINDS: tuple[str, ...] = (
    "manufacturer", "dealer", "trader", "exporter", "private", "fleet", "government",
)  # fmt: skip
OWNER_INDEX: dict[str, int] = {k: i for i, k in enumerate(OWNER_KINDS)}

ZERO_MILEAGE, USED, NEW = 0, 1, 2

_CC = np.array([m.engine_cc for m in MODELS], dtype=np.int64)
_FUEL = np.array([m.fuel for m in MODELS])


@dataclass
class Cars:
    """Column arrays, one row per car."""

    origin: IntArray  # index into ORIGINS
    kind: IntArray  # ZERO_MILEAGE, USED or NEW
    borderline: BoolArray  # young, low-mileage genuinely used car
    model: IntArray  # index into MODELS
    destination: IntArray  # index into COUNTRIES
    declaration_day: IntArray  # primary declaration
    registration_day: IntArray  # first registration (undefined for NEW)
    model_year: IntArray
    owner_kind: IntArray  # first owner, index into OWNER_KINDS
    owner_number: IntArray  # first owner id number (batch owner for zero-mileage cars)
    region: IntArray  # index into calibration.REGIONS[origin] of the first owner
    batch: IntArray  # registration batch, -1 when none
    km_per_day: FloatArray
    registration_km: IntArray
    chassis: BoolArray  # identified by a Japanese chassis number

    def __len__(self) -> int:
        return len(self.origin)


def year_of(days: IntArray) -> IntArray:
    """Calendar year of day numbers."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _model_probabilities(origin: str) -> tuple[IntArray, FloatArray]:
    idx = np.array([i for i, m in enumerate(MODELS) if m.origin == origin], dtype=np.int64)
    weights = np.array([MODELS[i].weight for i in idx], dtype=np.float64)
    if origin == "CN":
        fuels = _FUEL[idx]
        for fuel, share in cal.CN_FUEL_MIX.items():
            in_fuel = fuels == fuel
            weights[in_fuel] = share * weights[in_fuel] / weights[in_fuel].sum()
    return idx, weights / weights.sum()


def _draw(rng: np.random.Generator, choices: dict[str, float], size: int) -> IntArray:
    codes = np.array([COUNTRY_INDEX[c] for c in choices], dtype=np.int64)
    p = np.array(list(choices.values()), dtype=np.float64)
    return codes[rng.choice(len(codes), size=size, p=p / p.sum())]


def _russia_allows(origin: str, models: IntArray) -> BoolArray:
    limit = cal.RUSSIA_MAX_CC.get(origin)
    if limit is None:
        return np.ones(len(models), dtype=bool)
    banned = cal.RUSSIA_BANNED_FUELS[origin]
    return (_CC[models] <= limit) & ~np.isin(_FUEL[models], list(banned))


def draw_cars(rng: np.random.Generator, n: int) -> Cars:
    """Draw ``n`` cars with the calibrated origin, kind, model and destination mix."""
    units = np.array([cal.ORIGIN_UNITS[o] for o in ORIGINS], dtype=np.float64)
    origin = rng.choice(len(ORIGINS), size=n, p=units / units.sum()).astype(np.int64)
    u = rng.random(n)
    kind = np.full(n, USED, dtype=np.int64)
    cn, kr = origin == 0, origin == 1
    kind[cn & (u < cal.CN_ZERO_MILEAGE_SHARE)] = ZERO_MILEAGE
    kind[cn & (u >= 1 - cal.CN_NEW_SHARE)] = NEW
    kind[kr & (u < cal.KR_ZERO_MILEAGE_SHARE)] = ZERO_MILEAGE

    model = np.empty(n, dtype=np.int64)
    destination = np.empty(n, dtype=np.int64)
    for o, name in enumerate(ORIGINS):
        rows = np.flatnonzero(origin == o)
        idx, p = _model_probabilities(name)
        model[rows] = idx[rng.choice(len(idx), size=len(rows), p=p)]
        destination[rows] = _draw(rng, cal.DESTINATIONS[name], len(rows))
        to_russia = rows[destination[rows] == COUNTRY_INDEX["RU"]]
        allowed = _russia_allows(name, idx)
        if not allowed.all():
            bad = to_russia[~_russia_allows(name, model[to_russia])]
            p_ok = np.where(allowed, p, 0.0)
            model[bad] = idx[rng.choice(len(idx), size=len(bad), p=p_ok / p_ok.sum())]

    cars = Cars(
        origin=origin,
        kind=kind,
        borderline=np.zeros(n, dtype=bool),
        model=model,
        destination=destination,
        declaration_day=np.zeros(n, dtype=np.int64),
        registration_day=np.zeros(n, dtype=np.int64),
        model_year=np.zeros(n, dtype=np.int64),
        owner_kind=np.zeros(n, dtype=np.int64),
        owner_number=np.zeros(n, dtype=np.int64),
        region=np.zeros(n, dtype=np.int64),
        batch=np.full(n, -1, dtype=np.int64),
        km_per_day=np.zeros(n, dtype=np.float64),
        registration_km=np.zeros(n, dtype=np.int64),
        chassis=(origin == 2) & (rng.random(n) < 0.85),
    )
    _zero_mileage_dates(rng, cars)
    _used_dates(rng, cars)
    _new_dates(rng, cars)
    return cars


def _zero_mileage_dates(rng: np.random.Generator, cars: Cars) -> None:
    """Batches of one model registered by one owner within days, declared weeks later."""
    rows = np.flatnonzero(cars.kind == ZERO_MILEAGE)
    if len(rows) == 0:
        return
    rows = rows[np.lexsort((rng.random(len(rows)), cars.model[rows], cars.origin[rows]))]
    sizes = np.minimum(rng.geometric(1 / 12, size=len(rows)), 60)
    ends = np.cumsum(sizes)
    ends = ends[ends < len(rows)]
    starts = np.zeros(len(rows), dtype=np.int64)
    starts[ends] = 1
    # a batch never spans two models
    key_change = np.ones(len(rows), dtype=bool)
    key_change[1:] = cars.model[rows][1:] != cars.model[rows][:-1]
    batch = np.cumsum(starts.astype(bool) | key_change) - 1
    n_batches = int(batch[-1]) + 1
    cars.batch[rows] = batch

    start, end = day_number(cal.PERIOD_START), day_number(cal.PERIOD_END)
    batch_day = rng.integers(start, end - 40, size=n_batches)
    lag = np.clip(np.exp(rng.normal(np.log(35), 0.7, size=n_batches)), 6, 330).astype(np.int64)
    stale = rng.random(n_batches) < 0.06
    lag[stale] = rng.integers(200, 420, size=int(stale.sum()))
    # some batches are registered in private names (straw owners), hiding the signal
    owner_kind = np.array([OWNER_INDEX[k] for k in ("dealer", "trader", "exporter", "private")])[
        rng.choice(4, size=n_batches, p=[0.45, 0.25, 0.15, 0.15])
    ]
    owners = rng.integers(0, max(n_batches // 4, 1), size=n_batches)

    reg = batch_day[batch] + rng.integers(0, 5, size=len(rows))
    decl = reg + lag[batch] + rng.integers(0, 20, size=len(rows))
    over = decl > end
    decl[over] = np.maximum(end - rng.integers(0, 10, size=int(over.sum())), reg[over] + 3)
    cars.registration_day[rows] = reg
    cars.declaration_day[rows] = decl
    cars.model_year[rows] = year_of(reg)
    cars.owner_kind[rows] = owner_kind[batch]
    cars.owner_number[rows] = owners[batch]
    n_regions = np.array([len(cal.REGIONS[o]) for o in ORIGINS])[cars.origin[rows]]
    cars.region[rows] = (owners[batch] * 7) % n_regions
    km_per_day = rng.uniform(0.0, 0.5, size=len(rows))
    noisy = rng.random(len(rows)) < 0.10  # test drives and road transport, some past 500 km
    km_per_day[noisy] = rng.uniform(2.0, 12.0, size=int(noisy.sum()))
    cars.km_per_day[rows] = km_per_day
    cars.registration_km[rows] = rng.integers(0, 15, size=len(rows))


def _used_dates(rng: np.random.Generator, cars: Cars) -> None:
    """Years-old cars, a steady yearly distance, mostly private first owners."""
    rows = np.flatnonzero(cars.kind == USED)
    start, end = day_number(cal.PERIOD_START), day_number(cal.PERIOD_END)
    decl = rng.integers(start, end + 1, size=len(rows))
    origin = cars.origin[rows]
    age_years = np.empty(len(rows), dtype=np.float64)
    for o, name in enumerate(ORIGINS):
        sel = origin == o
        mean, sd = cal.USED_AGE_YEARS[name]
        shape = (mean / sd) ** 2
        age_years[sel] = rng.gamma(shape, mean / shape, size=int(sel.sum()))
    age_years = np.clip(age_years, 0.6, 16.0)
    for country, limit in cal.MAX_AGE_YEARS.items():
        bound = cars.destination[rows] == COUNTRY_INDEX[country]
        age_years[bound] = np.minimum(
            age_years[bound], rng.uniform(1, limit, size=int(bound.sum()))
        )
    yearly = np.array([cal.YEARLY_KM[o] for o in ORIGINS])[origin]
    km_per_day = yearly / 365.0 * np.exp(rng.normal(0.0, 0.4, size=len(rows)))
    borderline = (origin == 0) & (rng.random(len(rows)) < cal.CN_BORDERLINE_USED_SHARE)
    age_years[borderline] = rng.uniform(0.2, 1.3, size=int(borderline.sum()))
    km_per_day[borderline] = rng.uniform(0.3, 8.0, size=int(borderline.sum()))
    reg = decl - (age_years * 365.25).astype(np.int64)

    cars.declaration_day[rows] = decl
    cars.registration_day[rows] = reg
    cars.model_year[rows] = year_of(reg) - (rng.random(len(rows)) < 0.25)
    cars.borderline[rows] = borderline
    kinds = np.array([OWNER_INDEX[k] for k in ("private", "fleet", "dealer", "government")])
    cars.owner_kind[rows] = kinds[rng.choice(4, size=len(rows), p=[0.76, 0.14, 0.08, 0.02])]
    # quasi-new cars: dealer demonstrators and trader stock resold within months
    quasi_new = borderline & (rng.random(len(rows)) < 0.35)
    cars.owner_kind[rows[quasi_new]] = np.array([OWNER_INDEX["dealer"], OWNER_INDEX["trader"]])[
        rng.integers(0, 2, size=int(quasi_new.sum()))
    ]
    cars.owner_number[rows] = rng.integers(0, 10_000_000, size=len(rows))
    n_regions = np.array([len(cal.REGIONS[o]) for o in ORIGINS])[origin]
    cars.region[rows] = rng.integers(0, 1 << 30, size=len(rows)) % n_regions
    cars.km_per_day[rows] = km_per_day
    cars.registration_km[rows] = rng.integers(0, 30, size=len(rows))


def _new_dates(rng: np.random.Generator, cars: Cars) -> None:
    """Cars exported as new: never registered, delivery distance only."""
    rows = np.flatnonzero(cars.kind == NEW)
    start, end = day_number(cal.PERIOD_START), day_number(cal.PERIOD_END)
    decl = rng.integers(start, end + 1, size=len(rows))
    cars.declaration_day[rows] = decl
    cars.registration_day[rows] = decl
    cars.model_year[rows] = year_of(decl)
    cars.owner_kind[rows] = OWNER_INDEX["manufacturer"]
    cars.registration_km[rows] = rng.integers(0, 20, size=len(rows))


def period_days() -> tuple[int, int]:
    """First and last day number of the declaration window."""
    return day_number(cal.PERIOD_START), day_number(cal.PERIOD_END)
