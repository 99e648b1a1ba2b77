"""Signed notes and checkpoints, including a real checkpoint published by another log."""

from __future__ import annotations

import base64

import pytest

from zeromile.errors import LogError, VerificationError
from zeromile.tlog.checkpoint import Checkpoint, open_checkpoint, parse_body
from zeromile.tlog.merkle import EMPTY_ROOT
from zeromile.tlog.note import Signer, Verifier

# A checkpoint signed by the Go checksum database and its published verifier key, as
# found in transparency-dev/formats, log/note_test.go (TestSumDBNoteParsing):
# https://github.com/transparency-dev/formats/blob/main/log/note_test.go
# The key is the one pinned in the Go toolchain (cmd/go/internal/modfetch/key.go).
SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_ORIGIN = "go.sum database tree"
SUMDB_CHECKPOINT = (
    "go.sum database tree\n"
    "6476701\n"
    "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n"
    "\n"
    "\u2014 sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu959"
    "49rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n"
)


def test_foreign_sumdb_checkpoint_verifies() -> None:
    checkpoint = open_checkpoint(SUMDB_CHECKPOINT, Verifier.parse(SUMDB_VKEY), origin=SUMDB_ORIGIN)
    assert checkpoint.size == 6476701
    assert (
        base64.b64encode(checkpoint.root).decode() == "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk="
    )


def test_foreign_checkpoint_with_wrong_origin_is_rejected() -> None:
    with pytest.raises(VerificationError, match="does not match the expected origin"):
        open_checkpoint(SUMDB_CHECKPOINT, Verifier.parse(SUMDB_VKEY), origin="another log")


def test_foreign_checkpoint_with_altered_size_fails_signature() -> None:
    altered = SUMDB_CHECKPOINT.replace("6476701", "6476702")
    with pytest.raises(VerificationError, match="does not verify"):
        open_checkpoint(altered, Verifier.parse(SUMDB_VKEY), origin=SUMDB_ORIGIN)


def test_key_text_round_trips(signer: Signer) -> None:
    vkey = signer.verifier().text()
    assert Verifier.parse(vkey) == signer.verifier()
    assert Signer.parse(signer.text()) == signer
    assert signer.text().startswith(f"PRIVATE+KEY+{signer.name}+")


def test_vkey_with_wrong_key_id_is_rejected(signer: Signer) -> None:
    name, _, blob = signer.verifier().text().split("+", 2)
    with pytest.raises(VerificationError, match="does not match the key"):
        Verifier.parse(f"{name}+00000000+{blob}")


def test_checkpoint_round_trips_through_signature(signer: Signer) -> None:
    checkpoint = Checkpoint(signer.name, 42, EMPTY_ROOT, ("extension line",))
    assert open_checkpoint(checkpoint.sign(signer), signer.verifier()) == checkpoint


def test_signature_by_unknown_key_is_rejected(signer: Signer) -> None:
    other = Signer(signer.name, bytes([7]) * 32)
    note = Checkpoint(signer.name, 1, EMPTY_ROOT).sign(other)
    with pytest.raises(VerificationError, match="no signature by key"):
        open_checkpoint(note, signer.verifier())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("o\n1\n", "3 lines|at least 3"),
        ("o\n01\nAAAA\n", "not a decimal"),
        ("o\n-1\nAAAA\n", "not a decimal"),
        ("o\n1\nAAAA\n", "expected 32"),
        ("o\n1\n" + base64.b64encode(EMPTY_ROOT).decode() + "\n\n", "empty extension"),
        ("o\n1\n" + base64.b64encode(EMPTY_ROOT).decode(), "newline"),
    ],
)
def test_malformed_checkpoint_bodies(body: str, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        parse_body(body)


def test_key_names_cannot_hold_separators() -> None:
    with pytest.raises(LogError, match="without spaces"):
        Signer.generate("bad name")
