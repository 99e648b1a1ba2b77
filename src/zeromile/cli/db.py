"""``zeromile db``: migrate the service's database schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(help="Manage the service database schema (Alembic migrations).")


def _engine() -> Engine:
    from zeromile.service.db import make_engine
    from zeromile.service.settings import Settings

    return make_engine(Settings().resolved_database_url())


@db_app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from zeromile.service import migrate

    engine = _engine()
    try:
        migrate.upgrade(engine, revision)
        typer.echo(
            f"database at {migrate.current_revision(engine)} ({engine.url.render_as_string()})"
        )
    finally:
        engine.dispose()


@db_app.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision ('base' empties it).")],
) -> None:
    """Revert migrations down to REVISION."""
    from zeromile.service import migrate

    engine = _engine()
    try:
        migrate.downgrade(engine, revision)
        typer.echo(f"database at {migrate.current_revision(engine) or 'base'}")
    finally:
        engine.dispose()


@db_app.command("current")
def current() -> None:
    """Print the database's revision and the newest one shipped."""
    from zeromile.service import migrate

    engine = _engine()
    try:
        typer.echo(f"current: {migrate.current_revision(engine) or 'base'}")
        typer.echo(f"head:    {migrate.head_revision()}")
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
