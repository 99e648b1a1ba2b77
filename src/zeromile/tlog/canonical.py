"""RFC 8785 (JCS) canonical JSON, through the C JSON encoder where that is byte-identical.

``rfc8785.dumps`` is written in pure Python and was the largest cost of an append.
For the values decision records hold (ASCII keys, safe integers, strings, booleans,
null and ordinary decimals) ``json.dumps`` with sorted keys and no spaces writes the
same bytes, once integral floats are written as integers as JCS does. Any other value
(a float that ECMAScript writes with an exponent, an integer beyond 2**53, a key
outside the Basic Multilingual Plane, a subclass) goes to ``rfc8785`` itself, so the
result, and every error, is exactly the reference's.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

_SAFE_INT = 2**53 - 1
#: Floats in this range print positionally in both Python and ECMAScript (integral ones
#: with a trailing ``.0`` in Python, which JCS drops).
_POSITIONAL_LOW = 1e-4
_POSITIONAL_HIGH = 1e16

_encode = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


class _UnsupportedError(Exception):
    """The value needs the reference implementation."""


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


def dumps(value: Any) -> bytes:
    """The JCS bytes of ``value``; raises what ``rfc8785.dumps`` raises."""
    try:
        return _encode(_plain(value)).encode("utf-8")
    except (_UnsupportedError, UnicodeEncodeError, ValueError, RecursionError):
        return bytes(rfc8785.dumps(value))
