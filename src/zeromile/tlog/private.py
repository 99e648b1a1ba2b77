"""Operator-only state of a log: signing key, per-entry salts, declaration → index map.

It lives in a private folder that is never served (by default the sibling
``<log dir>.private``), created with mode 0700, the key file with 0600. The journal
``journal.jsonl`` holds one line per logged decision: index, declaration id, salt and
the full record, which is what the operator needs to open a commitment to an auditor.
Journal lines are fsynced *before* the public append; lines past the public checkpoint
(a crash in between) are dropped when the log is next opened.

Parsing a long journal is the costliest part of opening a log, so each process keeps
one parsed copy per private folder (:meth:`PrivateState.shared`) and reads only the
lines added since, checked against the journal file's identity and length on each use.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zeromile.errors import LogError
from zeromile.tlog.note import Signer
from zeromile.tlog.storage import atomic_write, write_all_synced

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
    #: The record's JSON when the caller already has it (its canonical bytes).
    record_json: bytes | None = field(default=None, compare=False, repr=False)

    def encode(self) -> bytes:
        """One compact JSON line, keys sorted."""
        record = self.record_json
        if record is None:
            record = json.dumps(
                self.record, sort_keys=True, ensure_ascii=False, separators=(",", ":")
            ).encode()
        declaration_id = json.dumps(self.declaration_id, ensure_ascii=False).encode()
        return b'{"declaration_id":%b,"index":%d,"record":%b,"salt":"%b"}\n' % (
            declaration_id,
            self.index,
            record,
            self.salt.hex().encode(),
        )


_shared: dict[Path, PrivateState] = {}
_shared_guard = threading.Lock()


def _require_key(directory: Path) -> None:
    if not (directory / KEY_FILE).exists():
        raise LogError(f"{directory} holds no signing key (was the log created with 'log init'?)")


@dataclass(eq=False)
class PrivateState:
    directory: Path
    lines: list[JournalLine] = field(default_factory=list)
    _by_declaration: dict[str, list[JournalLine]] = field(default_factory=dict, repr=False)
    _read_to: int = field(default=0, repr=False)  # journal bytes that ``lines`` hold
    _file_id: tuple[int, int] | None = field(default=None, repr=False)
    _guard: threading.RLock = field(default_factory=threading.RLock, repr=False)

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
        """A fresh copy read from disk (see :meth:`shared` for the cached one)."""
        _require_key(directory)
        state = cls(directory)
        state.refresh()
        return state

    @classmethod
    def shared(cls, directory: Path) -> PrivateState:
        """This process's copy of the folder's state, brought up to date with the journal."""
        key = directory.resolve()
        with _shared_guard:
            state = _shared.get(key)
            if state is None:
                _require_key(directory)
                state = _shared[key] = cls(directory)
        state.refresh()
        return state

    def refresh(self) -> None:
        """Read journal lines written since the last read (all of them if the file changed)."""
        path = self.directory / JOURNAL
        with self._guard:
            try:
                handle = path.open("rb")
            except FileNotFoundError:
                self._reset(None)
                return
            with handle:
                stat = os.fstat(handle.fileno())
                file_id = (stat.st_dev, stat.st_ino)
                if file_id != self._file_id or stat.st_size < self._read_to:
                    self._reset(file_id)
                if stat.st_size == self._read_to:
                    return
                handle.seek(self._read_to)
                for raw in handle:
                    if not raw.endswith(b"\n"):
                        break  # torn last line from a crash: it was never committed
                    self._add(_parse(raw, path, len(self.lines) + 1))
                    self._read_to += len(raw)

    def _reset(self, file_id: tuple[int, int] | None) -> None:
        self.lines = []
        self._by_declaration = {}
        self._read_to = 0
        self._file_id = file_id

    def _add(self, line: JournalLine) -> None:
        self.lines.append(line)
        self._by_declaration.setdefault(line.declaration_id, []).append(line)

    def signer(self) -> Signer:
        return Signer.parse((self.directory / KEY_FILE).read_text())

    def truncate_to(self, size: int) -> None:
        """Forget lines for entries the public checkpoint does not cover (and a torn tail)."""
        path = self.directory / JOURNAL
        with self._guard:
            self.refresh()
            torn = path.exists() and path.stat().st_size != self._read_to
            if not torn and (not self.lines or self.lines[-1].index < size):
                return
            keep = [line for line in self.lines if line.index < size]
            data = b"".join(line.encode() for line in keep)
            atomic_write(path, data, mode=0o600)
            stat = path.stat()
            self._reset((stat.st_dev, stat.st_ino))
            for line in keep:
                self._add(line)
            self._read_to = len(data)

    def append(self, lines: Iterable[JournalLine]) -> None:
        batch = list(lines)
        if not batch:
            return
        data = b"".join(line.encode() for line in batch)
        path = self.directory / JOURNAL
        with self._guard:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                stat = os.fstat(fd)
                current = (stat.st_dev, stat.st_ino) == self._file_id or (
                    self._file_id is None and stat.st_size == 0
                )
                current = current and stat.st_size == self._read_to
                write_all_synced(fd, data)
            finally:
                os.close(fd)
            if current:
                self._file_id = (stat.st_dev, stat.st_ino)
                for line in batch:
                    self._add(line)
                self._read_to += len(data)
            else:
                self.refresh()

    def latest(self) -> dict[str, JournalLine]:
        """The newest journal line per declaration."""
        return {did: lines[-1] for did, lines in self._by_declaration.items()}

    def latest_line(self, declaration_id: str, *, below: int | None = None) -> JournalLine | None:
        """The declaration's newest line (among indexes below ``below``, when given)."""
        for line in reversed(self._by_declaration.get(declaration_id, ())):
            if below is None or line.index < below:
                return line
        return None

    def history(self, declaration_id: str) -> list[int]:
        return [line.index for line in self._by_declaration.get(declaration_id, ())]


def _parse(raw: bytes, path: Path, number: int) -> JournalLine:
    try:
        obj = json.loads(raw)
        return JournalLine(
            int(obj["index"]),
            str(obj["declaration_id"]),
            bytes.fromhex(obj["salt"]),
            dict(obj["record"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise LogError(f"{path}:{number}: unreadable journal line: {exc}") from exc
