"""Arrow tables of the dossier contract, built from the world's column arrays."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from zeromile.synth import calibration as cal
from zeromile.synth._arrow import (
    IntArray,
    categorical,
    dates,
    floats,
    indexed,
    ints,
    prefixed_ids,
    strings_from_chars,
)
from zeromile.synth.catalogue import MODELS, MSRP_CURRENCY
from zeromile.synth.ids import country_coded, exporter_ids, tagged_ids
from zeromile.synth.parties import INSPECTORS, STATUSES, Assignment, Exporters
from zeromile.synth.population import COUNTRIES, ORIGINS, OWNER_KINDS, Cars
from zeromile.synth.readings import MAINTENANCE_KINDS, ODOMETER_SOURCES, Evidence
from zeromile.synth.registrations import EVENTS, Registrations
from zeromile.synth.schema import conform
from zeromile.synth.vehicles import MAKES, Identity

REGION_CODES: tuple[str, ...] = tuple(r for c in COUNTRIES for r in cal.REGIONS.get(c, ()))
_REGION_OFFSET = np.cumsum([0] + [len(cal.REGIONS.get(c, ())) for c in COUNTRIES])[:-1]
_OWNER_TAGS = ("MFR", "DLR", "TRD", "EXP", "PRV", "FLT", "GOV")
_FUELS = np.array([m.fuel for m in MODELS])
# a dictionary must not repeat a value (two makes sell a "CX-5"), or Parquet bytes vary
_MODEL_NAMES = tuple(sorted({m.model for m in MODELS}))
_MODEL_NAME_INDEX = np.array([_MODEL_NAMES.index(m.model) for m in MODELS])
_CC = np.array([m.engine_cc for m in MODELS], dtype=np.int64)
_COMMERCIAL_HS = {"X3000": "8704.23", "ZK6122": "8702.10", "Porter II": "8704.21",
                  "Hiace": "8704.21"}  # fmt: skip


def _table(name: str, columns: dict[str, pa.Array]) -> pa.Table:
    return conform(name, columns)


def region_names(country: IntArray, region: IntArray) -> pa.Array:
    """ISO 3166-2 code of a per-country region index; null where the country has none."""
    has = (np.array([len(cal.REGIONS.get(c, ())) for c in COUNTRIES])[country] > 0) & (region >= 0)
    index = np.where(has, _REGION_OFFSET[country] + np.maximum(region, 0), 0)
    return categorical(REGION_CODES, index, null=~has)


def hs_subheading(model: int) -> str:
    """HS 2022 subheading of a catalogue model (https://htshub.com/us-hs/head/8703-1)."""
    m = MODELS[model]
    if m.body == "commercial":
        return _COMMERCIAL_HS[m.model]
    by_fuel = {"hev": "8703.40", "phev": "8703.60", "bev": "8703.80", "erev": "8703.80"}
    if m.fuel in by_fuel:
        return by_fuel[m.fuel]
    if m.fuel == "diesel":
        return "8703.31" if m.engine_cc <= 1500 else "8703.32" if m.engine_cc <= 2500 else "8703.33"
    bands = ((1000, "8703.21"), (1500, "8703.22"), (3000, "8703.23"))
    return next((code for limit, code in bands if m.engine_cc <= limit), "8703.24")


def vin_strings(ident: Identity) -> pa.Array:
    """One identifier string per car."""
    return strings_from_chars(ident.chars, ident.lengths)


def vehicles_table(
    rng: np.random.Generator, cars: Cars, ident: Identity, vins: pa.Array, msrp: np.ndarray
) -> pa.Table:
    """One row per car."""
    n = len(cars)
    used = cars.kind == 1
    fuel_vocab = tuple(sorted(set(_FUELS.tolist())))
    damage = rng.choice(5, size=n, p=[0.95, 0.035, 0.005, 0.002, 0.008])
    damage[~used] = 0
    no_msrp = used & (rng.random(n) < 0.10)
    return _table("vehicles", {
        "vin": vins,
        "make": categorical(MAKES, ident.make),
        "model": categorical(_MODEL_NAMES, _MODEL_NAME_INDEX[cars.model]),
        "model_year": ints(cars.model_year),
        "built_in": categorical(COUNTRIES, cars.origin, null=rng.random(n) < 0.05),
        "fuel": categorical(fuel_vocab, np.searchsorted(fuel_vocab, _FUELS[cars.model])),
        "engine_cc": ints(_CC[cars.model], null=_CC[cars.model] == 0),
        "power_kw": floats(np.array([m.power_kw for m in MODELS], dtype=np.float64)[cars.model],
                           null=rng.random(n) < 0.10),
        "body": categorical(("passenger", "commercial"),
                            np.array([m.body == "commercial" for m in MODELS])[cars.model]),
        "steering": categorical(("lhd", "rhd"), (cars.origin == ORIGINS.index("JP")).astype(int)),
        "damage": categorical(("none", "accident", "flood", "fire", "salvage"), damage,
                              null=rng.random(n) < 0.10),
        "msrp": floats(msrp, null=no_msrp),
        "msrp_currency": categorical([MSRP_CURRENCY[o] for o in ORIGINS], cars.origin,
                                     null=no_msrp),
    })  # fmt: skip


def exporter_id_column(decl_origin: IntArray, assignment: Assignment, ex: Exporters) -> pa.Array:
    """Exporter id of each declaration (unknown exporters carry unregistered numbers)."""
    e = assignment.exporter
    known = e >= 0
    country = np.where(known, ex.country[np.maximum(e, 0)], decl_origin)
    number = np.where(known, ex.number[np.maximum(e, 0)], assignment.unknown_number)
    return exporter_ids(country, number)


def registrations_table(reg: Registrations, vins: pa.Array, ex: Exporters) -> pa.Table:
    """One row per registration event."""
    is_exp = reg.owner_is_exporter
    k = np.maximum(reg.owner_number, 0)
    exp_ids = exporter_ids(
        np.where(is_exp, ex.country[np.where(is_exp, k, 0)], 0),
        np.where(is_exp, ex.number[np.where(is_exp, k, 0)], 0),
    )
    other_ids = tagged_ids(reg.country, _OWNER_TAGS, reg.owner_kind, k, 7)
    owner = pc.if_else(pa.array(is_exp), exp_ids, other_ids)
    owner = pc.if_else(pa.array(reg.owner_number < 0), pa.scalar(None, pa.string()), owner)
    return _table("registrations", {
        "vin": indexed(vins, reg.car),
        "event_date": dates(reg.day),
        "country": categorical(COUNTRIES, reg.country),
        "region": region_names(reg.country, reg.region),
        "event": categorical(EVENTS, reg.event),
        "owner_kind": categorical(OWNER_KINDS, reg.owner_kind),
        "owner_id": owner,
    })  # fmt: skip


def history_tables(
    rng: np.random.Generator, cars: Cars, ev: Evidence, vins: pa.Array
) -> dict[str, pa.Table]:
    """Odometer, maintenance and inspection tables."""
    standards = np.array([s.split(";")[0] for _, _, s in INSPECTORS] + ["WM/T 9-2022"])
    i_standard = standards[
        np.where(ev.i_standard_commercial & (ev.i_inspector < 5), len(INSPECTORS), ev.i_inspector)
    ]
    std_vocab = tuple(sorted(set(standards.tolist())))
    return {
        "odometer": _table("odometer", {
            "vin": indexed(vins, ev.odo_car),
            "reading_date": dates(ev.odo_day),
            "km": ints(ev.odo_km),
            "source": categorical(ODOMETER_SOURCES, ev.odo_source),
        }),
        "maintenance": _table("maintenance", {
            "vin": indexed(vins, ev.m_car),
            "service_date": dates(ev.m_day),
            "km": ints(ev.m_km, null=~ev.m_has_km),
            "workshop_id": _workshop_ids(cars.origin[ev.m_car], ev.m_workshop),
            "kind": categorical(MAINTENANCE_KINDS, ev.m_kind,
                                null=rng.random(len(ev.m_car)) < 0.05),
        }),
        "inspections": _table("inspections", {
            "report_id": prefixed_ids("R", np.arange(1, len(ev.i_car) + 1), 9),
            "vin": indexed(vins, ev.i_car),
            "inspector_id": prefixed_ids("INS-", ev.i_inspector + 1, 3),
            "inspection_date": dates(ev.i_day),
            "standard": categorical(std_vocab, np.searchsorted(std_vocab, i_standard)),
            "odometer_km": ints(ev.i_km, null=~ev.i_has_km),
            "result": categorical(("pass", "fail"), (~ev.i_pass).astype(int)),
            "battery_soh_pct": floats(ev.i_soh.astype(np.float64), null=~ev.i_has_soh),
        }),
    }  # fmt: skip


def _workshop_ids(origin: IntArray, workshop: IntArray) -> pa.Array:
    """Workshop ids built once per workshop, then taken per record."""
    pool = int(workshop.max()) + 1 if len(workshop) else 1
    vocab = country_coded(
        np.repeat(np.arange(len(ORIGINS)), pool), "WS", np.tile(np.arange(pool), len(ORIGINS)), 6
    )
    return indexed(vocab, origin * pool + workshop)


def exporters_table(ex: Exporters) -> pa.Table:
    """The exporter registry."""
    ids = exporter_ids(ex.country, ex.number)
    tag = np.array([{"CN": 0, "JP": 1}.get(c, -1) for c in COUNTRIES])[ex.country]
    licence = tagged_ids(ex.country, ("LIC", "KOB"), np.maximum(tag, 0), ex.number, 6)
    licensed = tag >= 0
    return _table("exporters", {
        "exporter_id": ids,
        "name": pc.binary_join_element_wise(pa.scalar("Auto Export "), ids, ""),
        "country": categorical(COUNTRIES, ex.country),
        "region": region_names(ex.country, ex.region),
        "licence_no": pc.if_else(pa.array(licensed), licence, pa.scalar(None, pa.string())),
        "licensed_from": dates(ex.licensed_from),
        "licensed_to": dates(ex.licensed_to, null=~ex.has_licensed_to),
        "status": categorical(STATUSES, ex.status),
    })  # fmt: skip


def inspectors_table() -> pa.Table:
    """The accredited inspection bodies."""
    n = len(INSPECTORS)
    # WM/T 9-2022 in force 1 Dec 2022 (https://www.duodown.com/biaozhun/61232350.html);
    # QISJ inspects for Kenya since Aug 2022 (https://allafrica.com/stories/202209220048.html)
    since = {"CN": "2022-12-01", "JP": "2022-08-01"}
    return _table("inspectors", {
        "inspector_id": prefixed_ids("INS-", np.arange(1, n + 1), 3),
        "name": pa.array([name for _, name, _ in INSPECTORS]),
        "country": pa.array([c for c, _, _ in INSPECTORS]),
        "standards": pa.array([s for _, _, s in INSPECTORS]),
        "accredited_from": pa.array([since[c] for c, _, _ in INSPECTORS]).cast(pa.date32()),
        "accredited_to": pa.nulls(n, pa.date32()),
    })  # fmt: skip
