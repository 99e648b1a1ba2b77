"""Durable, atomic, batched appends to a tiled log directory on the local filesystem.

The checkpoint is the commit point. An append writes every new entry bundle and tile
(full and partial) under a temporary name, fsyncs them (in a thread pool: one fsync per
file, never per entry), renames them into place, fsyncs their directories, and only then
replaces ``checkpoint`` atomically. A crash at any point leaves the old checkpoint
describing files that are all complete; files past it are rewritten by the next append.
Opening a log recomputes its root from the right-edge tiles and refuses to write to a
directory whose checkpoint does not match them.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from zeromile.errors import LogError
from zeromile.tlog.checkpoint import Checkpoint, open_checkpoint
from zeromile.tlog.merkle import EMPTY_ROOT, leaf_hash, leaf_hashes, node_hash, root_of
from zeromile.tlog.note import Signer
from zeromile.tlog.tiles import (
    TILE_WIDTH,
    TiledTree,
    bundle_path,
    decode_bundle,
    decode_hash_tile,
    encode_bundle,
    level_width,
    tile_path,
    tile_root,
)

logger = logging.getLogger(__name__)

CHECKPOINT = "checkpoint"


def read_file(root: Path, rel: str) -> bytes | None:
    try:
        return (root / rel).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LogError(f"cannot read {root / rel}: {exc}") from exc


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all_synced(fd: int, data: bytes) -> None:
    """Write every byte (``os.write`` may write fewer) and flush them to disk."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        write_all_synced(fd, data)
    finally:
        os.close(fd)


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``path`` so that readers see the old or the new bytes, never a mix."""
    tmp = _tmp_name(path)
    _write_synced(tmp, data)
    tmp.chmod(mode)
    tmp.replace(path)
    _fsync_dir(path.parent)


class LogWriter:
    """The single writer of one log directory (an exclusive lock enforces it)."""

    def __init__(self, directory: Path, signer: Signer, lock_fd: int) -> None:
        self.directory = directory
        self._signer = signer
        self._lock_fd = lock_fd
        self.size = 0
        self.checkpoint_text = ""
        self._edges: list[list[bytes]] = []
        self._bundle_tail: list[bytes] = []
        self._known_dirs: set[Path] = set()
        self._new_dirs: set[Path] = set()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tlog-fsync")

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, directory: Path, signer: Signer, *, lock_path: Path) -> LogWriter:
        """Start an empty log: a signed checkpoint of size 0."""
        if (directory / CHECKPOINT).exists():
            raise LogError(f"{directory} already holds a log (checkpoint exists)")
        directory.mkdir(parents=True, exist_ok=True)
        writer = cls(directory, signer, _lock(lock_path))
        writer._commit(Checkpoint(signer.name, 0, EMPTY_ROOT))
        return writer

    @classmethod
    def open(cls, directory: Path, signer: Signer, *, lock_path: Path) -> LogWriter:
        """Open an existing log for appending, checking its checkpoint against its tiles."""
        writer = cls(directory, signer, _lock(lock_path))
        try:
            writer._recover()
        except BaseException:
            writer.close()
            raise
        return writer

    def _recover(self) -> None:
        note = read_file(self.directory, CHECKPOINT)
        if note is None:
            raise LogError(f"{self.directory} has no checkpoint; create the log first")
        try:
            text = note.decode()
        except UnicodeDecodeError as exc:
            raise LogError(f"{self.directory}/checkpoint is not UTF-8 text") from exc
        checkpoint = open_checkpoint(text, self._signer.verifier())
        size = checkpoint.size
        fetch = self._fetch
        level = 0
        while level_width(size, level) > 0:
            width = level_width(size, level) % TILE_WIDTH
            edge: list[bytes] = []
            if width:
                where = tile_path(level, level_width(size, level) // TILE_WIDTH, width)
                data = fetch(where)
                if data is None:
                    full = fetch(tile_path(level, level_width(size, level) // TILE_WIDTH))
                    data = None if full is None else full[: 32 * width]
                if data is None:
                    raise LogError(f"{self.directory}: {where} is missing for size {size}")
                edge = decode_hash_tile(data, where=where)[:width]
                if len(edge) != width:
                    raise LogError(f"{self.directory}: {where} holds {len(edge)} of {width} hashes")
            self._edges.append(edge)
            level += 1
        tail = size % TILE_WIDTH
        if tail:
            where = bundle_path(size // TILE_WIDTH, tail)
            data = fetch(where)
            if data is None:
                full = fetch(bundle_path(size // TILE_WIDTH))
                entries = None if full is None else decode_bundle(full, where=where)[:tail]
            else:
                entries = decode_bundle(data, where=where)
            if entries is None or len(entries) != tail:
                raise LogError(f"{self.directory}: {where} is missing or short for size {size}")
            if [leaf_hash(e) for e in entries] != self._edges[0]:
                raise LogError(f"{self.directory}: {where} does not match its level-0 tile")
            self._bundle_tail = entries
        self.size = size
        if self._root() != checkpoint.root:
            raise LogError(
                f"{self.directory}: checkpoint root does not match the tiles at size {size}"
            )
        if TiledTree(fetch, size).root() != checkpoint.root:
            raise LogError(f"{self.directory}: tiles disagree with the checkpoint at size {size}")
        self.checkpoint_text = text

    def _fetch(self, rel: str) -> bytes | None:
        return read_file(self.directory, rel)

    # -- appending -----------------------------------------------------------------------

    def append(self, entries: Sequence[bytes]) -> int:
        """Append a batch durably; return the index of its first entry.

        Entry bundles go to the fsync threads first, so the disk works while this
        thread hashes leaves and tiles.
        """
        if not entries:
            return self.size
        first = self.size
        bundles: dict[str, bytes] = {}
        tail = self._bundle_tail + list(entries)
        start_bundle = first // TILE_WIDTH
        for j in range(0, len(tail), TILE_WIDTH):
            chunk = tail[j : j + TILE_WIDTH]
            bundles[bundle_path(start_bundle + j // TILE_WIDTH, len(chunk))] = encode_bundle(chunk)
        pending = self._start_writes(bundles)
        new_tail = tail[len(tail) // TILE_WIDTH * TILE_WIDTH :]
        edges = [list(e) for e in self._edges]
        tiles: dict[str, bytes] = {}
        new = leaf_hashes(entries)
        level = 0
        while new:
            if level == len(edges):
                edges.append([])
            row = edges[level] + new
            start_tile = level_width(first, level) // TILE_WIDTH
            completed: list[bytes] = []
            for j in range(0, len(row), TILE_WIDTH):
                chunk = row[j : j + TILE_WIDTH]
                tiles[tile_path(level, start_tile + j // TILE_WIDTH, len(chunk))] = b"".join(chunk)
                if len(chunk) == TILE_WIDTH:
                    completed.append(tile_root(chunk))
            edges[level] = row[len(row) // TILE_WIDTH * TILE_WIDTH :]
            new = completed
            level += 1
        pending += self._start_writes(tiles)
        files = {**bundles, **tiles}
        self._finish_writes(files, pending)
        self._edges, self._bundle_tail = edges, new_tail
        self.size = first + len(entries)
        self._commit(Checkpoint(self._signer.name, self.size, self._root()))
        self._collect_partials(files)
        return first

    def _root(self) -> bytes:
        subtrees: list[bytes] = []
        for hashes in reversed(self._edges):
            i = 0
            for bit in reversed(range(8)):
                if len(hashes) & (1 << bit):
                    subtrees.append(root_of(hashes[i : i + (1 << bit)]))
                    i += 1 << bit
        if not subtrees:
            return EMPTY_ROOT
        root = subtrees[-1]
        for h in reversed(subtrees[:-1]):
            root = node_hash(h, root)
        return root

    def _start_writes(self, files: dict[str, bytes]) -> list[Future[None]]:
        """Write each file under a temporary name and fsync it, in the thread pool."""
        jobs: list[Future[None]] = []
        for rel, data in files.items():
            path = self.directory / rel
            parent = path.parent
            if parent not in self._known_dirs:
                missing = [p for p in (parent, *parent.parents) if not p.exists()]
                parent.mkdir(parents=True, exist_ok=True)
                self._new_dirs.update(p.parent for p in missing)
                self._known_dirs.add(parent)
            jobs.append(self._pool.submit(_write_synced, _tmp_name(path), data))
        return jobs

    def _finish_writes(self, files: dict[str, bytes], jobs: list[Future[None]]) -> None:
        """Wait for the fsyncs, rename into place, fsync the directories."""
        try:
            for job in jobs:
                job.result()
        except OSError as exc:
            raise LogError(f"cannot write tiles under {self.directory}: {exc}") from exc
        paths = [self.directory / rel for rel in files]
        for path in paths:
            _tmp_name(path).replace(path)
        dirs = {path.parent for path in paths} | self._new_dirs
        list(self._pool.map(_fsync_dir, dirs))
        self._new_dirs = set()

    def _commit(self, checkpoint: Checkpoint) -> None:
        note = checkpoint.sign(self._signer)
        atomic_write(self.directory / CHECKPOINT, note.encode())
        self.checkpoint_text = note

    def _collect_partials(self, files: dict[str, bytes]) -> None:
        """Drop ``N.p/`` folders of tiles that are now full (clients fall back to full tiles)."""
        for rel in files:
            if ".p/" in rel:
                continue
            partial_dir = self.directory / f"{rel}.p"
            if partial_dir.is_dir():
                shutil.rmtree(partial_dir, ignore_errors=True)

    # -- closing -------------------------------------------------------------------------

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1

    def __enter__(self) -> LogWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _lock(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise LogError(f"{path}: another process is appending to this log") from exc
    return fd
