"""`zeromile serve` as a real process on loopback, spoken to over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


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


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    env = {**os.environ, "ZEROMILE_DATA_DIR": str(tmp_path / "data")}
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
        yield base, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_serve_migrates_and_answers_over_http(served: tuple[str, dict[str, str]]) -> None:
    base, env = served
    health = httpx.get(f"{base}/healthz").json()
    assert health == {"status": "ok", "version": health["version"], "database": "sqlite"}

    created = zeromile("users", "create", "--role", "regulator", "--name", "smoke-reg", env=env)
    assert created.returncode == 0, created.stderr
    token = next(
        line.split()[1] for line in created.stdout.splitlines() if line.startswith("token:")
    )
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
