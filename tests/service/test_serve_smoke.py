"""`zeromile serve` as a real process on loopback, spoken to over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.service.helpers import declaration_body, license_exporter
from zeromile.tlog.publish import init_log
from zeromile.tlog.reader import LogReader


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def zeromile(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zeromile", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@contextmanager
def serving(tmp_path: Path, **variables: str) -> Iterator[tuple[str, dict[str, str], int]]:
    """`zeromile serve` on a free port with these extra variables: (base URL, env, pid)."""
    env = {**os.environ, "ZEROMILE_DATA_DIR": str(tmp_path / "data"), **variables}
    env.pop("ZEROMILE_DATABASE_URL", None)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "zeromile", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited early:\n{(tmp_path / 'serve.log').read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("serve did not answer /healthz within 30 s")
            time.sleep(0.2)
        yield base, env, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with serving(tmp_path) as (base, env, _):
        yield base, env


def token_of(created: subprocess.CompletedProcess[str]) -> str:
    assert created.returncode == 0, created.stderr
    return next(
        line.split()[1] for line in created.stdout.splitlines() if line.startswith("token:")
    )


def test_serve_migrates_and_answers_over_http(served: tuple[str, dict[str, str]]) -> None:
    base, env = served
    health = httpx.get(f"{base}/healthz").json()
    assert health == {"status": "ok", "version": health["version"], "database": "sqlite"}

    created = zeromile("users", "create", "--role", "regulator", "--name", "smoke-reg", env=env)
    token = token_of(created)
    headers = {"Authorization": f"Bearer {token}"}

    me = httpx.get(f"{base}/api/v1/auth/me", headers=headers)
    assert me.json()["name"] == "smoke-reg"
    applied = httpx.post(
        f"{base}/api/v1/exporters",
        json={
            "exporter_id": "EXP-S",
            "name": "Smoke Exports",
            "country": "CN",
            "applied_on": "2025-01-02",
        },
        headers=headers,
    )
    assert applied.status_code == 201
    assert applied.json()["status"] == "applied"
    denied = httpx.post(f"{base}/api/v1/exporters", json={})
    assert denied.status_code == 401
    assert denied.headers["content-type"] == "application/problem+json"


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"  # exited, not yet reaped
    except FileNotFoundError:
        return True


def test_serve_appends_to_the_log_from_a_child_process_that_ends_with_it(
    tmp_path: Path,
) -> None:
    log_dir = tmp_path / "log"
    init_log(log_dir, "smoke.zeromile.example/log")
    with serving(tmp_path, ZEROMILE_LOG_DIR=str(log_dir), ZEROMILE_LOG_APPEND="true") as (
        base,
        env,
        pid,
    ):
        drainers = children(pid)
        assert len(drainers) == 1
        regulator = token_of(
            zeromile("users", "create", "--role", "regulator", "--name", "r", env=env)
        )
        with httpx.Client(base_url=base, timeout=60) as client:
            license_exporter(client, {"Authorization": f"Bearer {regulator}"}, "EXP-S")
            exporter = token_of(
                zeromile(
                    "users",
                    "create",
                    "--role",
                    "exporter",
                    "--exporter",
                    "EXP-S",
                    "--name",
                    "e",
                    env=env,
                )
            )
            posted = client.post(
                "/api/v1/declarations",
                json=declaration_body("D-SMOKE", "LSVAU2180N2183294"),
                headers={"Authorization": f"Bearer {exporter}"},
            )
            assert posted.status_code == 201, posted.text
            deadline = time.monotonic() + 60
            while LogReader(log_dir).checkpoint().size < 1:
                assert time.monotonic() < deadline, "the decision did not reach the log in 60 s"
                time.sleep(0.1)
    deadline = time.monotonic() + 30
    while not all(gone(child) for child in drainers):
        assert time.monotonic() < deadline, "the drainer outlived the server"
        time.sleep(0.1)
    assert LogReader(log_dir).checkpoint().size == 1
