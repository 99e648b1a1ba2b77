"""RFC 6962 / RFC 9162 Merkle tree hashing and proofs, pure and I/O free.

Proof *generation* asks a ``range_hash(start, end)`` callback for MTH(D[start:end]),
so the same code serves an in-memory list of leaf hashes and a tiled log on disk.
Proof *verification* follows the bit-walking form used by transparency-dev/merkle
(``proof/verify.go``), which checks the proof length before hashing so that a
truncated or padded proof fails with a message that says what was expected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from zeromile.errors import VerificationError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

RangeHash = Callable[[int, int], bytes]


def leaf_hash(entry: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d) (RFC 6962 §2.1)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def leaf_hashes(entries: Sequence[bytes]) -> list[bytes]:
    """Leaf hashes of a batch (one tight loop: this is the append hot path)."""
    sha = hashlib.sha256
    return [sha(b"\x00" + e).digest() for e in entries]


def node_hash(left: bytes, right: bytes) -> bytes:
    """Interior node: SHA-256(0x01 || left || right) (RFC 6962 §2.1)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def reduce_level(hashes: Sequence[bytes]) -> list[bytes]:
    """Hash adjacent pairs; a trailing odd hash is dropped (it is not a complete node)."""
    sha = hashlib.sha256
    pairs = iter(hashes[: len(hashes) // 2 * 2])
    return [sha(b"\x01" + left + right).digest() for left, right in zip(pairs, pairs, strict=True)]


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH of a list of leaf hashes (reference implementation, O(n))."""
    if not leaf_hashes:
        return EMPTY_ROOT
    # Fold complete subtrees from the right edge, like a compact range.
    stack: list[tuple[int, bytes]] = []
    for h in leaf_hashes:
        height, node = 0, h
        while stack and stack[-1][0] == height:
            node = node_hash(stack.pop()[1], node)
            height += 1
        stack.append((height, node))
    node = stack.pop()[1]
    while stack:
        node = node_hash(stack.pop()[1], node)
    return node


def list_range_hash(leaf_hashes: Sequence[bytes]) -> RangeHash:
    """A ``range_hash`` over an in-memory list (for tests and small trees)."""

    def range_hash(start: int, end: int) -> bytes:
        return root_of(leaf_hashes[start:end])

    return range_hash


def inclusion_proof(index: int, size: int, range_hash: RangeHash) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 §2.1.1, leaf-side first."""
    if not 0 <= index < size:
        raise VerificationError(f"cannot prove index {index} in a tree of size {size}")
    path: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = split_point(end - start)
        if m < k:
            path.append(range_hash(start + k, end))
            end = start + k
        else:
            path.append(range_hash(start, start + k))
            start, m = start + k, m - k
    path.reverse()
    return path


def consistency_proof(old_size: int, new_size: int, range_hash: RangeHash) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) of RFC 6962 §2.1.2."""
    if not 0 <= old_size <= new_size:
        raise VerificationError(f"cannot prove size {old_size} is a prefix of size {new_size}")
    if old_size in (0, new_size):
        return []
    out: list[bytes] = []
    start, end, m, complete = 0, new_size, old_size, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            out.append(range_hash(start + k, end))
            end = start + k
        else:
            out.append(range_hash(start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        out.append(range_hash(start, end))
    out.reverse()
    return out


def _decompose(index: int, size: int) -> tuple[int, int]:
    inner = (index ^ (size - 1)).bit_length()
    border = bin(index >> inner).count("1")
    return inner, border


def expected_inclusion_length(index: int, size: int) -> int:
    inner, border = _decompose(index, size)
    return inner + border


def _check_hashes(kind: str, proof: Sequence[bytes]) -> None:
    for i, h in enumerate(proof):
        if len(h) != HASH_SIZE:
            raise VerificationError(f"{kind} hash {i} has {len(h)} bytes, expected {HASH_SIZE}")


def _chain_inner(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        seed = node_hash(seed, h) if (index >> i) & 1 == 0 else node_hash(h, seed)
    return seed


def _chain_inner_right(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        if (index >> i) & 1 == 1:
            seed = node_hash(h, seed)
    return seed


def _chain_border_right(seed: bytes, proof: Sequence[bytes]) -> bytes:
    for h in proof:
        seed = node_hash(h, seed)
    return seed


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` leads to from leaf hash ``leaf`` at ``index``."""
    if not 0 <= index < size:
        raise VerificationError(f"index {index} is outside a tree of size {size}")
    if len(leaf) != HASH_SIZE:
        raise VerificationError(f"leaf hash has {len(leaf)} bytes, expected {HASH_SIZE}")
    inner, border = _decompose(index, size)
    if len(proof) != inner + border:
        raise VerificationError(
            f"inclusion proof for index {index} in size {size} has {len(proof)} hashes, "
            f"expected {inner + border}"
        )
    _check_hashes("inclusion proof", proof)
    return _chain_border_right(_chain_inner(leaf, proof[:inner], index), proof[inner:])


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise :class:`VerificationError` unless ``proof`` puts ``leaf`` at ``index``."""
    got = root_from_inclusion(index, size, leaf, proof)
    if got != root:
        raise VerificationError(
            f"inclusion proof for index {index} in size {size} leads to root {got.hex()}, "
            f"expected {root.hex()}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise :class:`VerificationError` unless tree ``new_size`` extends tree ``old_size``."""
    if new_size < old_size:
        raise VerificationError(f"tree size went back from {old_size} to {new_size}")
    if old_size == new_size:
        if proof:
            raise VerificationError(
                f"consistency proof between equal sizes has {len(proof)} hashes"
            )
        if old_root != new_root:
            raise VerificationError(
                f"fork: two trees of size {old_size} with different roots "
                f"{old_root.hex()} and {new_root.hex()}"
            )
        return
    if old_size == 0:
        if proof:
            raise VerificationError("consistency proof from the empty tree must be empty")
        return
    if not proof:
        raise VerificationError(f"consistency proof from {old_size} to {new_size} is empty")
    _check_hashes("consistency proof", proof)
    inner, border = _decompose(old_size - 1, new_size)
    shift = (old_size & -old_size).bit_length() - 1
    inner -= shift
    seed, start = proof[0], 1
    if old_size == 1 << shift:
        seed, start = old_root, 0
    if len(proof) != start + inner + border:
        raise VerificationError(
            f"consistency proof from {old_size} to {new_size} has {len(proof)} hashes, "
            f"expected {start + inner + border}"
        )
    rest = proof[start:]
    mask = (old_size - 1) >> shift
    old_got = _chain_border_right(_chain_inner_right(seed, rest[:inner], mask), rest[inner:])
    if old_got != old_root:
        raise VerificationError(
            f"consistency proof leads to old root {old_got.hex()}, expected {old_root.hex()}"
        )
    new_got = _chain_border_right(_chain_inner(seed, rest[:inner], mask), rest[inner:])
    if new_got != new_root:
        raise VerificationError(
            f"consistency proof leads to new root {new_got.hex()}, expected {new_root.hex()}"
        )
