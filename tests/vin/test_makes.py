"""Make equivalence: case, spacing, punctuation, aliases and brand families."""

from __future__ import annotations

import pytest

from zeromile.vin import canonical_make, make_key, makes_match
from zeromile.vin.makes import makes_in_title


@pytest.mark.parametrize(
    ("declared", "wmi_makes"),
    [
        ("Mercedes-Benz", ("Mercedes-Benz",)),
        ("MERCEDES BENZ", ("Mercedes-Benz",)),
        ("Mercedes", ("Mercedes-Benz",)),
        ("vw", ("Volkswagen",)),
        ("  toyota ", ("Toyota",)),
        ("Škoda", ("Volkswagen", "Skoda", "Audi")),
        ("Audi", ("Volkswagen", "Audi", "Jetta")),
        ("Land-Rover", ("Land Rover",)),
        ("Roadrunner Hay Squeeze", ("Roadrunner Hay Squeeze",)),
    ],
)
def test_equivalent_spellings_match(declared: str, wmi_makes: tuple[str, ...]) -> None:
    assert makes_match(declared, wmi_makes)


@pytest.mark.parametrize(
    ("declared", "wmi_makes"),
    [("Kia", ("Hyundai",)), ("Lexus", ("Toyota",)), ("Genesis", ("Hyundai", "Kia"))],
)
def test_different_brands_do_not_match(declared: str, wmi_makes: tuple[str, ...]) -> None:
    assert not makes_match(declared, wmi_makes)


def test_make_key_keeps_ascii_letters_and_digits_only() -> None:
    assert make_key(" Rolls-Royce ") == "rollsroyce"
    assert canonical_make("rolls royce") == "Rolls-Royce"
    assert canonical_make("no such make") is None


@pytest.mark.parametrize(
    ("title", "makes"),
    [
        ("Beijing Hyundai", ("Hyundai",)),
        ("FAW-Volkswagen", ("FAW",)),  # the first known make wins: curated rows fix JVs
        ("Chevrolet USA", ("Chevrolet",)),
        ("Hyundai/Kia", ("Hyundai", "Kia")),
        ("DaimlerChrysler AG/Daimler AG", ("Mercedes-Benz",)),
        ("Mercedes-Benz (Sprinter)", ("Mercedes-Benz",)),
        ("Gnome Homes", ("Gnome Homes",)),
    ],
)
def test_makes_are_read_out_of_vininfo_titles(title: str, makes: tuple[str, ...]) -> None:
    assert makes_in_title(title) == makes
