"""Operator-only state of a log: signing key, per-entry salts, declaration → index map.

It lives in a private folder that is never served (by default the sibling
``<log dir>.private``), created with mode 0700, the key file with 0600. The journal
``journal.jsonl`` holds one line per logged decision: index, declaration id, salt and
the full record, which is what the operator needs to open a commitment to an auditor.
Journal lines are fsynced *before* the public append; lines past the public checkpoint
(a crash in between) are dropped when the log is next opened.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zeromile.errors import LogError
from zeromile.tlog.note import Signer
from zeromile.tlog.storage import atomic_write

KEY_FILE = "signing.key"
JOURNAL = "journal.jsonl"
LOCK = "lock"


def default_private_dir(log_dir: Path) -> Path:
    return log_dir.with_name(log_dir.name + ".private")


@dataclass(frozen=True)
class JournalLine:
    index: int
    declaration_id: str
    salt: bytes
    record: dict[str, Any]

    def encode(self) -> bytes:
        line = {
            "index": self.index,
            "declaration_id": self.declaration_id,
            "salt": self.salt.hex(),
            "record": self.record,
        }
        return json.dumps(line, sort_keys=True, ensure_ascii=False).encode() + b"\n"


@dataclass
class PrivateState:
    directory: Path
    lines: list[JournalLine] = field(default_factory=list)

    @property
    def lock_path(self) -> Path:
        return self.directory / LOCK

    @classmethod
    def create(cls, directory: Path, signer: Signer) -> PrivateState:
        if (directory / KEY_FILE).exists():
            raise LogError(f"{directory / KEY_FILE} already exists; refusing to replace a key")
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)
        atomic_write(directory / KEY_FILE, (signer.text() + "\n").encode(), mode=0o600)
        atomic_write(directory / "vkey", (signer.verifier().text() + "\n").encode())
        return cls(directory)

    @classmethod
    def load(cls, directory: Path) -> PrivateState:
        if not (directory / KEY_FILE).exists():
            raise LogError(
                f"{directory} holds no signing key (was the log created with 'log init'?)"
            )
        state = cls(directory)
        path = directory / JOURNAL
        if path.exists():
            with path.open("rb") as handle:
                for number, raw in enumerate(handle, start=1):
                    if not raw.endswith(b"\n"):
                        break  # torn last line from a crash: it was never committed
                    try:
                        obj = json.loads(raw)
                        state.lines.append(
                            JournalLine(
                                int(obj["index"]),
                                str(obj["declaration_id"]),
                                bytes.fromhex(obj["salt"]),
                                dict(obj["record"]),
                            )
                        )
                    except (ValueError, KeyError, TypeError) as exc:
                        raise LogError(f"{path}:{number}: unreadable journal line: {exc}") from exc
        return state

    def signer(self) -> Signer:
        return Signer.parse((self.directory / KEY_FILE).read_text())

    def truncate_to(self, size: int) -> None:
        """Forget lines for entries the public checkpoint does not cover."""
        keep = [line for line in self.lines if line.index < size]
        if len(keep) != len(self.lines):
            self.lines = keep
            atomic_write(
                self.directory / JOURNAL, b"".join(line.encode() for line in keep), mode=0o600
            )

    def append(self, lines: Iterable[JournalLine]) -> None:
        batch = list(lines)
        if not batch:
            return
        path = self.directory / JOURNAL
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, b"".join(line.encode() for line in batch))
            os.fsync(fd)
        finally:
            os.close(fd)
        self.lines.extend(batch)

    def latest(self) -> dict[str, JournalLine]:
        """The newest journal line per declaration."""
        out: dict[str, JournalLine] = {}
        for line in self.lines:
            out[line.declaration_id] = line
        return out

    def history(self, declaration_id: str) -> list[int]:
        return [line.index for line in self.lines if line.declaration_id == declaration_id]
