"""WMI and model-year decoding against VINs decoded by NHTSA vPIC, and the curated WMIs.

Real VINs: cardog-ai/corgi ``test/fixtures.ts`` (see ``tests/vin/real_vins.py``).
"""

from __future__ import annotations

import pytest

from tests.vin.real_vins import NOT_IN_VPIC, VPIC_DECODED
from zeromile.vin import explain_vin, lookup_wmi, makes_match, with_check_digit, year_candidates
from zeromile.vin.wmi import wmi_table


@pytest.mark.parametrize(("vin", "make", "year"), VPIC_DECODED)
def test_vpic_make_is_a_make_of_the_wmi(vin: str, make: str, year: int) -> None:
    entry = lookup_wmi(vin)
    assert entry is not None, f"WMI {vin[:3]} unknown"
    assert makes_match(make, entry.makes), f"{make} not in {entry.makes}"


@pytest.mark.parametrize(("vin", "make", "year"), VPIC_DECODED)
def test_vpic_model_year_is_a_candidate_and_decodes_with_the_declared_year(
    vin: str, make: str, year: int
) -> None:
    exp = explain_vin(vin, declared_make=make, declared_model_year=year)
    assert year in (exp.year_candidates or ())
    assert exp.decoded_model_year == year
    assert exp.year_mismatch is False and exp.make_mismatch is False
    assert exp.problems() == []


@pytest.mark.parametrize(("vin", "make", "year"), [v for v in VPIC_DECODED if v[0][0] in "12345"])
def test_north_american_vins_decode_the_year_alone_by_the_position_7_rule(
    vin: str, make: str, year: int
) -> None:
    assert year_candidates(vin) == (year,)
    assert explain_vin(vin).decoded_model_year == year


@pytest.mark.parametrize(("vin", "make"), NOT_IN_VPIC)
def test_vins_outside_vpic_still_decode_their_make(vin: str, make: str) -> None:
    assert explain_vin(vin, declared_make=make).make_mismatch is False


def test_outside_north_america_the_year_stays_ambiguous_without_a_declared_year() -> None:
    exp = explain_vin("JTDBBRBE6LJ007243")
    assert exp.year_candidates == (1990, 2020)
    assert exp.decoded_model_year is None and exp.year_mismatch is None


def test_a_declared_year_position_10_cannot_mean_is_a_mismatch() -> None:
    exp = explain_vin("JTDBBRBE6LJ007243", declared_model_year=2021)
    assert exp.year_mismatch is True
    assert any("cannot mean model year 2021" in p for p in exp.problems())


def test_a_position_10_without_a_year_code_tells_nothing() -> None:
    exp = explain_vin("WDD222182ZA000001", declared_model_year=2015)
    assert exp.year_candidates == () and exp.year_mismatch is None


@pytest.mark.parametrize(
    ("wmi", "make", "country"),
    [
        ("LB3", "Geely", "CN"),
        ("LB2", "Geely", "CN"),
        ("LNB", "NIO", "CN"),
        ("LPE", "BYD", "CN"),
        ("LC0", "BYD", "CN"),
        ("LPS", "Polestar", "CN"),
        ("LRW", "Tesla", "CN"),
        ("LGW", "Great Wall", "CN"),
        ("LSJ", "MG", "CN"),
        ("LS5", "Changan", "CN"),
        ("LW4", "Li Auto", "CN"),
        ("LFV", "Volkswagen", "CN"),
        ("LVG", "Toyota", "CN"),
        ("KMH", "Hyundai", "KR"),
        ("KMT", "Genesis", "KR"),
        ("JTN", "Toyota", "JP"),
        ("WUA", "Audi", "DE"),
        ("3TY", "Toyota", "MX"),
    ],
)
def test_curated_wmis_override_or_fill_vininfo(wmi: str, make: str, country: str) -> None:
    entry = wmi_table()[wmi]
    assert (entry.make, entry.country) == (make, country)
    assert entry.source.startswith("https://vpic.nhtsa.dot.gov/")


def test_kmh_is_hyundai_not_genesis_but_kmt_is_genesis() -> None:
    from vininfo import Vin

    assert Vin("KMHRC8A33RU325703").manufacturer == "Genesis"  # what vininfo gets wrong
    assert explain_vin("KMHRC8A33RU325703", declared_make="Hyundai").make_mismatch is False
    assert explain_vin(with_check_digit("KMTG34TA0PU000001"), declared_make="Hyundai").make_mismatch


def test_a_wmi_covering_several_brands_accepts_each() -> None:
    vin = with_check_digit("LGWEF6A50RH000001")
    for make in ("Great Wall", "GWM", "Haval", "WEY", "Ora", "Tank"):
        assert explain_vin(vin, declared_make=make).make_mismatch is False, make
    assert explain_vin(vin, declared_make="Chery").make_mismatch is True


def test_two_character_vininfo_keys_cover_every_third_character() -> None:
    assert wmi_table()["JTZ"].make == "Toyota"  # vininfo lists "JT" only
    assert wmi_table()["JT6"].make == "Lexus"  # a listed three-character key wins


def test_an_unknown_wmi_keeps_the_iso_3780_country_but_not_as_reliable() -> None:
    exp = explain_vin(with_check_digit("L9Z00000000000001"), declared_make="Geely")
    assert exp.wmi_make is None and exp.make_mismatch is None
    assert exp.wmi_country == "CN" and exp.wmi_country_reliable is False
