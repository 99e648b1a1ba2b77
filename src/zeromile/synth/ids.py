"""Identifier formats shared by the tables (exporters, owners, workshops, reports)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from zeromile.synth._arrow import IntArray, digit_chars, strings_from_chars
from zeromile.synth.population import COUNTRIES


def country_coded(country: IntArray, tag: str, numbers: IntArray, width: int) -> pa.Array:
    """Ids like ``CN-EXP-000123``: country, a tag, a zero-padded number."""
    codes = np.frombuffer("".join(COUNTRIES).encode("ascii"), dtype=np.uint8).reshape(-1, 2)
    middle = np.frombuffer(f"-{tag}-".encode("ascii"), dtype=np.uint8)
    chars = np.empty((len(numbers), 2 + len(middle) + width), dtype=np.uint8)
    chars[:, :2] = codes[country]
    chars[:, 2 : 2 + len(middle)] = middle
    chars[:, 2 + len(middle) :] = digit_chars(numbers, width)
    return strings_from_chars(chars)


def exporter_ids(country: IntArray, numbers: IntArray) -> pa.Array:
    """Exporter ids, ``CN-EXP-000123``."""
    return country_coded(country, "EXP", numbers, 6)


def tagged_ids(
    country: IntArray, tags: tuple[str, ...], tag: IntArray, numbers: IntArray, width: int
) -> pa.Array:
    """Ids like ``CN-DLR-0001234`` where the three-letter tag varies per row."""
    codes = np.frombuffer("".join(COUNTRIES).encode("ascii"), dtype=np.uint8).reshape(-1, 2)
    tag_chars = np.frombuffer("".join(tags).encode("ascii"), dtype=np.uint8).reshape(-1, 3)
    chars = np.empty((len(numbers), 7 + width), dtype=np.uint8)
    chars[:, :2] = codes[country]
    chars[:, 2] = ord("-")
    chars[:, 3:6] = tag_chars[tag]
    chars[:, 6] = ord("-")
    chars[:, 7:] = digit_chars(numbers, width)
    return strings_from_chars(chars)
