"""C2SP tlog-tiles: tile paths, tile and entry-bundle encodings, tree hashes from tiles.

A tile at level L holds up to 256 hashes of complete subtrees of 256**L leaves; the
entry bundle ``tile/entries/N`` holds entries N*256 .. N*256+255, each prefixed with a
big-endian uint16 length. The last tile of a level may be partial and is then served
at ``<path>.p/<width>``. See https://c2sp.org/tlog-tiles.

:class:`TiledTree` answers ``range_hash`` queries for :mod:`zeromile.tlog.merkle` by
reading only the tiles it needs through a ``fetch(path) -> bytes | None`` callback, and
caches each tile with its inner subtree hashes so a proof costs a handful of lookups.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Callable, Sequence

from zeromile.errors import LogError
from zeromile.tlog.merkle import EMPTY_ROOT, HASH_SIZE, node_hash, reduce_level, split_point

TILE_WIDTH = 256
TILE_HEIGHT = 8
MAX_ENTRY_SIZE = 0xFFFF

_U16 = struct.Struct(">H")

Fetch = Callable[[str], bytes | None]


def tile_path(level: int | str, index: int, width: int = TILE_WIDTH) -> str:
    """``tile/<L>/x001/x234/067[.p/<W>]``: index split in zero-padded groups of three."""
    groups = [f"{index % 1000:03d}"]
    index //= 1000
    while index > 0:
        groups.insert(0, f"x{index % 1000:03d}")
        index //= 1000
    path = "/".join(["tile", str(level), *groups])
    if width < TILE_WIDTH:
        path += f".p/{width}"
    return path


def bundle_path(index: int, width: int = TILE_WIDTH) -> str:
    """``tile/entries/<N>[.p/<W>]``."""
    return tile_path("entries", index, width)


def encode_bundle(entries: Sequence[bytes]) -> bytes:
    """Each entry prefixed by its big-endian uint16 length."""
    try:
        prefixes = [_U16.pack(len(e)) for e in entries]
    except struct.error:
        size = max(len(e) for e in entries)
        raise LogError(f"entry of {size} bytes exceeds the {MAX_ENTRY_SIZE}-byte limit") from None
    parts: list[bytes] = [b""] * (2 * len(entries))
    parts[0::2] = prefixes
    parts[1::2] = entries
    return b"".join(parts)


def decode_bundle(data: bytes, *, where: str = "entry bundle") -> list[bytes]:
    entries: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise LogError(f"{where}: truncated length prefix at byte {pos}")
        n = int.from_bytes(data[pos : pos + 2], "big")
        if pos + 2 + n > len(data):
            raise LogError(
                f"{where}: entry {len(entries)} claims {n} bytes, only {len(data) - pos - 2} left"
            )
        entries.append(data[pos + 2 : pos + 2 + n])
        pos += 2 + n
    return entries


def decode_hash_tile(data: bytes, *, where: str = "tile") -> list[bytes]:
    if len(data) % HASH_SIZE:
        raise LogError(f"{where}: {len(data)} bytes is not a multiple of {HASH_SIZE}")
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def tile_root(hashes: list[bytes]) -> bytes:
    """Root of a full tile (256 hashes): the hash one tile level up."""
    level = hashes
    while len(level) > 1:
        level = reduce_level(level)
    return level[0]


def level_width(tree_size: int, level: int) -> int:
    """How many complete level-``level`` nodes a tree of ``tree_size`` leaves has."""
    return tree_size >> (TILE_HEIGHT * level)


class TiledTree:
    """Subtree hashes of a tree of ``size`` leaves, read from tiles on demand."""

    def __init__(
        self, fetch: Fetch, size: int, *, latest_size: int | None = None, cache_tiles: int = 4096
    ) -> None:
        self._fetch = fetch
        self.size = size
        self._latest = size if latest_size is None else max(size, latest_size)
        self._cache: OrderedDict[tuple[int, int], list[list[bytes]]] = OrderedDict()
        self._cache_tiles = cache_tiles
        self._ragged: dict[tuple[int, int], bytes] = {}

    def _tile_levels(self, level: int, index: int) -> list[list[bytes]]:
        key = (level, index)
        levels = self._cache.get(key)
        if levels is not None:
            self._cache.move_to_end(key)
            return levels
        width = min(TILE_WIDTH, level_width(self.size, level) - index * TILE_WIDTH)
        if width <= 0:
            raise LogError(f"tile {level}/{index} lies beyond tree size {self.size}")
        data = self._fetch(tile_path(level, index, width))
        if data is None and width < TILE_WIDTH:
            data = self._wider(level, index, width)
        if data is None and level > 0:
            # A width no checkpoint ever had (a size between two batches): each node is
            # the root of a full tile one level down.
            return self._remember(key, self._derived(level, index, width))
        if data is None:
            raise LogError(f"missing {tile_path(level, index, width)} for tree size {self.size}")
        hashes = decode_hash_tile(data, where=tile_path(level, index, width))
        if len(hashes) < width:
            raise LogError(
                f"{tile_path(level, index, width)} has {len(hashes)} hashes, expected {width}"
            )
        return self._remember(key, hashes[:width])

    def _wider(self, level: int, index: int, width: int) -> bytes | None:
        """The full tile, else the partial tile of the latest size, cut to ``width``."""
        candidates = [tile_path(level, index)]
        latest_width = min(TILE_WIDTH, level_width(self._latest, level) - index * TILE_WIDTH)
        if width < latest_width < TILE_WIDTH:
            candidates.append(tile_path(level, index, latest_width))
        for path in candidates:
            data = self._fetch(path)
            if data is not None:
                return data[: width * HASH_SIZE]
        return None

    def _derived(self, level: int, index: int, width: int) -> list[bytes]:
        first = index * TILE_WIDTH
        return [self._tile_levels(level - 1, first + j)[-1][0] for j in range(width)]

    def _remember(self, key: tuple[int, int], hashes: list[bytes]) -> list[list[bytes]]:
        """Cache a tile with all its inner subtree hashes (at most 255 more hashes)."""
        levels = [hashes]
        while len(levels[-1]) > 1:
            levels.append(reduce_level(levels[-1]))
        self._cache[key] = levels
        if len(self._cache) > self._cache_tiles:
            self._cache.popitem(last=False)
        return levels

    def node(self, height: int, index: int) -> bytes:
        """Hash of the complete subtree of 2**height leaves starting at leaf index*2**height."""
        level, rest = divmod(height, TILE_HEIGHT)
        first = index << rest
        tile_index, offset = divmod(first, TILE_WIDTH)
        levels = self._tile_levels(level, tile_index)
        try:
            return levels[rest][offset >> rest]
        except IndexError:
            raise LogError(
                f"subtree of height {height} at {index} is not complete in tree size {self.size}"
            ) from None

    def leaf_hash(self, index: int) -> bytes:
        return self.node(0, index)

    def range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for the ranges that RFC 6962 proofs ask for."""
        n = end - start
        if n <= 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and start % n == 0:
            return self.node(n.bit_length() - 1, start // n)
        key = (start, end)
        cached = self._ragged.get(key)
        if cached is None:
            k = split_point(n)
            cached = node_hash(self.range_hash(start, start + k), self.range_hash(start + k, end))
            if len(self._ragged) > 65536:
                self._ragged.clear()
            self._ragged[key] = cached
        return cached

    def root(self) -> bytes:
        return self.range_hash(0, self.size)
