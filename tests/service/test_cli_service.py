"""`zeromile users` and `zeromile db` through the CLI's own entry point, in process."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from zeromile.cli.app import main
from zeromile.service import migrate, security
from zeromile.service.db import make_engine
from zeromile.service.models import User
from zeromile.service.settings import Settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZEROMILE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ZEROMILE_DATABASE_URL", raising=False)
    return tmp_path / "data"


def run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_users_create_prints_a_token_stored_only_as_digest(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["users", "create", "--role", "regulator", "--name", "reg"]) == 0
    out = capsys.readouterr().out
    token = next(line.split()[1] for line in out.splitlines() if line.startswith("token:"))
    engine = make_engine(Settings().resolved_database_url())
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        user = session.scalars(select(User).where(User.name == "reg")).one()
        from zeromile.service.models import ApiToken

        stored = session.scalars(select(ApiToken.token_hash)).all()
    engine.dispose()
    assert user.role == "regulator"
    assert stored == [security.hash_token(token)]


def test_users_create_rejects_unknown_role_without_traceback(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["users", "create", "--role", "boss", "--name", "x"]) == 1
    err = capsys.readouterr().err
    assert "--role 'boss' is not one of" in err
    assert "Traceback" not in err


def test_exporter_account_for_unknown_exporter_fails_cleanly(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["users", "create", "--role", "exporter", "--exporter", "NOPE", "--name", "e"])
    assert code == 1
    assert "exporter 'NOPE' does not exist" in capsys.readouterr().err


def test_db_upgrade_then_downgrade_to_base(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["db", "upgrade"]) == 0
    engine = make_engine(Settings().resolved_database_url())
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert run(["db", "downgrade", "base"]) == 0
    assert migrate.current_revision(engine) is None
    engine.dispose()
    assert "database at base" in capsys.readouterr().out


def test_log_drain_needs_a_log_and_reports_what_it_did(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from zeromile.tlog.publish import init_log

    monkeypatch.delenv("ZEROMILE_LOG_DIR", raising=False)
    monkeypatch.delenv("ZEROMILE_LOG_APPEND", raising=False)
    assert run(["log", "drain"]) != 0
    init_log(tmp_path / "log", "cli.zeromile.example/log")
    monkeypatch.setenv("ZEROMILE_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.setenv("ZEROMILE_LOG_APPEND", "true")
    capsys.readouterr()
    assert run(["log", "drain"]) == 0
    assert json.loads(capsys.readouterr().out) == {"appended": 0, "failed": 0, "queued": 0}
