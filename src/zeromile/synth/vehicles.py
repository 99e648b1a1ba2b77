"""Vehicle identities and attributes, with the VIN anomalies injected.

Each car gets a VIN whose WMI belongs to its make and whose position 10 codes
its model year, or, for most Japanese cars, a chassis number. Anomalies are
disjoint per car so the ground truth names one cause.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zeromile.synth import vins as v
from zeromile.synth._arrow import BoolArray, IntArray
from zeromile.synth.calibration import AnomalyRates
from zeromile.synth.catalogue import MODELS
from zeromile.synth.population import ORIGINS, Cars
from zeromile.vin.makes import makes_match
from zeromile.vin.wmi import wmi_table

MAKES: tuple[str, ...] = tuple(dict.fromkeys(m.make for m in MODELS))
_MODEL_MAKE = np.array([MAKES.index(m.make) for m in MODELS], dtype=np.int64)


def _wmi_covers() -> BoolArray:
    """[model, make]: whether the model's WMI also covers that make."""
    table = wmi_table()
    covers = np.zeros((len(MODELS), len(MAKES)), dtype=bool)
    for i, model in enumerate(MODELS):
        entry = table.get(model.wmi)
        for j, make in enumerate(MAKES):
            covers[i, j] = (
                j != _MODEL_MAKE[i] and entry is not None and makes_match(make, entry.makes)
            )
    return covers


_WMI_COVERS = _wmi_covers()
_WMI = np.array([np.frombuffer(m.wmi.encode(), dtype=np.uint8) for m in MODELS])
_CHASSIS_CODES = [m.chassis_code.encode() or b"X" for m in MODELS]
_BAD_CHARS = np.frombuffer(b"IOQ", dtype=np.uint8)


@dataclass
class Identity:
    """VIN or chassis number per car, the make on file and the injected VIN anomalies."""

    chars: v.Chars
    lengths: IntArray
    make: IntArray  # index into MAKES as declared in the vehicles table
    invalid: BoolArray
    check_digit: BoolArray
    year_mismatch: BoolArray
    make_mismatch: BoolArray


def build_identity(rng: np.random.Generator, cars: Cars, rates: AnomalyRates) -> Identity:
    """Draw identifiers, then inject invalid VINs, wrong check digits, year and make mismatches."""
    n = len(cars)
    serial = rng.permutation(n).astype(np.int64)
    vin = v.build_vins(_WMI[cars.model], v.descriptor(cars.model), cars.model_year, serial)
    chassis, c_len = v.chassis_numbers(_CHASSIS_CODES, cars.model, serial)
    width = max(v.VIN_LENGTH, chassis.shape[1])
    chars = np.zeros((n, width), dtype=np.uint8)
    chars[:, : v.VIN_LENGTH] = vin
    lengths = np.full(n, v.VIN_LENGTH, dtype=np.int64)
    ch = cars.chassis
    chars[ch] = 0
    chars[ch, : chassis.shape[1]] = chassis[ch]
    lengths[ch] = c_len[ch]

    u = rng.random(n)
    has_vin = ~ch
    cuts = np.cumsum([rates.invalid_vin, rates.year_mismatch, rates.make_mismatch])
    invalid = has_vin & (u < cuts[0])
    year_bad = has_vin & (u >= cuts[0]) & (u < cuts[1])
    make_bad = has_vin & (u >= cuts[1]) & (u < cuts[2])
    chinese = has_vin & (chars[:, 0] == ord("L")) & (u >= cuts[2])
    check_bad = chinese & (rng.random(n) < rates.check_digit)

    rows = np.flatnonzero(year_bad)
    chars[rows, 9] = v.year_code(cars.model_year[rows] + rng.integers(2, 6, size=len(rows)))
    chars[rows, 8] = v.check_digits(chars[rows, : v.VIN_LENGTH])

    rows = np.flatnonzero(check_bad)
    digits = np.frombuffer(b"0123456789X", dtype=np.uint8)
    right = np.searchsorted(digits, chars[rows, 8])  # "0"-"9" < "X" in ASCII
    chars[rows, 8] = digits[(right + rng.integers(1, 11, size=len(rows))) % 11]

    rows = np.flatnonzero(invalid)
    drop = rng.random(len(rows)) < 0.5
    lengths[rows[drop]] = v.VIN_LENGTH - 1
    keep = rows[~drop]
    chars[keep, rng.integers(11, 17, size=len(keep))] = _BAD_CHARS[
        rng.integers(0, 3, size=len(keep))
    ]

    make = _MODEL_MAKE[cars.model].copy()
    rows = np.flatnonzero(make_bad)
    for o, name in enumerate(ORIGINS):
        sel = rows[cars.origin[rows] == o]
        pool = np.array(sorted({MAKES.index(m.make) for m in MODELS if m.origin == name}))
        pos = np.searchsorted(pool, make[sel])
        shift = rng.integers(1, len(pool), size=len(sel))
        for _ in range(len(pool)):
            make[sel] = pool[(pos + shift) % len(pool)]
            # A make the WMI itself covers (Genesis on Hyundai's KMH) is no mismatch.
            legit = _WMI_COVERS[cars.model[sel], make[sel]]
            if not legit.any():
                break
            shift = np.where(legit, shift % (len(pool) - 1) + 1, shift)
    return Identity(chars, lengths, make, invalid, check_bad, year_bad, make_bad)


def wmi_make(cars: Cars) -> IntArray:
    """The make the VIN's WMI stands for (chassis numbers carry no WMI)."""
    return _MODEL_MAKE[cars.model]
