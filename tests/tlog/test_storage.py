"""Durable appends: reopen, partial tiles, locking, refusing a corrupted directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tlog.helpers import entry
from zeromile.errors import LogError
from zeromile.tlog import merkle
from zeromile.tlog.checkpoint import open_checkpoint
from zeromile.tlog.note import Signer
from zeromile.tlog.reader import LogReader
from zeromile.tlog.storage import LogWriter


def test_appends_survive_reopen_and_continue(
    tmp_path: Path, writer: LogWriter, signer: Signer
) -> None:
    writer.append([entry(i) for i in range(300)])
    writer.close()
    with LogWriter.open(tmp_path / "log", signer, lock_path=tmp_path / "private" / "lock") as again:
        assert again.size == 300
        assert again.append([entry(i) for i in range(300, 520)]) == 300
    reader = LogReader(tmp_path / "log")
    checkpoint = open_checkpoint(reader.checkpoint_text(), signer.verifier())
    assert checkpoint.root == merkle.root_of([merkle.leaf_hash(entry(i)) for i in range(520)])
    assert [e for _, e in reader.entries(520)] == [entry(i) for i in range(520)]


def test_partial_tiles_are_written_and_replaced_by_full_ones(
    tmp_path: Path, writer: LogWriter
) -> None:
    writer.append([entry(i) for i in range(10)])
    assert (tmp_path / "log/tile/0/000.p/10").is_file()
    assert (tmp_path / "log/tile/entries/000.p/10").is_file()
    writer.append([entry(i) for i in range(10, 256)])
    assert (tmp_path / "log/tile/0/000").stat().st_size == 256 * 32
    assert not (tmp_path / "log/tile/0/000.p").exists()
    assert (tmp_path / "log/tile/1/000.p/1").stat().st_size == 32


def test_second_writer_is_locked_out(tmp_path: Path, writer: LogWriter, signer: Signer) -> None:
    with pytest.raises(LogError, match="another process"):
        LogWriter.open(tmp_path / "log", signer, lock_path=tmp_path / "private" / "lock")


def test_open_refuses_tiles_that_disagree_with_checkpoint(
    tmp_path: Path, writer: LogWriter, signer: Signer
) -> None:
    writer.append([entry(i) for i in range(20)])
    writer.close()
    tile = tmp_path / "log/tile/0/000.p/20"
    data = bytearray(tile.read_bytes())
    data[5] ^= 1
    tile.write_bytes(bytes(data))
    with pytest.raises(LogError, match="does not match"):
        LogWriter.open(tmp_path / "log", signer, lock_path=tmp_path / "private" / "lock")


def test_create_refuses_existing_log(tmp_path: Path, writer: LogWriter, signer: Signer) -> None:
    with pytest.raises(LogError, match="already holds a log"):
        LogWriter.create(tmp_path / "log", signer, lock_path=tmp_path / "other-lock")


def test_open_with_foreign_key_is_refused(tmp_path: Path, writer: LogWriter) -> None:
    writer.close()
    intruder = Signer("test.zeromile.example/log", bytes([9]) * 32)
    with pytest.raises(LogError, match="no signature by key"):
        LogWriter.open(tmp_path / "log", intruder, lock_path=tmp_path / "private" / "lock")


def test_tree_at_a_size_between_batches_is_derived_from_lower_tiles(
    tmp_path: Path, writer: LogWriter
) -> None:
    """Level-1 width 2 was never committed (batches of 400); its hashes come from level 0."""
    for start in range(0, 1200, 400):
        writer.append([entry(i) for i in range(start, start + 400)])
    assert not (tmp_path / "log/tile/1/000.p/2").exists()
    reader = LogReader(tmp_path / "log")
    leaves = [merkle.leaf_hash(entry(i)) for i in range(1200)]
    for size in (520, 700, 1100):
        assert reader.tree(size).root() == merkle.root_of(leaves[:size])
    proof = reader.consistency_proof(520, 1200)
    merkle.verify_consistency(
        520, 1200, merkle.root_of(leaves[:520]), merkle.root_of(leaves), proof
    )


def test_large_batch_after_an_odd_edge_matches_reference(tmp_path: Path, writer: LogWriter) -> None:
    writer.append([entry(i, 8) for i in range(37)])
    writer.append([entry(i, 8) for i in range(37, 45_037)])
    leaves = [merkle.leaf_hash(entry(i, 8)) for i in range(45_037)]
    reader = LogReader(tmp_path / "log")
    assert reader.checkpoint().root == merkle.root_of(leaves)
    assert reader.inclusion_proof(44_000, 45_037) == merkle.inclusion_proof(
        44_000, 45_037, merkle.list_range_hash(leaves)
    )
