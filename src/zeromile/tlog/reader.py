"""Read a tiled log directory: checkpoint, entries and proofs at a given tree size.

Reading needs no key and no private state: it is what an auditor or a static-site
mirror does. Only the tiles and bundles a query touches are read (and cached).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

from zeromile.errors import LogError
from zeromile.tlog.checkpoint import Checkpoint, open_checkpoint, parse_unverified
from zeromile.tlog.merkle import consistency_proof, inclusion_proof
from zeromile.tlog.note import Verifier
from zeromile.tlog.storage import CHECKPOINT, read_file
from zeromile.tlog.tiles import TILE_WIDTH, TiledTree, bundle_path, decode_bundle


class LogReader:
    """Read-only view of a log directory (the log's URL prefix)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._trees: dict[int, TiledTree] = {}
        self._bundles: OrderedDict[tuple[int, int], list[bytes]] = OrderedDict()
        self._latest_size: int | None = None

    def fetch(self, rel: str) -> bytes | None:
        return read_file(self.directory, rel)

    def checkpoint_text(self) -> str:
        data = self.fetch(CHECKPOINT)
        if data is None:
            raise LogError(f"{self.directory} has no checkpoint (is it a log directory?)")
        try:
            return data.decode()
        except UnicodeDecodeError as exc:
            raise LogError(f"{self.directory}/checkpoint is not UTF-8 text") from exc

    def checkpoint(self, verifier: Verifier | None = None) -> Checkpoint:
        """The current checkpoint, verified when a key is given."""
        text = self.checkpoint_text()
        if verifier is None:
            return parse_unverified(text)
        return open_checkpoint(text, verifier)

    def tree(self, size: int) -> TiledTree:
        """Subtree hashes at ``size``; the current size tells it which wider tiles exist."""
        tree = self._trees.get(size)
        if tree is None:
            if self._latest_size is None:
                self._latest_size = parse_unverified(self.checkpoint_text()).size
            tree = TiledTree(self.fetch, size, latest_size=self._latest_size)
            self._trees[size] = tree
        return tree

    def _bundle(self, index: int, size: int) -> list[bytes]:
        width = min(TILE_WIDTH, size - index * TILE_WIDTH)
        if width <= 0:
            raise LogError(f"entry bundle {index} lies beyond tree size {size}")
        key = (index, width)
        cached = self._bundles.get(key)
        if cached is not None:
            return cached
        where = bundle_path(index, width)
        data = self.fetch(where)
        if data is None and width < TILE_WIDTH:
            data = self.fetch(bundle_path(index))
        if data is None:
            raise LogError(f"missing {where} for tree size {size}")
        entries = decode_bundle(data, where=where)[:width]
        if len(entries) != width:
            raise LogError(f"{where} holds {len(entries)} entries, expected {width}")
        self._bundles[key] = entries
        if len(self._bundles) > 64:
            self._bundles.popitem(last=False)
        return entries

    def entry(self, index: int, size: int) -> bytes:
        if not 0 <= index < size:
            raise LogError(f"index {index} is outside the tree of size {size}")
        return self._bundle(index // TILE_WIDTH, size)[index % TILE_WIDTH]

    def entries(self, size: int) -> Iterator[tuple[int, bytes]]:
        """Every entry of the tree of ``size``, in order, with its index."""
        for bundle in range((size + TILE_WIDTH - 1) // TILE_WIDTH):
            base = bundle * TILE_WIDTH
            width = min(TILE_WIDTH, size - base)
            where = bundle_path(bundle, width)
            data = self.fetch(where)
            if data is None and width < TILE_WIDTH:
                data = self.fetch(bundle_path(bundle))
            if data is None:
                raise LogError(f"missing {where} for tree size {size}")
            items = decode_bundle(data, where=where)[:width]
            if len(items) != width:
                raise LogError(f"{where} holds {len(items)} entries, expected {width}")
            for offset, item in enumerate(items):
                yield base + offset, item

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        return inclusion_proof(index, size, self.tree(size).range_hash)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        return consistency_proof(old_size, new_size, self.tree(new_size).range_hash)
