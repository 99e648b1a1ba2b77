from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.builders import write_dossier
from zeromile.screening import ScreeningSettings, screen_dossier

Decisions = dict[str, dict[str, Any]]


@pytest.fixture
def screen(tmp_path: Path) -> Callable[..., Decisions]:
    """Write a dossier from rows and screen it; decisions keyed by declaration id."""
    counter = iter(range(1000))

    def run(
        settings: ScreeningSettings | None = None, as_of: Any = None, **tables: Any
    ) -> Decisions:
        folder = write_dossier(tmp_path / f"d{next(counter)}", **tables)
        result = screen_dossier(folder, settings=settings, as_of=as_of, extensions=())
        return {r["declaration_id"]: r for r in result.decisions.to_pylist()}

    return run


def codes(decision: dict[str, Any]) -> set[str]:
    return set(filter(None, decision["findings"].split(";")))
