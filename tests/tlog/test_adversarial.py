"""Each attack fixture is rejected with a message that names what went wrong."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from tests.tlog.fixtures.make_adversarial import HERE, PROVEN, SIZE, generate
from zeromile.errors import VerificationError
from zeromile.tlog.audit import audit
from zeromile.tlog.note import Verifier
from zeromile.tlog.proofs import ProofBundle, check_consistency, check_fork, verify_bundle
from zeromile.tlog.reader import LogReader

VKEY = Verifier.parse((HERE / "log.vkey").read_text())


def test_fixtures_are_what_the_script_generates(tmp_path: Path) -> None:
    generate(tmp_path / "adversarial")
    comparison = filecmp.dircmp(HERE, tmp_path / "adversarial")

    def differences(cmp: filecmp.dircmp[str]) -> list[str]:
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out = [*cmp.left_only, *cmp.right_only, *mismatch, *errors]
        for sub in cmp.subdirs.values():
            out += differences(sub)
        return out

    assert differences(comparison) == []


def test_valid_bundle_verifies() -> None:
    checkpoint = verify_bundle(ProofBundle.load(HERE / "valid_bundle.json"), VKEY)
    assert (checkpoint.size, ProofBundle.load(HERE / "valid_bundle.json").index) == (SIZE, PROVEN)


@pytest.mark.parametrize(
    ("attack", "message"),
    [
        ("tampered_entry", r"inclusion proof for index 123 in size 300 leads to root"),
        ("truncated_proof", r"inclusion proof for index 123 in size 300 has 8 hashes, expected 9"),
        ("padded_proof", r"inclusion proof for index 123 in size 300 has 10 hashes, expected 9"),
        ("wrong_tree_size", r"bundle claims tree size 301, its checkpoint is for size 300"),
        (
            "bad_signature",
            r"signature by fixtures.zeromile.example/log\+[0-9a-f]{8} does not verify",
        ),
        (
            "key_for_another_origin",
            r"no signature by key fixtures.zeromile.example/log.*other-authority",
        ),
    ],
)
def test_attack_bundle_is_rejected(attack: str, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        verify_bundle(ProofBundle.load(HERE / f"{attack}.json"), VKEY)


def test_key_for_another_origin_cannot_vouch_for_this_log() -> None:
    other = Verifier.parse((HERE / "other_origin.vkey").read_text())
    with pytest.raises(VerificationError, match="no signature by key other-authority"):
        verify_bundle(ProofBundle.load(HERE / "valid_bundle.json"), other)
    with pytest.raises(
        VerificationError, match=r"origin 'other-authority\.example/log' does not match"
    ):
        verify_bundle(
            ProofBundle.load(HERE / "key_for_another_origin.json"), other, origin=VKEY.name
        )


def test_fork_same_size_different_root_is_detected() -> None:
    fork = HERE / "fork_same_size_different_root"
    a, b = (fork / "a.checkpoint").read_text(), (fork / "b.checkpoint").read_text()
    with pytest.raises(VerificationError, match="fork: two signed checkpoints of size 300"):
        check_fork(a, b, VKEY)
    with pytest.raises(VerificationError, match="fork: two trees of size 300 with different roots"):
        check_consistency(LogReader(HERE / "log"), b, VKEY)
    check_consistency(LogReader(HERE / "log"), a, VKEY)


def test_tile_bit_flip_is_found_by_audit() -> None:
    assert audit(LogReader(HERE / "log"), VKEY).entries == SIZE
    with pytest.raises(VerificationError, match=r"tile/0/000 hash 77 differs"):
        audit(LogReader(HERE / "tile_bit_flip"), VKEY)
