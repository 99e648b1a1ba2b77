"""Malformed rule files fail loading, naming the file, the rule id and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from zeromile.errors import RulebookError
from zeromile.rules import Rulebook, RulebookInvalidError

GOOD_RULE = {
    "id": "XX-EXP-TEST",
    "title": "A test rule over engine size",
    "jurisdiction": "XX",
    "side": "export",
    "origins": ["XX"],
    "effective_from": "2024-01-01",
    "instrument": {"name": "Test Order", "number": "No. 1"},
    "sources": ["https://example.org/order"],
    "confidence": "H",
    "params": {"max_cc": 1900},
    "condition": "engine_cc > {max_cc}",
    "action": "refuse",
    "code": "EXPORT_PROHIBITED",
}


def write_root(tmp_path: Path, **changes: object) -> Path:
    rule = {**GOOD_RULE, **changes}
    rule = {k: v for k, v in rule.items() if v is not None}
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "export.yaml").write_text(yaml.safe_dump({"rules": [rule]}), encoding="utf-8")
    return tmp_path


def problems_of(root: Path) -> str:
    with pytest.raises(RulebookInvalidError) as info:
        Rulebook.load(root)
    assert isinstance(info.value, RulebookError)
    return str(info.value)


def test_the_good_rule_loads(tmp_path: Path) -> None:
    book = Rulebook.load(write_root(tmp_path))
    assert [r.id for r in book.rules] == ["XX-EXP-TEST"]


def test_misspelt_field_is_named(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, efective_to="2025-01-01"))
    assert "xx/export.yaml: rule XX-EXP-TEST: field efective_to" in message


def test_unknown_feature_suggests_the_close_one(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, condition="engin_cc > {max_cc}"))
    assert "rule XX-EXP-TEST: field condition: unknown feature 'engin_cc'" in message
    assert "did you mean 'engine_cc'" in message


def test_sql_typo_fails_at_load(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, condition="engine_cc > AND fuel = 'bev'"))
    assert "field condition: SQL does not parse" in message


def test_unknown_function_fails_at_load(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, condition="lisst_contains(documents, 'A')"))
    assert "field condition: unknown SQL function" in message
    assert "lisst_contains" in message.lower()


def test_non_boolean_condition_fails(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, condition="engine_cc + 1"))
    assert "field condition: expected a true/false expression" in message


def test_undefined_parameter_fails(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, condition="engine_cc > {min_cc}"))
    assert "parameter {min_cc} is not defined" in message


def test_missing_source_fails(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, sources=[]))
    assert "rule XX-EXP-TEST: field sources" in message


def test_source_must_be_a_url(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, sources=["see the gazette"]))
    assert "field sources.0" in message


def test_missing_effective_date_fails(tmp_path: Path) -> None:
    rule_root = write_root(tmp_path, effective_from=None)
    assert "field effective_from: Field required" in problems_of(rule_root)


def test_effective_to_before_from_fails(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, effective_to="2023-12-31"))
    assert "effective_to 2023-12-31 is before effective_from 2024-01-01" in message


def test_jurisdiction_must_match_folder(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, jurisdiction="YY"))
    assert "field jurisdiction: expected XX (the folder), got YY" in message


def test_engine_codes_cannot_be_claimed(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, code="AMBIGUOUS"))
    assert "field code" in message


def test_ambiguity_needs_a_text_naming_the_conflict(tmp_path: Path) -> None:
    message = problems_of(write_root(tmp_path, ambiguous_when="engine_cc = 1900"))
    assert "ambiguity: text naming the conflict is required" in message


def test_low_confidence_needs_an_ambiguity_text(tmp_path: Path) -> None:
    assert "ambiguity" in problems_of(write_root(tmp_path, confidence="L"))


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "export.yaml").write_text("rules:\n  - id: [unclosed\n", encoding="utf-8")
    message = problems_of(tmp_path)
    assert "xx/export.yaml: line " in message
    assert "not valid YAML" in message


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    root = write_root(tmp_path)
    (root / "xx" / "more.yaml").write_text(yaml.safe_dump({"rules": [GOOD_RULE]}), encoding="utf-8")
    assert "duplicate id" in problems_of(root)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    root = write_root(tmp_path, condition="engin_cc > 1")
    bad = {**GOOD_RULE, "id": "XX-EXP-OTHER", "sources": []}
    (root / "xx" / "more.yaml").write_text(yaml.safe_dump({"rules": [bad]}), encoding="utf-8")
    with pytest.raises(RulebookInvalidError) as info:
        Rulebook.load(root)
    assert {p.rule_id for p in info.value.problems} == {"XX-EXP-TEST", "XX-EXP-OTHER"}


def test_jurisdiction_feature_is_reserved_to_its_jurisdiction(tmp_path: Path) -> None:
    message = problems_of(
        write_root(
            tmp_path, condition="first_registration_year < ke_oldest_allowed_registration_year"
        )
    )
    assert "feature 'ke_oldest_allowed_registration_year' belongs to jurisdiction KE" in message
