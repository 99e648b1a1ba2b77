"""C2SP signed-note with Ed25519 keys: key ids, ``vkey``/``skey`` text, sign and open.

Formats follow https://c2sp.org/signed-note (the format of golang.org/x/mod/sumdb/note):
a verifier key is ``<name>+<hex key id>+<base64(0x01 || public key)>``; a signer key is
``PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>``; the key id is the first four
bytes of SHA-256(name || 0x0A || 0x01 || public key); a signature line is
``— <name> <base64(key id || signature)>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from zeromile.errors import LogError, VerificationError

ALG_ED25519 = 0x01
SIG_PREFIX = "\u2014 "
MAX_SIGNATURES = 100


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationError(f"{what} is not valid base64: {text!r}") from exc


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise LogError(f"key name {name!r} must be non-empty without spaces or '+'")


def key_id(name: str, public_key: bytes) -> int:
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True)
class Verifier:
    """A named Ed25519 public key that can check note signatures."""

    name: str
    key_id: int
    public_key: bytes

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3:
            raise VerificationError(f"verifier key {vkey!r} is not <name>+<id>+<key>")
        name, hex_id, blob = parts
        _check_name(name)
        if len(hex_id) != 8:
            raise VerificationError(f"verifier key id {hex_id!r} must be 8 hex digits")
        try:
            kid = int(hex_id, 16)
        except ValueError as exc:
            raise VerificationError(f"verifier key id {hex_id!r} is not hexadecimal") from exc
        raw = _b64decode(blob, "verifier key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise VerificationError(
                f"verifier key for {name!r} is not an Ed25519 key (algorithm byte and 32 bytes)"
            )
        if key_id(name, raw[1:]) != kid:
            raise VerificationError(f"verifier key id {hex_id} does not match the key of {name!r}")
        return cls(name, kid, raw[1:])

    def text(self) -> str:
        blob = base64.b64encode(bytes([ALG_ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{blob}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A named Ed25519 private key; ``text()`` is the secret ``skey`` form."""

    name: str
    seed: bytes

    @classmethod
    def generate(cls, name: str) -> Signer:
        _check_name(name)
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def parse(cls, skey: str) -> Signer:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise LogError("signing key is not PRIVATE+KEY+<name>+<id>+<key>")
        name, hex_id, blob = parts[2:]
        try:
            raw = base64.b64decode(blob, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise LogError("signing key is not valid base64") from exc
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise LogError("signing key is not an Ed25519 key")
        signer = cls(name, raw[1:])
        if f"{signer.verifier().key_id:08x}" != hex_id.lower():
            raise LogError(f"signing key id {hex_id} does not match its key")
        return signer

    def verifier(self) -> Verifier:
        public = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes_raw()
        return Verifier(self.name, key_id(self.name, public), public)

    def text(self) -> str:
        blob = base64.b64encode(bytes([ALG_ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier().key_id:08x}+{blob}"

    def sign_line(self, message: str) -> str:
        if not message.endswith("\n"):
            raise LogError("note text must end with a newline")
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(message.encode())
        blob = self.verifier().key_id.to_bytes(4, "big") + signature
        return f"{SIG_PREFIX}{self.name} {base64.b64encode(blob).decode()}\n"

    def sign(self, message: str) -> str:
        """The signed note: text, blank line, one signature line."""
        return message + "\n" + self.sign_line(message)


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_id: int
    signature: bytes


def split_note(note: str) -> tuple[str, list[SignatureLine]]:
    """Split a signed note into its text and signature lines (not yet verified)."""
    sep = note.rfind("\n\n")
    if sep < 0:
        raise VerificationError("signed note has no blank line before its signatures")
    text, sig_block = note[: sep + 1], note[sep + 2 :]
    if not sig_block.endswith("\n"):
        raise VerificationError("signed note does not end with a newline")
    lines = sig_block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise VerificationError(
            f"signed note has {len(lines)} signatures, at most {MAX_SIGNATURES}"
        )
    sigs: list[SignatureLine] = []
    for n, line in enumerate(lines, start=1):
        if not line.startswith(SIG_PREFIX):
            raise VerificationError(f"signature line {n} does not start with '— ': {line!r}")
        fields = line[len(SIG_PREFIX) :].split(" ")
        if len(fields) != 2:
            raise VerificationError(f"signature line {n} is not '— <name> <signature>'")
        raw = _b64decode(fields[1], f"signature line {n}")
        if len(raw) < 5:
            raise VerificationError(f"signature line {n} is too short ({len(raw)} bytes)")
        sigs.append(SignatureLine(fields[0], int.from_bytes(raw[:4], "big"), raw[4:]))
    return text, sigs


def open_note(note: str, verifier: Verifier) -> str:
    """Return the note's text if ``verifier`` signed it, else raise VerificationError."""
    text, sigs = split_note(note)
    mine = [s for s in sigs if s.name == verifier.name and s.key_id == verifier.key_id]
    if not mine:
        names = ", ".join(f"{s.name}+{s.key_id:08x}" for s in sigs) or "none"
        raise VerificationError(
            f"note has no signature by key {verifier.name}+{verifier.key_id:08x} "
            f"(signed by: {names})"
        )
    for sig in mine:
        if not verifier.verify(text.encode(), sig.signature):
            raise VerificationError(
                f"signature by {verifier.name}+{verifier.key_id:08x} does not verify"
            )
    return text
