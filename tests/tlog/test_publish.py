"""The screening's API: append decisions, supersede instead of editing, keep secrets private."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from zeromile.errors import LogError
from zeromile.tlog.private import JournalLine, PrivateState, default_private_dir
from zeromile.tlog.publish import (
    append_decision_texts,
    append_decisions,
    entry_index,
    init_log,
    open_writer,
)
from zeromile.tlog.reader import LogReader
from zeromile.tlog.records import decode_entry, open_commitment


def decision(did: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "declaration_id": did,
        "vin": "lsvau2180n2183294",
        "exporter_id": "EXP-1",
        "origin": "CN",
        "destination": "RU",
        "declaration_date": "2025-08-09",
        "verdict": "refuse",
        "findings": "ZERO_MILEAGE;CN_180_DAYS",
        "zero_mileage": True,
        "rulebook_version": "2025.11",
        "declared_value": 18250.0,
        "importer_name": "Ivan Petrov",
    }
    row.update(changes)
    return row


@pytest.fixture
def log(tmp_path: Path) -> Path:
    init_log(tmp_path / "log", "test.zeromile.example/log")
    return tmp_path / "log"


def _entries(log: Path) -> list[dict[str, Any]]:
    reader = LogReader(log)
    size = reader.checkpoint().size
    return [decode_entry(raw, index=i) for i, raw in reader.entries(size)]


def test_key_is_private_and_outside_the_served_directory(log: Path) -> None:
    private = default_private_dir(log)
    assert stat.S_IMODE((private / "signing.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert not any("PRIVATE" in p.read_text(errors="ignore") for p in log.rglob("*") if p.is_file())


def test_private_folder_inside_the_log_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="must not lie inside"):
        init_log(tmp_path / "log", "o.example/log", private_dir=tmp_path / "log" / "private")


def test_entries_hold_public_fields_and_a_commitment_only(log: Path) -> None:
    assert append_decisions(log, [decision("D1"), decision("D2", verdict="clear")]) == [0, 1]
    first = _entries(log)[0]
    assert first["vin"] == "LSVAU2180N2183294"
    assert first["findings"] == ["CN_180_DAYS", "ZERO_MILEAGE"]
    assert first["supersedes"] is None
    public_bytes = b"".join(p.read_bytes() for p in log.rglob("*") if p.is_file())
    assert b"Ivan Petrov" not in public_bytes and b"18250" not in public_bytes
    line = PrivateState.load(default_private_dir(log)).latest()["D1"]
    assert open_commitment(first, line.record, line.salt)
    assert not open_commitment(first, {**line.record, "declared_value": 1.0}, line.salt)


def test_identical_rescreen_is_a_noop_and_a_change_supersedes(log: Path) -> None:
    append_decisions(log, [decision("D1"), decision("D2")])
    assert append_decisions(log, [decision("D1")]) == [0]
    assert append_decisions(log, [decision("D1", verdict="review")]) == [2]
    assert append_decisions(log, [decision("D1", verdict="clear", findings=[])]) == [3]
    entries = _entries(log)
    assert [e["supersedes"] for e in entries] == [None, None, 0, 2]
    assert entry_index(log, "D1") == 3


def test_private_change_alone_still_appends_a_superseding_entry(log: Path) -> None:
    append_decisions(log, [decision("D1")])
    assert append_decisions(log, [decision("D1", declared_value=99.0)]) == [1]
    assert _entries(log)[1]["supersedes"] == 0


def test_explicit_supersedes_must_name_an_entry_of_that_declaration(log: Path) -> None:
    append_decisions(log, [decision("D1"), decision("D2")])
    with pytest.raises(LogError, match="cannot supersede index 1, its entries are \\[0\\]"):
        append_decisions(log, [decision("D1", verdict="clear")], supersedes={"D1": 1})
    assert append_decisions(log, [decision("D1", verdict="clear")], supersedes={"D1": 0}) == [2]


def test_bad_record_names_the_declaration_and_field(log: Path) -> None:
    with pytest.raises(LogError, match="declaration D9: field 'verdict' is 'maybe'"):
        append_decisions(log, [decision("D9", verdict="maybe")])
    with pytest.raises(LogError, match="declaration D9: field 'vin' is required"):
        append_decisions(log, [decision("D9", vin=None)])
    assert LogReader(log).checkpoint().size == 0


def test_journal_lines_past_the_checkpoint_are_dropped_on_open(log: Path) -> None:
    append_decisions(log, [decision("D1")])
    state = PrivateState.load(default_private_dir(log))
    state.append([JournalLine(5, "GHOST", b"\0" * 32, {"declaration_id": "GHOST"})])
    with pytest.raises(LogError, match="'GHOST' has no entry"):
        entry_index(log, "GHOST")
    writer, reopened = open_writer(log)
    writer.close()
    assert [line.declaration_id for line in reopened.lines] == ["D1"]
    with pytest.raises(LogError, match="'GHOST' has no entry"):
        entry_index(log, "GHOST")


def test_unknown_declaration_cannot_be_proven(log: Path) -> None:
    with pytest.raises(LogError, match="'NOPE' has no entry"):
        entry_index(log, "NOPE")


def test_journal_is_json_lines(log: Path) -> None:
    append_decisions(log, [decision("D1")])
    lines = (default_private_dir(log) / "journal.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["record"]["importer_name"] == "Ivan Petrov"


def test_a_mirror_without_private_state_finds_entries_by_scanning(
    log: Path, tmp_path: Path
) -> None:
    append_decisions(log, [decision("D1"), decision("D2")])
    append_decisions(log, [decision("D1", verdict="clear")])
    mirror = tmp_path / "mirror"
    shutil.copytree(log, mirror)
    assert entry_index(mirror, "D1") == 2
    assert entry_index(mirror, "D2") == 1
    with pytest.raises(LogError, match="'D3' has no entry"):
        entry_index(mirror, "D3")


def _opened(log: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each entry (commitment aside) with the journal record that opens it."""
    lines = PrivateState.load(default_private_dir(log)).lines
    pairs = []
    for entry, line in zip(_entries(log), lines, strict=True):
        assert open_commitment(entry, line.record, line.salt)
        pairs.append(({k: v for k, v in entry.items() if k != "commitment"}, line.record))
    return pairs


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"declared_value": float("nan"), "zero_mileage_score": 0.7311},
        {"declared_value": 1e21, "résumé": "é😀", "😀": 1},
        {"evidence": {"ratio": 1.0, "readings": [0.0, 12.5]}},
    ],
)
def test_decisions_stored_as_json_text_log_as_the_rows_do(tmp_path: Path, changes: Any) -> None:
    rows = [decision("D1", **changes), decision("D2", verdict="clear")]
    by_rows = tmp_path / "rows"
    by_texts = tmp_path / "texts"
    for path in (by_rows, by_texts):
        init_log(path, "test.zeromile.example/log")
    append_decisions(by_rows, rows)
    texts = [json.dumps(row, ensure_ascii=False) for row in rows]
    assert append_decision_texts(by_texts, texts) == [0, 1]
    assert _opened(by_texts) == _opened(by_rows)
    assert append_decision_texts(by_texts, texts) == [0, 1]  # identical: nothing new


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "JSON object"),
        ("{not json", "not JSON"),
        ('{"verdict": "clear"}', "required"),
        ('{"declaration_id": "D1", "n": 1152921504606846976}', "safe integer"),
    ],
)
def test_a_stored_decision_that_cannot_be_logged_is_a_log_error(
    log: Path, text: str, message: str
) -> None:
    with pytest.raises(LogError, match=message):
        append_decision_texts(log, [text])
    assert LogReader(log).checkpoint().size == 0


def test_journal_lines_are_compact_and_read_back(log: Path) -> None:
    append_decisions(log, [decision("D1", note="résumé")])
    raw = (default_private_dir(log) / "journal.jsonl").read_bytes()
    assert raw.startswith(b'{"declaration_id":"D1","index":0,"record":{')
    assert b'"note":"r\xc3\xa9sum\xc3\xa9"' in raw and b", " not in raw
    [line] = PrivateState.load(default_private_dir(log)).lines
    assert line.record == json.loads(raw)["record"] == {**decision("D1", note="résumé")}


def test_with_refused_a_text_the_log_cannot_take_is_left_out_and_the_rest_appended(
    log: Path,
) -> None:
    texts = [json.dumps(decision("D1")), "[1, 2]", json.dumps(decision("D3", vin=None))]
    texts.append(json.dumps(decision("D4")))
    refused: dict[int, LogError] = {}
    assert append_decision_texts(log, texts, refused=refused) == [0, None, None, 1]
    assert sorted(refused) == [1, 2]
    assert "JSON object" in str(refused[1]) and "'vin' is required" in str(refused[2])
    assert [e["declaration_id"] for e in _entries(log)] == ["D1", "D4"]
