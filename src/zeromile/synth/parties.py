"""Exporters and inspection bodies, and which exporter files each declaration.

Export volume per exporter is skewed (a Zipf-like draw), zero-mileage batches
go to one exporter, and the unlicensed anomaly swaps in an unknown exporter,
a suspended or revoked one, or one whose licence had expired.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zeromile.synth import calibration as cal
from zeromile.synth._arrow import BoolArray, IntArray
from zeromile.synth.declarations import AMENDMENT_LEG, PRIMARY, Declarations
from zeromile.synth.population import COUNTRIES, ZERO_MILEAGE, Cars, period_days

#: Declarations per exporter by country of export (assumption; sizes the pools).
_DECLARATIONS_PER_EXPORTER = {"CN": 300, "KR": 400, "JP": 500, "KG": 150, "KZ": 150}
STATUSES: tuple[str, ...] = ("active", "suspended", "revoked")
_UNKNOWN, _BARRED, _EXPIRED = 1, 2, 3


@dataclass
class Exporters:
    """Column arrays, one row per exporter in the registry."""

    country: IntArray  # index into COUNTRIES
    number: IntArray  # per-country running number used in the id
    region: IntArray
    licensed_from: IntArray
    licensed_to: IntArray
    has_licensed_to: BoolArray
    status: IntArray  # index into STATUSES


@dataclass
class Assignment:
    """Exporter of each declaration: a registry row or an unknown id number."""

    exporter: IntArray  # row in Exporters, -1 when unknown
    unknown_number: IntArray  # id number of an unknown exporter (when exporter == -1)
    unlicensed_kind: IntArray  # 0 none, else _UNKNOWN / _BARRED / _EXPIRED


def build_exporters(
    rng: np.random.Generator, decl: Declarations
) -> tuple[Exporters, dict[int, tuple[IntArray, IntArray, IntArray]]]:
    """The registry plus, per country, the rows of regular, barred and expired exporters."""
    start, end = period_days()
    countries, numbers, kinds = [], [], []
    for name, per in _DECLARATIONS_PER_EXPORTER.items():
        c = COUNTRIES.index(name)
        volume = int((decl.origin == c).sum())
        regular = max(volume // per, 3)
        bad = max(regular // 50, 2)
        total = regular + 2 * bad
        countries.append(np.full(total, c))
        numbers.append(np.arange(1, total + 1))
        kinds.append(np.repeat([0, _BARRED, _EXPIRED], [regular, bad, bad]))
    country = np.concatenate(countries).astype(np.int64)
    number = np.concatenate(numbers).astype(np.int64)
    kind = np.concatenate(kinds).astype(np.int64)
    n = len(country)
    licensed_from = rng.integers(start - 6 * 365, start - 30, size=n)
    licensed_to = rng.integers(end + 30, end + 3 * 365, size=n)
    has_to = rng.random(n) < 0.2
    expired = kind == _EXPIRED
    licensed_to[expired] = rng.integers(start, (start + end) // 2, size=int(expired.sum()))
    has_to |= expired
    status = np.zeros(n, dtype=np.int64)
    barred = kind == _BARRED
    status[barred] = rng.integers(1, 3, size=int(barred.sum()))
    region_counts = np.array([len(cal.REGIONS.get(c, ("",))) for c in COUNTRIES])[country]
    pools = {
        int(c): (
            np.flatnonzero((country == c) & (kind == 0)),
            np.flatnonzero((country == c) & barred),
            np.flatnonzero((country == c) & expired),
        )
        for c in np.unique(country)
    }
    exporters = Exporters(
        country=country,
        number=number,
        region=rng.integers(0, 1 << 30, size=n) % region_counts,
        licensed_from=licensed_from,
        licensed_to=licensed_to,
        has_licensed_to=has_to,
        status=status,
    )
    return exporters, pools


def _zipf_pick(rng: np.random.Generator, pool: IntArray, size: int) -> IntArray:
    ranks = np.arange(1, len(pool) + 1, dtype=np.float64)
    p = 1.0 / ranks**0.8
    return pool[rng.choice(len(pool), size=size, p=p / p.sum())]


def assign_exporters(
    rng: np.random.Generator,
    cars: Cars,
    decl: Declarations,
    exporters: Exporters,
    pools: dict[int, tuple[IntArray, IntArray, IntArray]],
    unlicensed_rate: float,
) -> Assignment:
    """Pick an exporter per declaration, then inject the unlicensed anomaly."""
    n = len(decl)
    exporter = np.empty(n, dtype=np.int64)
    for c, (regular, _, _) in pools.items():
        rows = np.flatnonzero(decl.origin == c)
        exporter[rows] = _zipf_pick(rng, regular, len(rows))
        # a zero-mileage batch is bought by one exporter
        batch_rows = rows[(decl.leg[rows] == PRIMARY) & (cars.kind[decl.car[rows]] == ZERO_MILEAGE)]
        batches = cars.batch[decl.car[batch_rows]]
        if len(batch_rows):
            per_batch = _zipf_pick(rng, regular, int(batches.max()) + 1)
            together = rng.random(len(batch_rows)) < 0.9
            exporter[batch_rows[together]] = per_batch[batches[together]]
    # extra legs of one car: amendments keep the exporter, duplicates use another one
    first = np.ones(n, dtype=bool)
    first[1:] = decl.car[1:] != decl.car[:-1]
    primary_row = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    amend = decl.leg == AMENDMENT_LEG
    exporter[amend] = exporter[primary_row[amend]]
    same_origin = (decl.origin == decl.origin[primary_row]) & ~first & ~amend
    clash = same_origin & (exporter == exporter[primary_row])
    for c, (regular, _, _) in pools.items():
        rows = np.flatnonzero(clash & (decl.origin == c))
        pos = np.searchsorted(regular, exporter[rows])
        exporter[rows] = regular[(pos + 1) % len(regular)]

    unknown_number = np.zeros(n, dtype=np.int64)
    kind = np.zeros(n, dtype=np.int64)
    single = first & (np.append(first[1:], True))  # cars with exactly one declaration
    chosen = np.flatnonzero(single & (rng.random(n) < unlicensed_rate))
    mid = sum(period_days()) // 2
    draw = rng.random(len(chosen))
    kind[chosen] = np.where(draw < 0.5, _UNKNOWN, np.where(draw < 0.8, _BARRED, _EXPIRED))
    late = decl.day[chosen] > mid
    kind[chosen[(kind[chosen] == _EXPIRED) & ~late]] = _UNKNOWN
    for c, (_, barred, expired) in pools.items():
        here = chosen[decl.origin[chosen] == c]
        b = here[kind[here] == _BARRED]
        exporter[b] = barred[rng.integers(0, len(barred), size=len(b))]
        e = here[kind[here] == _EXPIRED]
        exporter[e] = expired[rng.integers(0, len(expired), size=len(e))]
    unknown = chosen[kind[chosen] == _UNKNOWN]
    exporter[unknown] = -1
    unknown_number[unknown] = 900_000 + np.arange(len(unknown))
    return Assignment(exporter=exporter, unknown_number=unknown_number, unlicensed_kind=kind)


#: Inspection bodies: (country, name, standards). Chinese third-party agencies inspect
#: against WM/T 8-2022 / WM/T 9-2022 (http://truckmaker.cn/?Company-News/289.html); Japanese
#: agents per destination (https://planetcars.jp/index.php/ja/jaai ;
#: https://hapakenya.com/2025/11/14/kebs-announces-new-rules-for-importing-used-cars-from-january-2026/).
INSPECTORS: tuple[tuple[str, str, str], ...] = (
    ("CN", "Shenzhen Vehicle Export Inspection Co.", "WM/T 8-2022;WM/T 9-2022"),
    ("CN", "Zhejiang Auto Appraisal Centre", "WM/T 8-2022"),
    ("CN", "Xinjiang Horgos Vehicle Testing Station", "WM/T 8-2022;WM/T 9-2022"),
    ("CN", "Tianjin Port Used Vehicle Inspection Ltd.", "WM/T 8-2022;WM/T 9-2022"),
    ("CN", "Sichuan Used Car Quality Centre", "WM/T 8-2022"),
    ("JP", "QISJ", "KS 1515:2000"),
    ("JP", "JAAI", "JAAI export inspection"),
    ("JP", "JEVIC", "JEVIC roadworthiness"),
)
#: Which inspector a Japanese export to each destination needs (index into INSPECTORS).
JP_INSPECTION_BY_DESTINATION: dict[str, int] = {"KE": 5, "TZ": 6, "LK": 6, "UG": 7}
