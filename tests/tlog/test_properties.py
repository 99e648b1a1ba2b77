"""Round trips that must hold for every tree size and index."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tlog.helpers import ORIGIN, entry
from tests.tlog.strategies import batch_plans, old_and_new_size, size_and_index
from zeromile.errors import VerificationError
from zeromile.tlog import merkle
from zeromile.tlog.checkpoint import parse_unverified
from zeromile.tlog.note import Signer
from zeromile.tlog.reader import LogReader
from zeromile.tlog.storage import LogWriter
from zeromile.tlog.tiles import decode_bundle, encode_bundle

HASHES = [merkle.leaf_hash(entry(i)) for i in range(1100)]


@given(size_and_index())
def test_inclusion_proof_round_trips(case: tuple[int, int]) -> None:
    size, index = case
    leaves = HASHES[:size]
    root = merkle.root_of(leaves)
    proof = merkle.inclusion_proof(index, size, merkle.list_range_hash(leaves))
    assert len(proof) == merkle.expected_inclusion_length(index, size)
    merkle.verify_inclusion(index, size, leaves[index], proof, root)
    other = (index + 1) % size
    if leaves[other] != leaves[index]:
        try:
            merkle.verify_inclusion(other, size, leaves[index], proof, root)
        except VerificationError:
            pass
        else:
            raise AssertionError("a proof verified at the wrong index")


@given(old_and_new_size())
def test_consistency_proof_round_trips(case: tuple[int, int]) -> None:
    old, new = case
    proof = merkle.consistency_proof(old, new, merkle.list_range_hash(HASHES[:new]))
    merkle.verify_consistency(
        old, new, merkle.root_of(HASHES[:old]), merkle.root_of(HASHES[:new]), proof
    )


@given(st.lists(st.binary(max_size=300), max_size=40))
def test_bundle_encoding_round_trips(items: list[bytes]) -> None:
    assert decode_bundle(encode_bundle(items)) == items


@settings(max_examples=25, deadline=None)
@given(batch_plans, st.data())
def test_tiled_log_proves_like_the_reference(plan: list[int], data: st.DataObject) -> None:
    """However a log is batched, its tiles give the reference root and proofs."""
    signer = Signer(ORIGIN, bytes(32))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        leaves: list[bytes] = []
        with LogWriter.create(base / "log", signer, lock_path=base / "lock") as writer:
            for n in plan:
                batch = [entry(len(leaves) + i, 8) for i in range(n)]
                writer.append(batch)
                leaves.extend(merkle.leaf_hash(e) for e in batch)
        reader = LogReader(base / "log")
        checkpoint = parse_unverified(reader.checkpoint_text())
        assert checkpoint.size == len(leaves)
        assert checkpoint.root == merkle.root_of(leaves)
        index = data.draw(st.integers(0, len(leaves) - 1))
        reference = merkle.list_range_hash(leaves)
        assert reader.inclusion_proof(index, len(leaves)) == merkle.inclusion_proof(
            index, len(leaves), reference
        )
        old = data.draw(st.integers(0, len(leaves)))
        assert reader.consistency_proof(old, len(leaves)) == merkle.consistency_proof(
            old, len(leaves), reference
        )
