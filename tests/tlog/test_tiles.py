"""Tile paths and encodings as C2SP tlog-tiles spells them."""

from __future__ import annotations

import pytest

from zeromile.errors import LogError
from zeromile.tlog.tiles import (
    bundle_path,
    decode_bundle,
    decode_hash_tile,
    encode_bundle,
    tile_path,
)


@pytest.mark.parametrize(
    ("level", "index", "width", "path"),
    [
        (0, 0, 256, "tile/0/000"),
        (0, 1234067, 256, "tile/0/x001/x234/067"),
        (1, 1234, 256, "tile/1/x001/234"),
        (2, 5, 17, "tile/2/005.p/17"),
        (0, 1000, 1, "tile/0/x001/000.p/1"),
    ],
)
def test_tile_paths(level: int, index: int, width: int, path: str) -> None:
    assert tile_path(level, index, width) == path


def test_bundle_paths() -> None:
    assert bundle_path(1234067) == "tile/entries/x001/x234/067"
    assert bundle_path(3, 5) == "tile/entries/003.p/5"


def test_bundle_with_truncated_entry_is_rejected_with_position() -> None:
    data = encode_bundle([b"abc", b"defg"])[:-1]
    with pytest.raises(LogError, match="entry 1 claims 4 bytes, only 3 left"):
        decode_bundle(data, where="tile/entries/000")


def test_oversized_entry_is_refused() -> None:
    with pytest.raises(LogError, match="exceeds"):
        encode_bundle([b"x" * 70000])


def test_hash_tile_must_be_whole_hashes() -> None:
    with pytest.raises(LogError, match="not a multiple of 32"):
        decode_hash_tile(b"x" * 33, where="tile/0/000")
