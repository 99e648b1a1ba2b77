"""The FastAPI application factory: ``create_app(settings)``.

Nothing is created at import time; the app owns one :class:`ServiceContext`
built from the settings it is given (or a context the caller already opened,
as tests and benchmarks do).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import text

import zeromile
from zeromile.service import problems, screening_adapter
from zeromile.service.context import ServiceContext
from zeromile.service.limits import BodySizeLimit
from zeromile.service.routes import (
    auth,
    bodies,
    bulk,
    declarations,
    duties,
    exporters,
    log,
    reports,
    rules,
    stats,
    vehicles,
)
from zeromile.service.settings import Settings

API_PREFIX = "/api/v1"


class Health(BaseModel):
    status: str
    version: str
    database: str


def create_app(settings: Settings, *, context: ServiceContext | None = None) -> FastAPI:
    """Build the application; opens the database only when served (lifespan) if not given."""
    owns_context = context is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.context is None:
            app.state.context = ServiceContext.open(settings)
        await asyncio.to_thread(screening_adapter.warm_up)
        drainer = app.state.context.log_drainer
        drainer.start()
        try:
            yield
        finally:
            if owns_context and app.state.context is not None:
                app.state.context.close()  # stops the drainer, after the jobs
                app.state.context = None
            else:
                drainer.stop()

    app = FastAPI(
        title="zeromile",
        version=zeromile.__version__,
        summary="Supervision of used-vehicle exports: registry, inspections, declarations.",
        lifespan=lifespan,
    )
    app.state.context = context
    problems.install(app)
    app.add_middleware(
        BodySizeLimit,
        json_limit=settings.max_json_bytes,
        upload_limit=settings.max_request_bytes,
    )
    for module in (
        auth,
        exporters,
        bodies,
        reports,
        bulk,
        declarations,
        vehicles,
        stats,
        rules,
        log,
        duties,
    ):
        app.include_router(module.router, prefix=API_PREFIX)

    @app.get("/healthz", response_model=Health, tags=["health"])
    def healthz() -> Health:
        """Liveness and database reachability."""
        ctx: ServiceContext = app.state.context
        with ctx.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return Health(status="ok", version=zeromile.__version__, database=ctx.engine.dialect.name)

    return app
