"""Docs generated from code must be current: regenerate, compare with the committed file."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeromile.dossier import docgen as contract_docs
from zeromile.screening import docgen as findings_docs

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize(
    ("name", "render", "command"),
    [
        ("data-contract.md", contract_docs.render, "python -m zeromile.dossier.docgen"),
        ("findings.md", findings_docs.render, "python -m zeromile.screening.docgen"),
    ],
)
def test_generated_doc_is_current(name, render, command) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == render(), f"run `uv run {command}`"


def test_every_finding_has_a_motivation() -> None:
    from zeromile.screening.findings import FINDINGS

    assert set(findings_docs.MOTIVATION) == set(FINDINGS)
