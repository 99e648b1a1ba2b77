"""``zeromile rules``: list, show, check and explain the rulebook.

Thin layer: parse arguments, call ``zeromile.rules``, render with rich.
DuckDB is imported only by ``explain``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from zeromile.errors import RulebookError

rules_app = typer.Typer(
    help="The rulebook: cited, dated export and import rules.", no_args_is_help=True
)
console = Console()

RootOption = Annotated[
    Path | None,
    typer.Option("--path", help="Rulebook folder to use instead of the packaged rules."),
]


def register(app: typer.Typer) -> None:
    """Add the ``rules`` command group to the ``zeromile`` app."""
    app.add_typer(rules_app, name="rules")


def _load(path: Path | None) -> Any:
    from zeromile.rules import Rulebook

    if path is not None and not path.is_dir():
        raise RulebookError(f"{path}: not a folder of rule files")
    return Rulebook.load(path)


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, got {text!r}") from exc


@rules_app.command("list")
def list_rules(
    on: Annotated[
        str | None, typer.Option("--on", help="Only rules in force on this date.")
    ] = None,
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="Only this jurisdiction (e.g. JP).")
    ] = None,
    path: RootOption = None,
) -> None:
    """List rules with their dates, action and confidence."""
    book = _load(path)
    day = _parse_date(on)
    if day is not None:
        book = book.in_force(on=day)
    if jurisdiction:
        book = book.for_jurisdiction(jurisdiction)
    console.print(
        f"rulebook {book.version} ({len(book.rules)} rules)", highlight=False, soft_wrap=True
    )
    for rule in book.rules:
        prov = rule.provenance
        until = prov.effective_to.isoformat() if prov.effective_to else "open"
        console.print(
            f"[bold]{rule.id}[/]  {rule.side}  {prov.effective_from}..{until}  "
            f"{rule.action}/{rule.code}  {prov.confidence}  {rule.title}",
            soft_wrap=True,
            highlight=False,
        )


@rules_app.command("show")
def show_rule(
    rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. JP-EXP-RU-ENGINE.")],
    path: RootOption = None,
) -> None:
    """Show one rule in full, with its instrument and sources."""
    book = _load(path)
    rule = book.get(rule_id)
    prov = rule.provenance
    lines = [
        f"[bold]{rule.id}[/]  {rule.title}",
        f"jurisdiction {rule.jurisdiction}, {rule.side} side (keys on {rule.key_column})",
        f"flow: {'/'.join(rule.origins) or 'any'} -> {'/'.join(rule.destinations) or 'any'}",
        f"in force: {prov.effective_from} .. {prov.effective_to or 'open'}"
        f" (known to the {rule.date_precision})",
        f"instrument: {prov.instrument.name}"
        + (f" ({prov.instrument.number})" if prov.instrument.number else ""),
        f"confidence: {prov.confidence}",
        f"action: {rule.action} with code {rule.code}",
        f"condition: {rule.condition.strip()}",
    ]
    if rule.params:
        lines.append("thresholds: " + ", ".join(f"{k}={v}" for k, v in rule.params.items()))
    if rule.ambiguous_when:
        lines.append(f"ambiguous when: {rule.ambiguous_when.strip()}")
    if rule.ambiguity:
        lines.append(f"conflict: {rule.ambiguity.strip()}")
    if rule.notes:
        lines.append(f"notes: {rule.notes.strip()}")
    lines.append(f"file: {book.files.get(rule.id, '?')}")
    lines.append("sources:")
    lines.extend(f"  {s}" for s in prov.sources)
    for line in lines:
        console.print(line, soft_wrap=True, highlight=False)


@rules_app.command("check")
def check(path: RootOption = None) -> None:
    """Validate every rule file; exit 1 naming file, rule id and field of each problem."""
    import sqlglot
    from sqlglot.errors import SqlglotError

    book = _load(path)
    sql = book.findings_sql("features")
    try:
        sqlglot.transpile(sql, read="duckdb", write="spark")
    except SqlglotError as exc:
        raise RulebookError(f"findings SQL does not transpile to Spark SQL: {exc}") from exc
    console.print(
        f"ok: {len(book.rules)} rules in {len({r.jurisdiction for r in book.rules})} "
        f"jurisdictions, {len(book.brand_lists)} brand list(s), version {book.version}",
        highlight=False,
    )


@rules_app.command("explain")
def explain_cmd(
    declaration_id: Annotated[
        str | None, typer.Argument(help="Declaration to explain when FILE holds several rows.")
    ] = None,
    features: Annotated[
        Path | None,
        typer.Option("--features", help="JSON file: one features row or a list of rows."),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list rules not applicable or not in force.")
    ] = False,
    path: RootOption = None,
) -> None:
    """Which rules were considered for a declaration and why each did or did not fire."""
    from zeromile.rules import Status, explain
    from zeromile.rules._duckdb import run_on_row
    from zeromile.rules.explain import verdict

    if features is None:
        raise RulebookError("explain needs --features FILE (a features row as JSON)")
    row = _pick_row(features, declaration_id)
    book = _load(path)
    console.print(
        f"declaration {row.get('declaration_id')} / rulebook {book.version}",
        highlight=False,
        soft_wrap=True,
    )
    hidden = 0
    items = explain(book, row, run_on_row)
    for item in items:
        if not show_all and item.status in (Status.NOT_APPLICABLE, Status.NOT_IN_FORCE):
            hidden += 1
            continue
        values = ", ".join(f"{k}={v}" for k, v in item.values.items())
        console.print(f"[bold]{item.rule_id}[/]: {item.status}", highlight=False)
        console.print(f"  why: {item.reason}", soft_wrap=True, highlight=False)
        if values:
            console.print(f"  values: {values}", soft_wrap=True, highlight=False)
    if hidden:
        console.print(f"{hidden} rule(s) not applicable to this flow or not in force (--all).")
    console.print(f"[bold]verdict: {verdict(items)}[/]", highlight=False)
    for item in items:
        if item.status in (Status.FIRED, Status.AMBIGUOUS, Status.MISSING_FEATURE):
            prov = item.rule.provenance
            number = f" ({prov.instrument.number})" if prov.instrument.number else ""
            console.print(
                f"  {item.rule_id}: {prov.instrument.name}{number}, in force from "
                f"{prov.effective_from}, source {prov.sources[0]}",
                soft_wrap=True,
                highlight=False,
            )


def _pick_row(path: Path, declaration_id: str | None) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulebookError(f"{path}: cannot read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise RulebookError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    rows = data if isinstance(data, list) else [data]
    if not all(isinstance(r, dict) for r in rows) or not rows:
        raise RulebookError(f"{path}: expected a JSON object or a list of objects")
    if declaration_id is None:
        if len(rows) > 1:
            raise RulebookError(f"{path}: {len(rows)} rows; name the DECLARATION_ID to explain")
        return dict(rows[0])
    for row in rows:
        if row.get("declaration_id") == declaration_id:
            return dict(row)
    raise RulebookError(f"{path}: no row with declaration_id {declaration_id!r}")
