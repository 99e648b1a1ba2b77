"""``zeromile vin``: explain VINs and chassis numbers (a rich table or JSON).

An invalid VIN is an answer, not an error: the command exits 0 and says what
is wrong. Only a missing argument is a usage error (exit 2).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zeromile.vin.explain import VinExplanation, explain_vin


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def _check_digit_line(exp: VinExplanation) -> str:
    if exp.check_digit_expected is None:
        return "-"
    verdict = "ok" if exp.check_digit_ok else "WRONG"
    need = "mandatory" if exp.check_digit_mandatory else "not mandatory"
    return f"found {exp.check_digit_found}, expected {exp.check_digit_expected}: {verdict} ({need})"


def _table(exp: VinExplanation) -> Table:
    title = exp.normalized or "(empty)"
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("kind", exp.vin_kind)
    if exp.vin_kind == "vin":
        table.add_row("WMI", _fmt(exp.wmi))
        table.add_row("manufacturer", _fmt(exp.wmi_manufacturer))
        table.add_row("make", _fmt(exp.wmi_makes))
        reliable = (
            "" if exp.wmi_country is None else f" (reliable: {_fmt(exp.wmi_country_reliable)})"
        )
        table.add_row("country", _fmt(exp.wmi_country) + reliable)
        table.add_row(
            "model year candidates", f"{_fmt(exp.year_candidates)} (code {exp.year_code})"
        )
        table.add_row("decoded model year", _fmt(exp.decoded_model_year))
        table.add_row("check digit", _check_digit_line(exp))
        table.add_row("WMI source", _fmt(exp.wmi_source))
    elif exp.vin_kind == "jp_chassis":
        table.add_row("note", "Japanese chassis number: not decoded, the vehicles table is used")
    problems = exp.problems()
    table.add_row("problems", "\n".join(problems) if problems else "none")
    table.add_row("findings", ", ".join(exp.finding_codes()) or "none")
    return table


def register(app: typer.Typer) -> None:
    """Add the ``vin`` command to the app."""

    @app.command("vin")
    def vin_command(
        vins: Annotated[list[str], typer.Argument(help="VINs or Japanese chassis numbers.")],
        make: Annotated[
            str | None, typer.Option("--make", help="Declared make, checked against the WMI.")
        ] = None,
        year: Annotated[
            int | None,
            typer.Option("--year", help="Declared model year, checked against position 10."),
        ] = None,
        registered_in: Annotated[
            str | None,
            typer.Option(
                "--registered-in",
                help="Registration country (ISO alpha-2); JP accepts chassis numbers.",
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON instead of tables.")
        ] = False,
    ) -> None:
        """Explain each VIN: maker, make, country, model year, check digit, problems."""
        explanations = [
            explain_vin(
                v, declared_make=make, declared_model_year=year, registration_country=registered_in
            )
            for v in vins
        ]
        if as_json:
            typer.echo(json.dumps([e.as_dict() for e in explanations], indent=2))
            return
        console = Console()
        for exp in explanations:
            console.print(_table(exp))
