"""Shared fixtures for the transparency-log tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tlog.helpers import ORIGIN
from zeromile.tlog.note import Signer
from zeromile.tlog.storage import LogWriter


@pytest.fixture
def signer() -> Signer:
    return Signer(ORIGIN, bytes(range(32)))


@pytest.fixture
def writer(tmp_path: Path, signer: Signer) -> Iterator[LogWriter]:
    w = LogWriter.create(tmp_path / "log", signer, lock_path=tmp_path / "private" / "lock")
    yield w
    w.close()
