"""C2SP tlog-checkpoint: the signed statement "the tree of this origin has this size and root".

Body (https://c2sp.org/tlog-checkpoint)::

    <origin>\\n<decimal size>\\n<base64 root hash>\\n[extension lines]

wrapped in a signed note. Parsing is strict: a sloppy parser is how two parties end
up believing different things about the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from zeromile.errors import VerificationError
from zeromile.tlog.merkle import HASH_SIZE
from zeromile.tlog.note import Signer, Verifier, open_note, split_note

_SIZE_RE = re.compile(r"0|[1-9][0-9]{0,19}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root).decode(),
            *self.extensions,
        ]
        return "\n".join(lines) + "\n"

    def sign(self, signer: Signer) -> str:
        return signer.sign(self.body())


def parse_body(text: str) -> Checkpoint:
    if not text.endswith("\n"):
        raise VerificationError("checkpoint body does not end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise VerificationError(f"checkpoint body has {len(lines)} lines, expected at least 3")
    origin, size_text, root_text, *ext = lines
    if not origin:
        raise VerificationError("checkpoint origin line is empty")
    if not _SIZE_RE.fullmatch(size_text) or int(size_text) >= 1 << 64:
        raise VerificationError(f"checkpoint size {size_text!r} is not a decimal uint64")
    try:
        root = base64.b64decode(root_text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationError(f"checkpoint root {root_text!r} is not base64") from exc
    if len(root) != HASH_SIZE:
        raise VerificationError(f"checkpoint root has {len(root)} bytes, expected {HASH_SIZE}")
    if any(not line for line in ext):
        raise VerificationError("checkpoint has an empty extension line")
    return Checkpoint(origin, int(size_text), root, tuple(ext))


def parse_unverified(note: str) -> Checkpoint:
    """Parse a signed checkpoint without checking signatures (for display and tests)."""
    text, _ = split_note(note)
    return parse_body(text)


def open_checkpoint(note: str, verifier: Verifier, *, origin: str | None = None) -> Checkpoint:
    """Verify the signature and origin of a signed checkpoint and parse it.

    ``origin`` defaults to the key name, the convention of C2SP logs; logs whose origin
    differs from their key name (the Go checksum database) pass it explicitly.
    """
    checkpoint = parse_body(open_note(note, verifier))
    want = verifier.name if origin is None else origin
    if checkpoint.origin != want:
        raise VerificationError(
            f"checkpoint origin {checkpoint.origin!r} does not match the expected origin {want!r}"
        )
    return checkpoint
