"""`zeromile demo`'s seeding: a small synthetic world loaded into the service store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from zeromile.screening import Screening
from zeromile.screening.standard import standard_extensions
from zeromile.service.app import create_app
from zeromile.service.context import ServiceContext
from zeromile.service.demo import seed
from zeromile.service.models import Declaration, Exporter
from zeromile.service.settings import Settings
from zeromile.synth import WorldConfig, generate_world, write_world


def test_world_is_loaded_with_one_account_per_role(tmp_path: Path) -> None:
    world = generate_world(WorldConfig(scale=0.0005, seed=7))
    write_world(world, tmp_path, "parquet")
    decisions = tmp_path / "decisions.parquet"
    run = Screening.open(tmp_path / "dossier")
    try:
        run.screen(extensions=standard_extensions())
        run.write_decisions(decisions)
    finally:
        run.close()
    settings = Settings(data_dir=tmp_path / "service")
    context = ServiceContext.open(settings)
    try:
        accounts = seed(context, tmp_path / "dossier", decisions, today=dt.date(2026, 1, 1))
        assert sorted(a.role.value for a in accounts) == sorted(
            ["admin", "regulator", "exporter", "inspector", "public"]
        )
        with context.sessions() as session:
            declared = session.scalar(select(func.count()).select_from(Declaration))
            decided = session.scalar(
                select(func.count())
                .select_from(Declaration)
                .where(Declaration.verdict.is_not(None))
            )
            licensed = session.scalar(
                select(func.count()).select_from(Exporter).where(Exporter.status != "unknown")
            )
        assert declared == world.tables["declarations"].num_rows
        assert declared and decided == declared
        assert licensed
        regulator = next(a for a in accounts if a.role.value == "regulator")
        with TestClient(create_app(settings, context=context)) as client:
            page = client.get(
                "/api/v1/declarations",
                params={"limit": 3},
                headers={"Authorization": f"Bearer {regulator.token}"},
            ).json()
            assert len(page["items"]) == 3
            vin = page["items"][0]["vin"]
            timeline = client.get(
                f"/api/v1/vehicles/{vin}", headers={"Authorization": f"Bearer {regulator.token}"}
            ).json()
            assert any(e["kind"] == "declaration" for e in timeline["events"])
    finally:
        context.close()
