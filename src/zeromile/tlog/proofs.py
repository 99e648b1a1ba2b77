"""Proof bundles and consistency checks, the things a third party verifies offline.

A proof bundle is JSON: ``index``, ``tree_size``, ``entry`` (base64 of the logged
bytes), ``inclusion_proof`` (base64 hashes, leaf side first) and ``checkpoint`` (the
signed note). Verification needs nothing but the bundle and the log's verifier key.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zeromile.errors import VerificationError
from zeromile.tlog.checkpoint import Checkpoint, open_checkpoint, parse_unverified
from zeromile.tlog.merkle import leaf_hash, verify_consistency, verify_inclusion
from zeromile.tlog.note import Verifier
from zeromile.tlog.reader import LogReader

BUNDLE_KEYS = ("index", "tree_size", "entry", "inclusion_proof", "checkpoint")


def _b64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise VerificationError(f"{what} must be a base64 string, got {type(text).__name__}")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationError(f"{what} is not valid base64") from exc


def _enc(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass(frozen=True)
class ProofBundle:
    index: int
    tree_size: int
    entry: bytes
    inclusion_proof: list[bytes]
    checkpoint: str

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "tree_size": self.tree_size,
            "entry": _enc(self.entry),
            "inclusion_proof": [_enc(h) for h in self.inclusion_proof],
            "checkpoint": self.checkpoint,
        }

    @classmethod
    def from_json(cls, value: Any) -> ProofBundle:
        if not isinstance(value, dict):
            raise VerificationError("proof bundle must be a JSON object")
        missing = [k for k in BUNDLE_KEYS if k not in value]
        if missing:
            raise VerificationError(f"proof bundle lacks {missing}")
        for key in ("index", "tree_size"):
            if not isinstance(value[key], int) or isinstance(value[key], bool) or value[key] < 0:
                raise VerificationError(
                    f"proof bundle field {key!r} must be a non-negative integer"
                )
        proof = value["inclusion_proof"]
        if not isinstance(proof, list):
            raise VerificationError("proof bundle field 'inclusion_proof' must be a list")
        if not isinstance(value["checkpoint"], str):
            raise VerificationError("proof bundle field 'checkpoint' must be the signed note text")
        return cls(
            index=value["index"],
            tree_size=value["tree_size"],
            entry=_b64(value["entry"], "entry"),
            inclusion_proof=[_b64(h, f"inclusion_proof[{i}]") for i, h in enumerate(proof)],
            checkpoint=value["checkpoint"],
        )

    @classmethod
    def load(cls, path: Path) -> ProofBundle:
        try:
            return cls.from_json(json.loads(path.read_text()))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise VerificationError(f"{path}: not a readable JSON proof bundle: {exc}") from exc


def prove(reader: LogReader, index: int) -> ProofBundle:
    """Bundle entry ``index`` with its inclusion proof at the current checkpoint."""
    note = reader.checkpoint_text()
    size = parse_unverified(note).size
    return ProofBundle(
        index=index,
        tree_size=size,
        entry=reader.entry(index, size),
        inclusion_proof=reader.inclusion_proof(index, size),
        checkpoint=note,
    )


def verify_bundle(
    bundle: ProofBundle, verifier: Verifier, *, origin: str | None = None
) -> Checkpoint:
    """Check signature, origin, tree size and inclusion; return the verified checkpoint."""
    checkpoint = open_checkpoint(bundle.checkpoint, verifier, origin=origin)
    if bundle.tree_size != checkpoint.size:
        raise VerificationError(
            f"bundle claims tree size {bundle.tree_size}, "
            f"its checkpoint is for size {checkpoint.size}"
        )
    verify_inclusion(
        bundle.index,
        checkpoint.size,
        leaf_hash(bundle.entry),
        bundle.inclusion_proof,
        checkpoint.root,
    )
    return checkpoint


@dataclass(frozen=True)
class ConsistencyResult:
    old: Checkpoint
    new: Checkpoint
    proof: list[bytes]

    def to_json(self) -> dict[str, Any]:
        return {
            "old_size": self.old.size,
            "new_size": self.new.size,
            "old_root": _enc(self.old.root),
            "new_root": _enc(self.new.root),
            "consistency_proof": [_enc(h) for h in self.proof],
        }


def check_consistency(
    reader: LogReader, old_note: str, verifier: Verifier, *, origin: str | None = None
) -> ConsistencyResult:
    """Prove and verify that the log's current tree extends the tree of ``old_note``."""
    old = open_checkpoint(old_note, verifier, origin=origin)
    new = open_checkpoint(reader.checkpoint_text(), verifier, origin=origin)
    if old.size > new.size:
        raise VerificationError(
            f"the log shrank: old checkpoint has size {old.size}, current has {new.size}"
        )
    proof = reader.consistency_proof(old.size, new.size)
    verify_consistency(old.size, new.size, old.root, new.root, proof)
    return ConsistencyResult(old, new, proof)


def check_fork(first_note: str, second_note: str, verifier: Verifier) -> None:
    """Two signed checkpoints of one size must carry one root, else the log forked."""
    a = open_checkpoint(first_note, verifier)
    b = open_checkpoint(second_note, verifier)
    if a.size == b.size and a.root != b.root:
        raise VerificationError(
            f"fork: two signed checkpoints of size {a.size} with different roots "
            f"{a.root.hex()} and {b.root.hex()}"
        )
