"""Full audit of a log directory: re-read every bundle and tile, rebuild, compare.

An auditor who trusts nothing but the verifier key recomputes each leaf hash from the
entry bundles, each tile from the level below, the root from the tiles, and checks the
signed checkpoint. Every stored tile must equal the recomputed one byte for byte, so a
flipped bit anywhere is named by path.
"""

from __future__ import annotations

from dataclasses import dataclass

from zeromile.errors import VerificationError
from zeromile.tlog.checkpoint import Checkpoint, open_checkpoint
from zeromile.tlog.merkle import leaf_hash
from zeromile.tlog.note import Verifier
from zeromile.tlog.reader import LogReader
from zeromile.tlog.tiles import TILE_WIDTH, level_width, tile_path, tile_root


@dataclass(frozen=True)
class AuditReport:
    checkpoint: Checkpoint
    entries: int
    tiles: int


def _stored_tile(reader: LogReader, level: int, index: int, width: int) -> bytes:
    where = tile_path(level, index, width)
    data = reader.fetch(where)
    if data is None and width < TILE_WIDTH:
        full = reader.fetch(tile_path(level, index))
        data = None if full is None else full[: 32 * width]
    if data is None:
        raise VerificationError(f"audit: {where} is missing")
    return data


def audit(reader: LogReader, verifier: Verifier, *, origin: str | None = None) -> AuditReport:
    """Rebuild the whole tree from the entry bundles and compare it with what is stored."""
    checkpoint = open_checkpoint(reader.checkpoint_text(), verifier, origin=origin)
    size = checkpoint.size
    level_hashes: list[bytes] = []
    tiles = 0
    row: list[bytes] = []
    for _, entry in reader.entries(size):
        row.append(leaf_hash(entry))
        if len(row) == TILE_WIDTH:
            _compare(reader, 0, len(level_hashes), row)
            level_hashes.append(tile_root(row))
            tiles += 1
            row = []
    if row:
        _compare(reader, 0, size // TILE_WIDTH, row)
        tiles += 1
    # Higher levels: the hashes of complete tiles one level down.
    level = 1
    current = level_hashes
    while level_width(size, level) > 0:
        if len(current) != level_width(size, level):
            raise VerificationError(f"audit: level {level} has {len(current)} nodes")
        nxt: list[bytes] = []
        for start in range(0, len(current), TILE_WIDTH):
            chunk = current[start : start + TILE_WIDTH]
            _compare(reader, level, start // TILE_WIDTH, chunk)
            tiles += 1
            if len(chunk) == TILE_WIDTH:
                nxt.append(tile_root(chunk))
        current = nxt
        level += 1
    root = reader.tree(size).root()
    if root != checkpoint.root:
        raise VerificationError(
            f"audit: tiles give root {root.hex()}, the checkpoint says {checkpoint.root.hex()}"
        )
    return AuditReport(checkpoint, size, tiles)


def _compare(reader: LogReader, level: int, index: int, hashes: list[bytes]) -> None:
    stored = _stored_tile(reader, level, index, len(hashes))
    expected = b"".join(hashes)
    if stored != expected:
        where = tile_path(level, index, len(hashes))
        for i in range(len(hashes)):
            if stored[32 * i : 32 * i + 32] != hashes[i]:
                raise VerificationError(
                    f"audit: {where} hash {i} differs from the one recomputed from the entries"
                )
        raise VerificationError(f"audit: {where} has {len(stored)} bytes, expected {len(expected)}")
