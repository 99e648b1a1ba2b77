"""Vectorised VINs and Japanese chassis numbers as ASCII byte matrices.

The check digit uses the transliteration and weights of
:mod:`zeromile.vin.checkdigit` (49 CFR 565.15), applied to a whole matrix at
once so that a million VINs cost milliseconds, not a Python loop.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zeromile.synth._arrow import BoolArray, IntArray
from zeromile.vin.checkdigit import TRANSLITERATION, WEIGHTS

Chars = npt.NDArray[np.uint8]

VIN_LENGTH = 17
#: Characters allowed in a VIN (ISO 3779: no I, O or Q).
VIN_ALPHABET = np.frombuffer(b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ", dtype=np.uint8)
_LETTERS = np.frombuffer(b"ABCDEFGHJKLMNPRSTUVWXYZ", dtype=np.uint8)

_VALUE = np.full(256, -1, dtype=np.int64)
for _ch, _v in TRANSLITERATION.items():
    _VALUE[ord(_ch)] = _v
_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)

#: Model-year codes at position 10 for 2001-2030 (the 30-year cycle of 49 CFR 565.15).
_YEAR_CODES = b"123456789ABCDEFGHJKLMNPRSTVWXY"
_FIRST_CODED_YEAR = 2001


def year_code(years: IntArray) -> Chars:
    """Position-10 code of each model year."""
    table = np.frombuffer(_YEAR_CODES, dtype=np.uint8)
    return table[(years - _FIRST_CODED_YEAR) % 30]


def check_digits(vins: Chars) -> Chars:
    """The check digit each 17-character VIN row should carry ('0'-'9' or 'X').

    Rows with a character outside the VIN alphabet get 0 (callers test syntax first).
    """
    values = _VALUE[vins]
    total = (np.where(values < 0, 0, values) * _WEIGHTS).sum(axis=1) % 11
    return np.where(total == 10, ord("X"), total + ord("0")).astype(np.uint8)


def set_check_digits(vins: Chars) -> None:
    """Write the correct check digit into position 9 of every row, in place."""
    vins[:, 8] = check_digits(vins)


def build_vins(wmi: Chars, vds: Chars, years: IntArray, serial_numbers: IntArray) -> Chars:
    """VINs from WMI (n,3), descriptor (n,5), model year and a unique serial number.

    Position 11 (plant) and 12-17 (sequence) encode the serial number, so
    distinct serial numbers give distinct VINs.
    """
    n = len(years)
    vins = np.empty((n, VIN_LENGTH), dtype=np.uint8)
    vins[:, 0:3] = wmi
    vins[:, 3:8] = vds
    vins[:, 9] = year_code(years)
    vins[:, 10] = _LETTERS[(serial_numbers // 1_000_000) % len(_LETTERS)]
    powers = 10 ** np.arange(5, -1, -1, dtype=np.int64)
    vins[:, 11:17] = (serial_numbers[:, None] // powers) % 10 + ord("0")
    set_check_digits(vins)
    return vins


def descriptor(model_numbers: IntArray) -> Chars:
    """A stable 5-character vehicle descriptor per catalogue model."""
    out = np.empty((len(model_numbers), 5), dtype=np.uint8)
    base = model_numbers * 7919 + 104729
    for pos in range(5):
        out[:, pos] = VIN_ALPHABET[(base // (33**pos)) % len(VIN_ALPHABET)]
    out[:, 0] = _LETTERS[model_numbers % len(_LETTERS)]
    return out


def chassis_numbers(
    codes: list[bytes], code_index: IntArray, serials: IntArray
) -> tuple[Chars, IntArray]:
    """Japanese chassis numbers ``CODE-1234567`` as a padded matrix and lengths."""
    width = max(len(c) for c in codes) + 8
    table = np.zeros((len(codes), width), dtype=np.uint8)
    lengths_by_code = np.array([len(c) for c in codes], dtype=np.int64)
    for i, code in enumerate(codes):
        table[i, : len(code)] = np.frombuffer(code, dtype=np.uint8)
    chars = table[code_index]
    lengths = lengths_by_code[code_index]
    rows = np.arange(len(code_index))
    chars[rows, lengths] = ord("-")
    powers = 10 ** np.arange(6, -1, -1, dtype=np.int64)
    digits = ((serials[:, None] // powers) % 10 + ord("0")).astype(np.uint8)
    for pos in range(7):
        chars[rows, lengths + 1 + pos] = digits[:, pos]
    return chars, lengths + 8


def is_valid_vin(chars: Chars, lengths: IntArray) -> BoolArray:
    """17 characters, all from the VIN alphabet."""
    allowed = np.zeros(256, dtype=bool)
    allowed[VIN_ALPHABET] = True
    width = chars.shape[1]
    in_use = np.arange(width)[None, :] < lengths[:, None]
    ok = np.where(in_use, allowed[chars], True).all(axis=1)
    valid: BoolArray = ok & (lengths == VIN_LENGTH)
    return valid


def check_digit_mandatory(chars: Chars) -> BoolArray:
    """The first character is 1-5 or L (North American and Chinese WMIs)."""
    first = chars[:, 0]
    mandatory: BoolArray = ((first >= ord("1")) & (first <= ord("5"))) | (first == ord("L"))
    return mandatory


def year_matches(chars: Chars, model_years: IntArray) -> BoolArray:
    """Position 10 can stand for the model year (codes repeat every 30 years)."""
    same: BoolArray = chars[:, 9] == year_code(model_years)
    return same
