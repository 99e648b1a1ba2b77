"""The ``zeromile`` command: one Typer app, one error trap.

Each command group lives in its own module under ``zeromile.cli`` and exposes
``register(app)``; :data:`COMMAND_MODULES` lists them. Domain errors become a
clear message and an exit code; the traceback only with ``--verbose``.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Annotated

import typer
from rich.console import Console

from zeromile.errors import StrictRejectError, ZeromileError

COMMAND_MODULES: tuple[str, ...] = (
    "db",
    "demo",
    "log",
    "rules",
    "screen",
    "serve",
    "stats",
    "users",
    "vin",
    "synth",
    "duties",
)

err_console = Console(stderr=True)
app = typer.Typer(
    name="zeromile",
    help="Supervise used-vehicle exports: identity, zero-mileage, rules, duties, proofs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

_state = {"verbose": False}
_registered: list[bool] = []  # non-empty once the command modules are registered


@app.callback()
def _root(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log progress and show tracebacks on errors.")
    ] = False,
) -> None:
    _state["verbose"] = verbose
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


def build_app() -> typer.Typer:
    """Register every command module on the app (idempotent)."""
    if not _registered:
        for name in COMMAND_MODULES:
            importlib.import_module(f"zeromile.cli.{name}").register(app)
        _registered.append(True)
    return app


def exit_code_for(exc: ZeromileError) -> int:
    """Exit 2 for strict rejects (the data failed), 1 for every other domain error."""
    return 2 if isinstance(exc, StrictRejectError) else 1


def main(argv: list[str] | None = None) -> None:
    """Console entry point with the single top-level error trap.

    Click handles usage errors itself (exit 2); domain errors are caught here.
    """
    cli = build_app()
    try:
        cli(args=argv)
    except ZeromileError as exc:
        if _state["verbose"]:
            err_console.print_exception()
        err_console.print("[bold red]error:[/]", end=" ")
        # The message is printed as-is: paths must not wrap nor read as markup.
        err_console.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        sys.exit(exit_code_for(exc))
