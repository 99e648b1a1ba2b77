"""Vectorised VIN arithmetic agrees with zeromile.vin, and generated VINs are valid."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from zeromile.synth import World
from zeromile.synth import vins as v
from zeromile.vin.checkdigit import compute_check_digit

VIN = st.text(alphabet="0123456789ABCDEFGHJKLMNPRSTUVWXYZ", min_size=17, max_size=17)


@given(st.lists(VIN, min_size=1, max_size=20))
def test_vectorised_check_digit_equals_reference(vins: list[str]) -> None:
    chars = np.frombuffer("".join(vins).encode(), dtype=np.uint8).reshape(-1, 17)
    got = v.check_digits(chars).tobytes().decode()
    assert got == "".join(compute_check_digit(x) for x in vins)


def test_year_codes_follow_the_30_year_cycle() -> None:
    years = np.array([2001, 2009, 2010, 2017, 2018, 2023, 2024, 2026, 1980])
    assert v.year_code(years).tobytes() == b"19AHJPRTA"


def test_chassis_numbers_look_like_japanese_ones() -> None:
    chars, lengths = v.chassis_numbers([b"ZVW30", b"GK3"], np.array([0, 1]), np.array([42, 7]))
    got = [bytes(row[:n]).decode() for row, n in zip(chars, lengths, strict=True)]
    assert got == ["ZVW30-0000042", "GK3-0000007"]


def test_mandatory_check_digits_hold_except_where_injected(world: World) -> None:
    vins = world.tables["declarations"].column("vin").cast("string").to_pylist()
    anomalies = world.truth.column("anomaly").to_pylist()
    checked = 0
    for vin, anomaly in zip(vins, anomalies, strict=True):
        if len(vin) != 17 or vin[0] not in "12345L" or "invalid_vin" in anomaly:
            continue
        checked += 1
        assert (vin[8] == compute_check_digit(vin)) == ("check_digit" not in anomaly), vin
    assert checked > 1000


def test_vins_are_unique_per_vehicle(world: World) -> None:
    vehicles = world.tables["vehicles"]
    assert pc.count_distinct(vehicles.column("vin")).as_py() == vehicles.num_rows
