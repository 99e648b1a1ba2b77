"""The generated parts of docs/service.md are current."""

from __future__ import annotations

from pathlib import Path

from zeromile.service.docgen import render, roles_matrix, settings_table
from zeromile.service.settings import Settings

DOC = Path(__file__).parents[2] / "docs" / "service.md"


def test_service_doc_is_regenerated() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "run: uv run python -m zeromile.service.docgen docs/service.md"


def test_every_setting_is_in_the_table() -> None:
    table = settings_table()
    for name in Settings.model_fields:
        assert f"`ZEROMILE_{name.upper()}`" in table


def test_matrix_marks_admin_only_user_creation() -> None:
    row = next(line for line in roles_matrix().splitlines() if "`users.create`" in line)
    assert row.split("|")[2:8] == [" yes ", " - ", " - ", " - ", " - ", " - "]
