"""Writing and reading files: clear errors, nothing silently mixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeromile.errors import DossierError, GenerationError
from zeromile.synth import WorldConfig, generate_world, write_world
from zeromile.synth.io import read_table


def test_refuses_to_mix_formats_in_one_dossier(tmp_path: Path) -> None:
    world = generate_world(WorldConfig(scale=0.0005, seed=1))
    write_world(world, tmp_path, "csv")
    with pytest.raises(GenerationError, match="already holds other files"):
        write_world(world, tmp_path, "parquet")


def test_rewriting_the_same_format_replaces_the_files(tmp_path: Path) -> None:
    write_world(generate_world(WorldConfig(scale=0.0005, seed=1)), tmp_path)
    second = generate_world(WorldConfig(scale=0.0005, seed=2))
    write_world(second, tmp_path)
    assert read_table(tmp_path / "truth.parquet").equals(second.truth)


def test_unreadable_decisions_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "decisions.parquet"
    path.write_text("not parquet")
    with pytest.raises(DossierError, match=r"decisions\.parquet"):
        read_table(path)


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(GenerationError, match="malformed rate"):
        generate_world(WorldConfig(scale=0.001, malformed_rate=0.5))
    with pytest.raises(GenerationError, match="under 100 declarations"):
        generate_world(WorldConfig(scale=0.00001))


def test_parquet_tables_are_split_into_row_groups_a_reader_can_scan_in_parallel(
    tmp_path: Path,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from zeromile.synth.io import ROW_GROUP_ROWS, _write

    rows = 2 * ROW_GROUP_ROWS + 1
    path = tmp_path / "odometer.parquet"
    _write(pa.table({"km": pa.array(range(rows))}), path, "parquet")

    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == rows
    assert meta.num_row_groups == 3
    assert max(meta.row_group(i).num_rows for i in range(3)) == ROW_GROUP_ROWS
