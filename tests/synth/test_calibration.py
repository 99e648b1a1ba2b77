"""The world's shares follow the documented calibration targets."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from zeromile.synth import World, WorldConfig, generate_world
from zeromile.synth import calibration as cal
from zeromile.synth.catalogue import MODELS


@pytest.fixture(scope="module")
def big() -> World:
    """About 30,000 declarations: enough for shares within a couple of points."""
    return generate_world(WorldConfig(scale=0.03, seed=123))


def _joined(world: World) -> pa.Table:
    d = world.tables["declarations"].select(
        ["declaration_id", "vin", "origin", "destination", "declared_condition"]
    )
    d = pa.table({n: d.column(n).cast(pa.string()) for n in d.column_names})
    v = world.tables["vehicles"]
    v = pa.table(
        {
            n: v.column(n).cast(
                v.schema.field(n).type.value_type
                if pa.types.is_dictionary(v.schema.field(n).type)
                else v.schema.field(n).type
            )
            for n in v.column_names
        }
    )
    t = world.truth.select(["declaration_id", "is_zero_mileage_car", "anomaly"])
    return d.join(v, "vin").join(t, "declaration_id")


def _share(table: pa.Table, mask: pa.Array) -> float:
    return float(pc.sum(mask.cast(pa.int64())).as_py() or 0) / table.num_rows


def test_origin_shares_follow_yearly_export_units(big: World) -> None:
    d = big.tables["declarations"]
    origin = d.column("origin").cast(pa.string())
    exporters_of_origin = d.filter(pc.is_in(origin, pa.array(["CN", "KR", "JP"])))
    total = sum(cal.ORIGIN_UNITS.values())
    for code, units in cal.ORIGIN_UNITS.items():
        got = _share(
            exporters_of_origin,
            pc.equal(exporters_of_origin.column("origin").cast(pa.string()), code),
        )
        assert got == pytest.approx(units / total, abs=0.02), code


def test_nine_in_ten_chinese_exports_are_zero_mileage_cars(big: World) -> None:
    j = _joined(big)
    cn = j.filter(pc.equal(j.column("origin"), "CN"))
    assert _share(cn, cn.column("is_zero_mileage_car")) == pytest.approx(
        cal.CN_ZERO_MILEAGE_SHARE, abs=0.02
    )


def test_chinese_fuel_mix(big: World) -> None:
    j = _joined(big)
    cn = j.filter(pc.equal(j.column("origin"), "CN"))
    for fuel, share in cal.CN_FUEL_MIX.items():
        assert _share(cn, pc.equal(cn.column("fuel"), fuel)) == pytest.approx(share, abs=0.03), fuel


@pytest.mark.parametrize("origin", ["CN", "KR", "JP"])
def test_destination_mix(big: World, origin: str) -> None:
    d = big.truth.select(["declaration_id", "anomaly"]).join(
        big.tables["declarations"]
        .select(["declaration_id", "origin", "destination"])
        .cast(
            pa.schema(
                [
                    ("declaration_id", pa.string()),
                    ("origin", pa.string()),
                    ("destination", pa.string()),
                ]
            )
        ),
        "declaration_id",
    )
    rows = d.filter(pc.equal(d.column("origin"), origin))
    weights = cal.DESTINATIONS[origin]
    total = sum(weights.values())
    for dest, w in weights.items():
        assert _share(rows, pc.equal(rows.column("destination"), dest)) == pytest.approx(
            w / total, abs=0.03
        ), dest


def test_japanese_cars_are_right_hand_drive_and_others_left(big: World) -> None:
    j = _joined(big)
    for origin, steering in (("JP", "rhd"), ("KR", "lhd"), ("CN", "lhd")):
        rows = j.filter(pc.equal(j.column("origin"), origin))
        assert set(pc.unique(rows.column("steering")).to_pylist()) == {steering}


def test_exports_to_russia_respect_japanese_and_korean_sanctions(big: World) -> None:
    j = _joined(big)
    ru = j.filter(pc.equal(j.column("destination"), "RU"))
    for origin, limit in cal.RUSSIA_MAX_CC.items():
        rows = ru.filter(pc.equal(ru.column("origin"), origin))
        assert rows.num_rows > 0
        cc = rows.column("engine_cc").to_numpy(zero_copy_only=False)
        assert np.nanmax(cc.astype(float)) <= limit
        fuels = set(pc.unique(rows.column("fuel")).to_pylist())
        assert not fuels & cal.RUSSIA_BANNED_FUELS[origin]


def test_histories_are_rich_for_used_cars(big: World) -> None:
    """Scale 1 needs >= 10M odometer and >= 20M maintenance rows; the ratio holds at any scale."""
    n = big.summary["rows"]["declarations"]
    assert big.summary["rows"]["odometer"] >= 10 * n
    assert big.summary["rows"]["maintenance"] >= 20 * n


def test_every_model_is_drawn(big: World) -> None:
    models = set(pc.unique(big.tables["vehicles"].column("model").cast(pa.string())).to_pylist())
    assert models == {m.model for m in MODELS}


def test_cars_for_age_limited_destinations_are_young_enough(big: World) -> None:
    d = big.tables["declarations"]
    r = big.tables["registrations"]
    first = r.filter(pc.equal(r.column("event").cast(pa.string()), "first_registration"))
    first = pa.table(
        {"vin": first.column("vin").cast(pa.string()), "first": first.column("event_date")}
    )
    decl = pa.table(
        {
            "vin": d.column("vin").cast(pa.string()),
            "destination": d.column("destination").cast(pa.string()),
            "day": d.column("declaration_date"),
        }
    ).join(first, "vin")
    for country, limit in cal.MAX_AGE_YEARS.items():
        rows = decl.filter(pc.equal(decl.column("destination"), country))
        assert rows.num_rows > 0
        oldest = pc.max(pc.days_between(rows.column("first"), rows.column("day"))).as_py()
        assert oldest <= limit * 365.25 + 1, (country, oldest)
