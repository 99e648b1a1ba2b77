"""``zeromile users``: create service accounts and print their token once."""

from __future__ import annotations

from typing import Annotated

import typer

users_app = typer.Typer(help="Manage service accounts.")


@users_app.command("create")
def create(
    role: Annotated[str, typer.Option(help="admin, regulator, exporter, inspector or public.")],
    name: Annotated[str, typer.Option(help="Unique account name (also the login name).")],
    exporter: Annotated[
        str | None, typer.Option("--exporter", help="Exporter id (role exporter).")
    ] = None,
    inspector_body: Annotated[
        str | None, typer.Option("--inspector-body", help="Inspection body id (role inspector).")
    ] = None,
) -> None:
    """Create an account; its API token and password are printed once."""
    from zeromile.errors import InvalidInputError
    from zeromile.service.context import ServiceContext
    from zeromile.service.policy import Role
    from zeromile.service.settings import Settings
    from zeromile.service.users import create_user

    try:
        parsed_role = Role(role)
    except ValueError as exc:
        choices = ", ".join(r.value for r in Role)
        raise InvalidInputError(f"--role {role!r} is not one of: {choices}") from exc
    context = ServiceContext.open(Settings())
    try:
        with context.tx() as session:
            account = create_user(
                session,
                name=name,
                role=parsed_role,
                actor=None,
                exporter_id=exporter,
                inspection_body_id=inspector_body,
            )
    finally:
        context.close()
    typer.echo(f"user_id:  {account.user_id}")
    typer.echo(f"role:     {account.role.value}")
    typer.echo(f"token:    {account.token}")
    typer.echo(f"password: {account.password}")
    typer.echo("Store the token now: it is not shown again.", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
