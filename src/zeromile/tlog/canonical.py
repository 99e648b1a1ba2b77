"""RFC 8785 (JCS) canonical JSON, through a C JSON encoder where that is byte-identical.

``rfc8785.dumps`` is written in pure Python and was the largest cost of an append.
For the values decision records hold (ASCII keys, safe integers, strings, booleans,
null and ordinary decimals) msgspec's encoder with sorted keys writes the same bytes,
once integral floats are written as integers as JCS does. Any other value (a float
that ECMAScript writes with an exponent, an integer beyond 2**53, a key outside the
Basic Multilingual Plane, a subclass) goes to ``rfc8785`` itself, so the result, and
every error, is exactly the reference's.

A record stored as JSON text (the service's decisions) is parsed by :func:`loads`
straight into those plain values, so writing it needs no walk at all.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
import rfc8785

_SAFE_INT = 2**53 - 1
#: Floats in this range print positionally in both Python and ECMAScript (integral ones
#: with a trailing ``.0`` in Python, which JCS drops).
_POSITIONAL_LOW = 1e-4
_POSITIONAL_HIGH = 1e16

_encode = msgspec.json.Encoder(order="sorted").encode
#: Every digit as "0", so that sixteen digits in a row (perhaps an integer beyond
#: 2**53, which has 16) are found by a plain substring search, far faster than a regex.
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_SIXTEEN_DIGITS = b"0" * 16

#: A 4-byte UTF-8 sequence: a character outside the Basic Multilingual Plane, whose
#: key order differs between code points (Python) and UTF-16 units (JCS).
_ASTRAL = re.compile(rb"[\xf0-\xf4]")


class _UnsupportedError(Exception):
    """The value needs the reference implementation."""


class NotPlainError(ValueError):
    """JSON text for the general path: a number JCS writes otherwise, a NaN, bad JSON."""


def _plain(value: Any) -> Any:
    """``value`` with integral floats as ints; raises ``_UnsupportedError`` when JSON would differ."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is int:
        if -_SAFE_INT <= value <= _SAFE_INT:
            return value
        raise _UnsupportedError
    if kind is float:
        magnitude = abs(value)
        if value.is_integer() and magnitude < _POSITIONAL_HIGH:
            return int(value)
        if _POSITIONAL_LOW <= magnitude < _POSITIONAL_HIGH:
            return value
        raise _UnsupportedError
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or max(key) <= "\uffff"):
                raise _UnsupportedError
            out[key] = _plain(item)
        return out
    if kind is list or kind is tuple:
        return [_plain(item) for item in value]
    raise _UnsupportedError


def _parse_float(text: str) -> float | int:
    value = float(text)
    magnitude = abs(value)
    if value.is_integer() and magnitude < _POSITIONAL_HIGH:
        return int(value)
    if _POSITIONAL_LOW <= magnitude < _POSITIONAL_HIGH:
        return value
    raise NotPlainError(f"{text} needs the reference encoder")


_decode = msgspec.json.Decoder(float_hook=_parse_float).decode


def loads(text: str | bytes) -> Any:
    """Parse JSON text into values :func:`dumps_plain` writes as JCS without a walk.

    Integral floats become ints while parsing, as JCS writes them. A number JCS writes
    in another form (an exponent, an integer beyond 2**53), a NaN or malformed JSON
    raises ``NotPlainError``: the caller parses the ordinary way and uses :func:`dumps`.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    try:
        value = _decode(data)
    except msgspec.DecodeError as exc:
        raise NotPlainError(str(exc)) from exc
    if _SIXTEEN_DIGITS in data.translate(_DIGITS_AS_ZERO) and not _safe_ints(value):
        raise NotPlainError("an integer beyond 2**53 needs the reference encoder")
    return value


def _safe_ints(value: Any) -> bool:
    if type(value) is int:
        return -_SAFE_INT <= value <= _SAFE_INT
    if type(value) is dict:
        return all(_safe_ints(item) for item in value.values())
    if type(value) is list:
        return all(_safe_ints(item) for item in value)
    return True


def dumps_plain(value: Any) -> bytes:
    """The JCS bytes of a value :func:`loads` returned."""
    try:
        out = _encode(value)
    except (UnicodeEncodeError, TypeError, ValueError, RecursionError):
        return bytes(rfc8785.dumps(value))
    if not out.isascii() and _ASTRAL.search(out):
        return dumps(value)  # keys beyond the BMP may sort differently
    return out


def dumps(value: Any) -> bytes:
    """The JCS bytes of ``value``; raises what ``rfc8785.dumps`` raises."""
    try:
        return _encode(_plain(value))
    except (_UnsupportedError, UnicodeEncodeError, TypeError, ValueError, RecursionError):
        return bytes(rfc8785.dumps(value))
