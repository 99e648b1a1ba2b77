"""Decisions come out in declaration order, whatever the input's order and the threads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from zeromile.engines.duckdb_engine import DuckDBEngine
from zeromile.screening import Screening
from zeromile.synth import WorldConfig, generate_world, write_world


@pytest.fixture(scope="module")
def shuffled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dossier whose declarations file lists them in random order."""
    out = tmp_path_factory.mktemp("shuffled")
    write_world(generate_world(WorldConfig(scale=0.03, seed=5)), out, "parquet")
    path = out / "dossier" / "declarations.parquet"
    table = pq.read_table(path)
    order = np.random.default_rng(5).permutation(table.num_rows)
    pq.write_table(table.take(order), path, row_group_size=2_048)
    return out / "dossier"


def test_every_output_is_in_declaration_order(shuffled: Path, tmp_path: Path) -> None:
    ids = pq.read_table(shuffled / "declarations.parquet").column("declaration_id").to_pylist()
    assert ids != sorted(ids)
    run = Screening.open(shuffled, engine=DuckDBEngine(threads=2))
    try:
        run.screen()
        run.write_decisions(tmp_path / "d.parquet")
        run.write_decisions(tmp_path / "d.csv")
        in_memory = run.decisions().column("declaration_id").to_pylist()
        streamed = [r["declaration_id"] for r in run.iter_decisions(batch_size=1_000)]
    finally:
        run.close()
    expected = sorted(ids)
    assert in_memory == expected
    assert streamed == expected
    assert pq.read_table(tmp_path / "d.parquet").column("declaration_id").to_pylist() == expected
    csv_ids = pacsv.read_csv(tmp_path / "d.csv").column("declaration_id").to_pylist()
    assert csv_ids == expected
