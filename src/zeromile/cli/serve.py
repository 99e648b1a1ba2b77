"""``zeromile serve``: run the HTTP service under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default ZEROMILE_HOST or 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="TCP port (default ZEROMILE_PORT or 8000).")
    ] = None,
) -> None:
    """Serve the API; the embedded SQLite database is migrated on start-up."""
    import uvicorn

    from zeromile.service.app import create_app
    from zeromile.service.context import ServiceContext
    from zeromile.service.settings import Settings

    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    settings = Settings(**overrides)  # type: ignore[arg-type]
    context = ServiceContext.open(settings)  # migration errors surface before binding
    app = create_app(settings, context=context)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    finally:
        context.close()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
