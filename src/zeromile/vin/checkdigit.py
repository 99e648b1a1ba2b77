"""VIN check digit (position 9) by the algorithm of 49 CFR 565.15.

GB 16735 (China) uses the same transliteration and weights. Pure functions,
no I/O: the screening engine builds its SQL tables from the constants here.
"""

from __future__ import annotations

#: Letter values of 49 CFR 565.15 table IV (I, O and Q are not allowed in a VIN).
TRANSLITERATION: dict[str, int] = {
    **{str(d): d for d in range(10)},
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8,
    "J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9,
    "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
}  # fmt: skip

#: Position weights of 49 CFR 565.15 table V (position 9 weighs 0).
WEIGHTS: tuple[int, ...] = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def compute_check_digit(vin: str) -> str:
    """The check digit a 17-character VIN should carry at position 9 ('0'-'9' or 'X').

    Raises ``KeyError`` for a character outside the VIN alphabet; callers
    validate syntax first.
    """
    total = sum(TRANSLITERATION[ch] * w for ch, w in zip(vin.upper(), WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def with_check_digit(vin: str) -> str:
    """Return ``vin`` with position 9 replaced by its correct check digit."""
    vin = vin.upper()
    return vin[:8] + compute_check_digit(vin) + vin[9:]
