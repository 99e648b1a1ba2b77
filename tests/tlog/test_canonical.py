"""The fast canonical JSON writes exactly the bytes of the RFC 8785 reference, or fails as it does."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from zeromile.tlog import canonical

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=-1e7, max_value=1e7).map(lambda f: round(f, 2))
    | st.text()
)
keys = st.text() | st.sampled_from(["declaration_id", "vin", "verdict", "é", "\ue000", "😀"])
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=30,
)


def outcome(write: Callable[[Any], bytes], value: Any) -> bytes | type[Exception]:
    """What ``write`` makes of ``value``: its bytes, or the type of what it raised."""
    try:
        return write(value)
    except Exception as exc:  # the same failure must come out of the fast path
        return type(exc)


def reference(value: Any) -> bytes | type[Exception]:
    return outcome(lambda v: bytes(rfc8785.dumps(v)), value)


def fast(value: Any) -> bytes | type[Exception]:
    return outcome(canonical.dumps, value)


@settings(max_examples=2000)
@given(json_values)
def test_byte_identical_to_the_reference(value: Any) -> None:
    assert fast(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": [1.0, -0.0, 0.5, 1e-7, 1e21, 123456789.125, 2.0**53, 1e16]},
        {"\ue000": 1, "😀": 2, "a\u0001b": '\x7f\u2028"\\\n'},
        {"n": 2**53 - 1, "m": -(2**53) + 1},
        ("tuple", ["list"]),
        "\ud800",
        2**53,
        float("nan"),
        {1: "non-string key"},
    ],
)
def test_edge_values_match_the_reference(value: Any) -> None:
    assert fast(value) == reference(value)


def test_decision_shaped_records_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_: Any) -> bytes:
        raise AssertionError("fell back to rfc8785")

    monkeypatch.setattr(canonical.rfc8785, "dumps", refuse)
    record = {
        "declaration_id": "D-1",
        "declared_value": 18250.0,
        "declared_odometer_km": 12,
        "findings": ["ZERO_MILEAGE"],
        "evidence": {"ratio": 0.125, "note": "résumé"},
        "zero_mileage": True,
        "arrival_date": None,
    }
    assert canonical.dumps(record) == (
        b'{"arrival_date":null,"declaration_id":"D-1","declared_odometer_km":12,'
        b'"declared_value":18250,"evidence":{"note":"r\xc3\xa9sum\xc3\xa9","ratio":0.125},'
        b'"findings":["ZERO_MILEAGE"],"zero_mileage":true}'
    )


def text_path(value: Any) -> bytes | type[Exception] | None:
    """JCS of ``value`` by way of its JSON text and ``loads``; None when it takes the general path."""
    try:
        parsed = canonical.loads(json.dumps(value, ensure_ascii=False, allow_nan=False))
    except canonical.NotPlainError:
        return None
    return outcome(canonical.dumps_plain, parsed)


@settings(max_examples=2000)
@given(json_values)
def test_json_text_parsed_plain_writes_the_reference_bytes(value: Any) -> None:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return  # not JSON text to begin with (a non-string key, say)
    got = text_path(value)
    if got is not None:
        assert got == reference(json.loads(json.dumps(value)))


@pytest.mark.parametrize(
    "text",
    [
        '{"a":1.0,"b":[0.5,1e5,-0.0,123456789.125,999999999999999.0],"c":"1234567890123456789"}',
        '{"\\ue000":1,"\\ud83d\\ude00":2,"s":"\\u0001\\b\\f\\n\\r\\t\\u007f\\u2028/\\"\\\\é"}',
        '{"n":9007199254740991,"m":-9007199254740991}',
        '{"x":0.0001,"y":0.00012345,"z":1e-4}',
    ],
)
def test_plain_values_from_text_match_the_reference(text: str) -> None:
    assert canonical.dumps_plain(canonical.loads(text)) == reference(json.loads(text))


@pytest.mark.parametrize(
    "text",
    ["[9007199254740993]", "[1e16]", "[1e-5]", "[1e400]", "[NaN]", "{", "[1] x"],
)
def test_numbers_jcs_writes_otherwise_and_bad_text_are_not_plain(text: str) -> None:
    with pytest.raises(canonical.NotPlainError):
        canonical.loads(text)


def test_sixteen_digits_in_a_string_do_not_leave_the_fast_path() -> None:
    assert canonical.loads('{"vin":"12345678901234567","n":3}') == {
        "vin": "12345678901234567",
        "n": 3,
    }
