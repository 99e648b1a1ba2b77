"""The API the screening calls: create a log, append decisions, find a decision's entry.

Re-screening a declaration never edits its entry: a changed decision (public fields or
any private field, since the commitment covers the whole row) is appended as a new entry
whose ``supersedes`` names the index it replaces. Appending a row identical to the
declaration's latest logged row is a no-op that returns the existing index, so running
the same screening twice does not grow the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from zeromile.errors import LogError
from zeromile.tlog.note import Signer, Verifier
from zeromile.tlog.private import JournalLine, PrivateState, default_private_dir
from zeromile.tlog.reader import LogReader
from zeromile.tlog.records import FullRecord, build_entry, decode_entry, new_salt
from zeromile.tlog.storage import LogWriter

_Row = TypeVar("_Row")


def init_log(log_dir: Path, origin: str, *, private_dir: Path | None = None) -> Verifier:
    """Create an empty log and its signing key; return the verifier key to publish."""
    private_dir = private_dir or default_private_dir(log_dir)
    if private_dir.resolve().is_relative_to(log_dir.resolve()):
        raise LogError(f"private folder {private_dir} must not lie inside the served {log_dir}")
    signer = Signer.generate(origin)
    state = PrivateState.create(private_dir, signer)
    LogWriter.create(log_dir, signer, lock_path=state.lock_path).close()
    return signer.verifier()


def open_writer(log_dir: Path, private_dir: Path | None = None) -> tuple[LogWriter, PrivateState]:
    """Open the log for appending and bring the private journal in line with it."""
    state = PrivateState.shared(private_dir or default_private_dir(log_dir))
    writer = LogWriter.open(log_dir, state.signer(), lock_path=state.lock_path)
    state.truncate_to(writer.size)
    return writer, state


def append_decisions(
    log_dir: Path,
    records: Iterable[Mapping[str, Any]],
    *,
    supersedes: Mapping[str, int] | None = None,
    private_dir: Path | None = None,
) -> list[int]:
    """Append one entry per decision row; return each row's log index.

    ``supersedes`` names, per declaration id, the index a row replaces; without it a
    row replaces the declaration's latest entry, if any.
    """
    indices = _append(
        Path(log_dir),
        records,
        FullRecord.of,
        supersedes=supersedes,
        private_dir=private_dir,
        refused=None,
    )
    return cast(list[int], indices)  # without ``refused`` every row has its index


def append_decision_texts(
    log_dir: Path,
    texts: Iterable[str | bytes],
    *,
    private_dir: Path | None = None,
    refused: dict[int, LogError] | None = None,
) -> list[int | None]:
    """:func:`append_decisions` for decisions stored as JSON text, each parsed once.

    With ``refused``, a text the log cannot take (not a JSON object, a required field
    missing, ...) is left out, with its error under its position and None as its
    index, and the others are appended; without it, such a text fails the whole call.
    """
    return _append(
        Path(log_dir),
        texts,
        FullRecord.parse,
        supersedes=None,
        private_dir=private_dir,
        refused=refused,
    )


def _append(
    log_dir: Path,
    records: Iterable[_Row],
    full_record_of: Callable[[_Row], FullRecord],
    *,
    supersedes: Mapping[str, int] | None,
    private_dir: Path | None,
    refused: dict[int, LogError] | None,
) -> list[int | None]:
    writer, state = open_writer(log_dir, private_dir)
    try:
        batch_latest: dict[str, JournalLine] = {}
        explicit = dict(supersedes or {})
        entries: list[bytes] = []
        lines: list[JournalLine] = []
        result: list[int | None] = []
        for position, record in enumerate(records):
            try:
                full = full_record_of(record)
                row = full.fields
                did = str(row.get("declaration_id", ""))
                previous = batch_latest.get(did) or state.latest_line(did)
                if did not in explicit and previous is not None and previous.record == row:
                    result.append(previous.index)
                    continue
                replaced = _replaced(did, explicit.pop(did, None), previous, state, lines)
                salt = new_salt()
                index = writer.size + len(entries)
                entry = build_entry(row, salt=salt, supersedes=replaced, full=full).encode()
            except LogError as exc:
                if refused is None:
                    raise
                refused[position] = exc
                result.append(None)
                continue
            entries.append(entry)
            line = JournalLine(index, did, salt, row, full.canonical)
            lines.append(line)
            batch_latest[did] = line
            result.append(index)
        if explicit:
            raise LogError(f"supersedes names declarations not in the records: {sorted(explicit)}")
        state.append(lines)
        writer.append(entries)
        return result
    finally:
        writer.close()


def _replaced(
    did: str,
    named: int | None,
    previous: JournalLine | None,
    state: PrivateState,
    batch: list[JournalLine],
) -> int | None:
    """The index a new entry of ``did`` supersedes: the one ``named``, which must be one
    of the declaration's entries (logged or earlier in this batch), else its latest."""
    if named is None:
        return None if previous is None else previous.index
    known = state.history(did) + [ln.index for ln in batch if ln.declaration_id == did]
    if named not in known:
        raise LogError(
            f"declaration {did}: cannot supersede index {named}, its entries are {known or 'none'}"
        )
    return named


def entry_index(log_dir: Path, declaration_id: str, *, private_dir: Path | None = None) -> int:
    """The index of the declaration's latest entry.

    The operator's private map answers at once; without it (a mirror, an auditor) the
    public entries are scanned, since declaration ids are public.
    """
    reader = LogReader(log_dir)
    size = reader.checkpoint().size
    private_dir = private_dir or default_private_dir(log_dir)
    if (private_dir / "journal.jsonl").exists():
        line = PrivateState.shared(private_dir).latest_line(declaration_id, below=size)
        found = None if line is None else line.index
    else:
        found = None
        for index, raw in reader.entries(size):
            if decode_entry(raw, index=index)["declaration_id"] == declaration_id:
                found = index
    if found is None:
        raise LogError(f"declaration {declaration_id!r} has no entry in the log at {log_dir}")
    return found
