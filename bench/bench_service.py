"""Service benchmark on loopback: bulk ingest and single submissions under concurrency.

    uv run python -m bench.bench_service                      # bounded default run
    uv run python -m bench.bench_service --seconds 30 --bulk-rows 100000
    uv run python -m bench.bench_service --log                # the server operates a log

For each database (embedded SQLite, PostgreSQL on 127.0.0.1:5432 or
ZEROMILE_TEST_POSTGRES_URL) a real ``uvicorn`` server is started in a
subprocess. Phases:

* bulk ingest: one CSV upload of N declarations, timed until its job is done;
* single submissions: C concurrent clients POST /api/v1/declarations for S seconds;
* reference: the same clients POST to a bare FastAPI endpoint, served by the
  same process, that inserts one row into the same database.

With ``--log`` the server appends every decision to a fresh transparency log
(``ZEROMILE_LOG_DIR`` and ``ZEROMILE_LOG_APPEND``) in a temporary directory.

The load generator shares the machine's cores with the server; figures are
for comparison between runs and databases, not capacity planning.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, text
from sqlalchemy.engine import make_url

BENCH_META = MetaData()
BENCH_ROWS = Table(
    "bench_rows",
    BENCH_META,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("vin", String(32)),
)


class BareIn(BaseModel):
    """Body of the reference endpoint."""

    vin: str


DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def vin(n: int) -> str:
    return f"LBENCH{n:011d}"


def serve(url: str, port: int, log_dir: Path | None = None) -> None:
    """Subprocess entry: the zeromile app plus the bare reference endpoint."""
    import uvicorn
    from fastapi import FastAPI

    from zeromile.service.app import create_app
    from zeromile.service.context import ServiceContext
    from zeromile.service.settings import Settings

    settings = Settings(
        database_url=url, auto_migrate=False, log_dir=log_dir, log_append=log_dir is not None
    )
    context = ServiceContext.open(settings)
    BENCH_META.create_all(context.engine)
    app: FastAPI = create_app(settings, context=context)

    @app.post("/bench/bare", status_code=201)
    def bare(body: BareIn) -> dict[str, str]:
        with context.engine.begin() as connection:
            connection.execute(BENCH_ROWS.insert().values(vin=body.vin))
        return {"vin": body.vin}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def prepare(url: str) -> tuple[str, str]:
    """Migrate, license one exporter, return (exporter token, regulator token)."""
    from zeromile.registry import EventKind
    from zeromile.service import exporters, migrate
    from zeromile.service.context import ServiceContext
    from zeromile.service.policy import Role
    from zeromile.service.settings import Settings
    from zeromile.service.users import create_user

    context = ServiceContext.open(Settings(database_url=url, auto_migrate=False))
    migrate.upgrade(context.engine)
    with context.tx() as session:
        exporter = exporters.apply(
            session,
            actor=None,
            exporter_id="EXP-B",
            name="Bench Exports",
            country="CN",
            region=None,
            on=dt.date(2024, 1, 2),
            reason="bench",
        )
        exporters.transition(
            session,
            actor=None,
            exporter=exporter,
            kind=EventKind.APPROVE,
            on=dt.date(2024, 2, 1),
            reason="bench",
            licence_no="L-B",
            licensed_from=dt.date(2024, 2, 1),
            licensed_to=dt.date(2027, 1, 31),
        )
        token = create_user(
            session, name="bench-exp", role=Role.EXPORTER, actor=None, exporter_id="EXP-B"
        ).token
        regulator = create_user(session, name="bench-reg", role=Role.REGULATOR, actor=None).token
    context.close()
    return token, regulator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, log_dir: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "bench.bench_service", "--serve", url, "--port", str(port)]
    if log_dir is not None:
        from zeromile.tlog.publish import init_log

        init_log(log_dir, "bench.zeromile.example/log")
        command += ["--log-dir", str(log_dir)]
    process = subprocess.Popen(command)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start within 60 s")


def bulk_ingest(base: str, token: str, rows: int) -> float:
    lines = [
        "declaration_id,vin,origin,destination,declaration_date,declared_odometer_km,declared_condition"
    ]
    lines += [f"B{n},{vin(n)},CN,KZ,2025-06-01,{n % 90},used" for n in range(rows)]
    headers = {"Authorization": f"Bearer {token}"}
    # One client for the upload and the polling: each bare httpx.get builds a TLS context
    # (about 30 ms of CPU), which at ten polls a second took a seventh of the two cores.
    with httpx.Client(base_url=base, headers=headers, timeout=600) as client:
        started = time.perf_counter()
        response = client.post(
            "/api/v1/declarations/bulk",
            files={"file": ("bench.csv", ("\n".join(lines) + "\n").encode(), "text/csv")},
        )
        response.raise_for_status()
        job_id = response.json()["job_id"]
        while True:
            job = client.get(f"/api/v1/jobs/{job_id}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    if job["accepted_rows"] != rows:
        raise SystemExit(f"bulk job accepted {job['accepted_rows']} of {rows}: {job}")
    return rows / elapsed


async def load(
    base: str, path: str, token: str, clients: int, seconds: float, body: Any
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    counter = iter(range(10**9))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            nonlocal errors
            headers = {"Authorization": f"Bearer {token}"}
            while time.perf_counter() < stop:
                payload = body(next(counter))
                began = time.perf_counter()
                try:
                    response = await client.post(path, json=payload, headers=headers)
                    failed = response.status_code >= 300
                except httpx.TimeoutException:  # counted: a request that took over 60 s
                    failed = True
                latencies.append(time.perf_counter() - began)
                errors += failed

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "per_second": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def declaration_body(n: int) -> dict[str, Any]:
    return {
        "vin": vin(10**8 + n),
        "origin": "CN",
        "destination": "KZ",
        "declaration_date": "2025-06-01",
        "declared_odometer_km": n % 90,
        "declared_condition": "used",
    }


def run_one(name: str, url: str, args: argparse.Namespace) -> None:
    token, _ = prepare(url)
    with tempfile.TemporaryDirectory() as tmp:
        log_dir = Path(tmp) / "log" if args.log else None
        process, base = start_server(url, log_dir)
        try:
            measure(name, base, token, args, log_dir)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still busy with requests left from the load
                process.kill()
                process.wait()


def logged(log_dir: Path) -> int:
    from zeromile.tlog.reader import LogReader

    return LogReader(log_dir).checkpoint().size


def measure(
    name: str, base: str, token: str, args: argparse.Namespace, log_dir: Path | None
) -> None:
    started = time.perf_counter()
    rate = bulk_ingest(base, token, args.bulk_rows)
    print(f"{name:10s} bulk ingest      {args.bulk_rows:>8d} rows  {rate:10.0f} decl/s")
    if log_dir is not None:
        while logged(log_dir) < args.bulk_rows:
            time.sleep(0.1)
        rate = args.bulk_rows / (time.perf_counter() - started)
        print(f"{name:10s} bulk in the log  {args.bulk_rows:>8d} rows  {rate:10.0f} decl/s")
    for label, path, body in (
        ("single POST", "/api/v1/declarations", declaration_body),
        ("bare insert", "/bench/bare", lambda n: {"vin": vin(n)}),
    ):
        figures = asyncio.run(load(base, path, token, args.clients, args.seconds, body))
        print(
            f"{name:10s} {label:16s} {figures['requests']:>8.0f} req   "
            f"{figures['per_second']:8.0f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
            f"p99 {figures['p99_ms']:7.1f} ms  errors {figures['errors']:.0f}"
        )
    if log_dir is not None:
        print(f"{name:10s} log size at the end: {logged(log_dir)} entries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per load phase")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--bulk-rows", type=int, default=20_000)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument(
        "--log", action="store_true", help="the server appends every decision to a log"
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--log-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.log_dir)
        return
    from zeromile.service import screening_adapter

    print(f"screening core present: {screening_adapter.available()}")
    print(
        f"{args.clients} clients, {args.seconds:.0f} s per phase, {os.cpu_count()} cores, "
        f"log {'on' if args.log else 'off'}"
    )
    for name in args.db.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                run_one("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args)
        else:
            server = make_url(os.environ.get("ZEROMILE_TEST_POSTGRES_URL", DEFAULT_PG))
            database = f"zeromile_bench_{secrets.token_hex(4)}"
            admin = create_engine(server, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{database}"'))
            try:
                run_one(
                    "postgres",
                    server.set(database=database).render_as_string(hide_password=False),
                    args,
                )
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
