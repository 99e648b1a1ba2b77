"""docs/rulebook.md is generated from the rule data and must be up to date."""

from __future__ import annotations

from pathlib import Path

from zeromile.rules import Rulebook
from zeromile.rules.docgen import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "rulebook.md"


def test_committed_rulebook_doc_is_current(book: Rulebook) -> None:
    assert DOC.read_text(encoding="utf-8") == render(book), (
        "docs/rulebook.md is stale: run `uv run python -m zeromile.rules.docgen`"
    )


def test_doc_lists_every_rule_with_its_source(book: Rulebook) -> None:
    text = render(book)
    for rule in book.rules:
        assert f"`{rule.id}`" in text
        assert str(rule.provenance.sources[0]) in text
