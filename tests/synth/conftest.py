"""Shared worlds: generated once per session, small enough to keep the suite fast."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeromile.synth import World, WorldConfig, generate_world, write_world


@pytest.fixture(scope="session")
def world() -> World:
    """About 10,000 declarations, every finding present."""
    return generate_world(WorldConfig(scale=0.01, seed=5))


@pytest.fixture(scope="session")
def parquet_dir(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet_world")
    write_world(world, out, "parquet")
    return out


@pytest.fixture(scope="session")
def csv_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, Path]:
    """A CSV world with 2% malformed declarations."""
    config = WorldConfig(scale=0.003, seed=9, malformed_rate=0.02, file_format="csv")
    generated = generate_world(config)
    out = tmp_path_factory.mktemp("csv_world")
    write_world(generated, out, "csv")
    return generated, out
