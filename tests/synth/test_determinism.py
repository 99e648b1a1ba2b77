"""Same seed, same bytes; another seed, another world."""

from __future__ import annotations

import hashlib
from pathlib import Path

from zeromile.synth import WorldConfig, generate_world, write_world


def _digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def _write(seed: int, out: Path, file_format: str = "parquet") -> dict[str, str]:
    config = WorldConfig(scale=0.002, seed=seed, malformed_rate=0.01, file_format=file_format)  # type: ignore[arg-type]
    write_world(generate_world(config), out, config.file_format)
    return _digests(out)


def test_same_seed_writes_identical_files(tmp_path: Path) -> None:
    first = _write(42, tmp_path / "a")
    second = _write(42, tmp_path / "b")
    assert len(first) == 10  # eight tables, truth, world.json
    assert first == second


def test_same_seed_writes_identical_csv(tmp_path: Path) -> None:
    assert _write(7, tmp_path / "a", "csv") == _write(7, tmp_path / "b", "csv")


def test_different_seed_changes_every_table(tmp_path: Path) -> None:
    first = _write(1, tmp_path / "a")
    second = _write(2, tmp_path / "b")
    changed = {name for name in first if first[name] != second[name]}
    assert changed == set(first) - {"dossier/inspectors.parquet"}
