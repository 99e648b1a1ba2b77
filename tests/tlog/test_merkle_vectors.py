"""RFC 6962 reference vectors shared by transparency-dev/merkle and certificate-transparency-go.

Leaves, roots and proofs are copied from
https://github.com/transparency-dev/merkle/blob/main/testonly/constants.go and
https://github.com/transparency-dev/merkle/blob/main/proof/verify_test.go (the same
vectors as certificate-transparency-go's ``merkletree`` tests). Leaf numbers in the
proof vectors there are 1-based; they are 0-based indices here.
"""

from __future__ import annotations

import pytest

from zeromile.errors import VerificationError
from zeromile.tlog import merkle

LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243",
          "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]  # fmt: skip
ROOTS = [bytes.fromhex(h) for h in [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]]  # fmt: skip
H = {
    "96a2": "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f08": "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47": "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    "bc1a": "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "ca85": "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37e": "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "fac5": "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "6e34": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "0ebc": "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "b086": "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
}
INCLUSION = [  # (0-based index, size, proof)
    (0, 1, []),
    (0, 8, ["96a2", "5f08", "6b47"]),
    (5, 8, ["bc1a", "ca85", "d37e"]),
    (2, 3, ["fac5"]),
    (1, 5, ["6e34", "5f08", "bc1a"]),
]
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a2", "5f08", "6b47"]),
    (6, 8, ["0ebc", "ca85", "d37e"]),
    (2, 5, ["5f08", "bc1a"]),
    (6, 7, ["0ebc", "b086", "d37e"]),
]
HASHES = [merkle.leaf_hash(x) for x in LEAVES]


def _proof(names: list[str]) -> list[bytes]:
    return [bytes.fromhex(H[n]) for n in names]


@pytest.mark.parametrize("size", range(9))
def test_root_matches_reference(size: int) -> None:
    assert merkle.root_of(HASHES[:size]) == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "names"), INCLUSION)
def test_inclusion_proof_matches_reference(index: int, size: int, names: list[str]) -> None:
    proof = merkle.inclusion_proof(index, size, merkle.list_range_hash(HASHES))
    assert proof == _proof(names)
    merkle.verify_inclusion(index, size, HASHES[index], proof, ROOTS[size])


@pytest.mark.parametrize(("old", "new", "names"), CONSISTENCY)
def test_consistency_proof_matches_reference(old: int, new: int, names: list[str]) -> None:
    proof = merkle.consistency_proof(old, new, merkle.list_range_hash(HASHES))
    assert proof == _proof(names)
    merkle.verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


@pytest.mark.parametrize(("index", "size", "names"), INCLUSION[1:])
def test_corrupted_inclusion_proofs_are_rejected(index: int, size: int, names: list[str]) -> None:
    proof, root, leaf = _proof(names), ROOTS[size], HASHES[index]
    probes = [
        (index + 1, size, leaf, proof, root),
        (index ^ 2, size, leaf, proof, root),
        (index, size * 2, leaf, proof, root),
        (index, size, merkle.leaf_hash(b"wrong"), proof, root),
        (index, size, leaf, proof, ROOTS[0]),
        (index, size, leaf, [*proof, root], root),
        (index, size, leaf, [root, *proof], root),
        (index, size, leaf, proof[:-1], root),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        probes.append((index, size, leaf, flipped, root))
    for probe in probes:
        with pytest.raises(VerificationError):
            merkle.verify_inclusion(*probe)


def test_truncated_proof_message_names_expected_length() -> None:
    proof = _proof(["96a2", "5f08", "6b47"])
    with pytest.raises(VerificationError, match="has 2 hashes, expected 3"):
        merkle.verify_inclusion(0, 8, HASHES[0], proof[:2], ROOTS[8])


@pytest.mark.parametrize(("old", "new", "names"), CONSISTENCY[1:])
def test_corrupted_consistency_proofs_are_rejected(old: int, new: int, names: list[str]) -> None:
    proof = _proof(names)
    probes = [
        (old + 1, new, ROOTS[old], ROOTS[new], proof),
        (old, new * 2, ROOTS[old], ROOTS[new], proof),
        (old, new, ROOTS[new], ROOTS[old], proof),
        (old, new, ROOTS[old], ROOTS[new], []),
        (old, new, ROOTS[old], ROOTS[new], [*proof, ROOTS[old]]),
        (old, new, ROOTS[old], ROOTS[new], [ROOTS[new], *proof]),
        (old, new, ROOTS[old], ROOTS[new], proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((old, new, ROOTS[old], ROOTS[new], flipped))
    for probe in probes:
        with pytest.raises(VerificationError):
            merkle.verify_consistency(*probe)


def test_same_size_different_roots_is_a_fork() -> None:
    with pytest.raises(VerificationError, match="fork"):
        merkle.verify_consistency(8, 8, ROOTS[8], ROOTS[7], [])


def test_tree_cannot_shrink() -> None:
    with pytest.raises(VerificationError, match="went back from 8 to 7"):
        merkle.verify_consistency(8, 7, ROOTS[8], ROOTS[7], [])
