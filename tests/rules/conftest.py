"""Shared fixtures for the rulebook tests."""

from __future__ import annotations

import pytest

from zeromile.rules import Rulebook


@pytest.fixture(scope="session")
def book() -> Rulebook:
    return Rulebook.load()
