"""Schedules: every rate cites a source and a date; malformed files name file, rule and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zeromile.duties import Schedules
from zeromile.duties.docs import render_markdown
from zeromile.errors import RulebookError

DATA = Path(__file__).resolve().parents[2] / "src" / "zeromile" / "duties" / "data"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "duties.md"


def test_every_rate_cites_a_public_source_a_date_and_a_confidence(schedules: Schedules) -> None:
    lines = list(schedules.lines())
    assert len(lines) >= 20
    for _, line in lines:
        prov = line.provenance
        assert prov.sources, line.id
        assert all(str(s).startswith(("https://", "http://")) for s in prov.sources), line.id
        assert prov.effective_from is not None, line.id
        assert prov.confidence.value in {"H", "M"}, f"{line.id}: L facts are not encoded"
        assert len(prov.instrument.name) >= 3, line.id


def test_version_is_a_content_hash(tmp_path: Path, schedules: Schedules) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    assert Schedules.load(copy).version == schedules.version
    path = copy / "US" / "us_passenger_cars.yaml"
    path.write_text(path.read_text().replace("percent: 2.5}", "percent: 2.6}"))
    assert Schedules.load(copy).version != schedules.version


def test_in_force_selects_lines_by_date(schedules: Schedules) -> None:
    from datetime import date

    before = {line.id for _, line in schedules.in_force(date(2025, 9, 15))}
    after = {line.id for _, line in schedules.in_force(date(2025, 9, 16))}
    assert after - before == {"US.DEAL.JP"}


GOOD_LINE = """\
  - id: X.MFN
    layer: mfn
    description: a test line
    rate: {kind: ad_valorem, percent: 2.5}
    provenance:
      effective_from: 2025-01-01
      instrument: {name: Test Act}
      sources: [https://example.org/act]
      confidence: H
"""
HEADER = """\
schedule_id: XX-8703
importer: XX
currency: USD
valuation: FOB
description: test schedule
lines:
"""


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "rate_percent_not_a_number",
            HEADER + GOOD_LINE.replace("percent: 2.5", "percent: lots"),
            "rule X.MFN, field rate.ad_valorem.percent",
        ),
        (
            "unknown_rate_kind",
            HEADER + GOOD_LINE.replace("kind: ad_valorem", "kind: magic"),
            "rule X.MFN, field rate",
        ),
        (
            "source_missing",
            HEADER + GOOD_LINE.replace("sources: [https://example.org/act]", "sources: []"),
            "rule X.MFN, field provenance.sources",
        ),
        (
            "date_missing",
            HEADER + GOOD_LINE.replace("      effective_from: 2025-01-01\n", ""),
            "rule X.MFN, field provenance.effective_from",
        ),
        (
            "dates_reversed",
            HEADER
            + GOOD_LINE.replace(
                "effective_from: 2025-01-01",
                "effective_from: 2025-01-01\n      effective_to: 2024-01-01",
            ),
            "rule X.MFN, field provenance",
        ),
        (
            "typo_in_condition",
            HEADER + GOOD_LINE.replace("    rate:", "    when: {orgins: [CN]}\n    rate:"),
            "rule X.MFN, field when.orgins",
        ),
        (
            "band_upside_down",
            HEADER
            + GOOD_LINE.replace(
                "    rate:", "    when: {engine_cc: {over: 2000, up_to: 1000}}\n    rate:"
            ),
            "rule X.MFN, field when.engine_cc",
        ),
        (
            "supersedes_unknown_line",
            HEADER + GOOD_LINE.replace("    rate:", "    supersedes: [X.NOPE]\n    rate:"),
            "X.NOPE",
        ),
        ("not_yaml", "lines: [unclosed", "not valid YAML"),
        (
            "importer_in_wrong_folder",
            HEADER.replace("importer: XX", "importer: YY") + GOOD_LINE,
            "field importer",
        ),
    ],
)
def test_malformed_schedule_names_file_rule_and_field(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    folder = tmp_path / "XX"
    folder.mkdir()
    (folder / f"{name}.yaml").write_text(text)
    with pytest.raises(RulebookError) as caught:
        Schedules.load(tmp_path)
    assert f"XX/{name}.yaml" in str(caught.value)
    assert expected in str(caught.value)


def test_good_fixture_loads(tmp_path: Path) -> None:
    (tmp_path / "XX").mkdir()
    (tmp_path / "XX" / "good.yaml").write_text(HEADER + GOOD_LINE)
    assert [s.schedule_id for s in Schedules.load(tmp_path)] == ["XX-8703"]


def test_two_schedules_for_one_destination_are_refused(tmp_path: Path) -> None:
    (tmp_path / "XX").mkdir()
    (tmp_path / "XX" / "a.yaml").write_text(HEADER + GOOD_LINE)
    (tmp_path / "XX" / "b.yaml").write_text(HEADER.replace("XX-8703", "XX-OTHER") + GOOD_LINE)
    with pytest.raises(RulebookError, match="destination XX is served by both"):
        Schedules.load(tmp_path)


def test_committed_docs_match_the_data(schedules: Schedules) -> None:
    assert DOCS.read_text(encoding="utf-8") == render_markdown(schedules), (
        "docs/duties.md is stale: run `zeromile duties docs`"
    )


def test_docs_list_every_line_with_its_source(schedules: Schedules) -> None:
    text = render_markdown(schedules)
    for _, line in schedules.lines():
        assert f"`{line.id}`" in text
        assert str(line.provenance.sources[0]) in text


def test_python_example_in_the_docs_runs_and_gives_the_stated_total() -> None:
    import ast

    block = DOCS.read_text(encoding="utf-8").split("```python\n", 1)[1].split("```", 1)[0]
    tree = ast.parse("from datetime import date\n" + block)
    *statements, last = tree.body
    assert isinstance(last, ast.Expr)
    namespace: dict[str, object] = {}
    exec(compile(ast.Module(body=statements, type_ignores=[]), "docs", "exec"), namespace)
    value = eval(compile(ast.Expression(body=last.value), "docs", "eval"), namespace)
    stated = float(block.rstrip().splitlines()[-1].split("#")[1])
    assert value == stated
