"""``zeromile duties``: duty lines and totals for a features file, comparisons, one-car quotes.

    zeromile duties --features F.parquet --out lines.parquet [--on DATE] [--fx RATES.csv]
    zeromile duties --features F.parquet --on 2025-09-15 --vs 2025-09-16
    zeromile duties quote --destination US --origin-of-goods JP --on 2025-09-16 \\
        --value 30000 --currency USD --fuel petrol --engine-cc 2500
    zeromile duties check            validate the schedules
    zeromile duties docs --out docs/duties.md

Heavy imports (DuckDB, pyarrow) happen inside the commands.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from zeromile.errors import DutyError

if TYPE_CHECKING:
    import pyarrow as pa

    from zeromile.duties import FxRate, QuotaUsage, Schedules

console = Console()

_FX_HELP = "Exchange rates CSV (date,currency,per_eur); default: the shipped ECB table."
_QUOTA_HELP = "Units of a quota used earlier in a year, QUOTA_ID:YEAR=UNITS (repeatable)."
_SCHED_HELP = "Folder of schedules (<IMPORTER>/*.yaml); default: the package's."


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DutyError(f"{option}: expected a date YYYY-MM-DD, got {value!r}") from exc


def _quota_usage(values: list[str] | None) -> QuotaUsage:
    usage: dict[tuple[str, int], int] = {}
    for value in values or []:
        try:
            key, units = value.split("=", 1)
            quota_id, year = key.rsplit(":", 1)
            usage[(quota_id, int(year))] = int(units)
        except ValueError as exc:
            raise DutyError(f"--quota-used: expected QUOTA_ID:YEAR=UNITS, got {value!r}") from exc
    return usage


def _fx(path: Path | None) -> list[FxRate] | None:
    from zeromile.duties import parse_fx_csv

    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DutyError(f"{path}: cannot read exchange rates: {exc.strerror}") from exc
    return parse_fx_csv(text, name=str(path))


def _schedules(folder: Path | None) -> Schedules:
    from zeromile.duties import Schedules

    return Schedules.load(folder)


def write_table(table: pa.Table, path: Path) -> None:
    """Write an Arrow table as Parquet, CSV or JSON lines, chosen by suffix."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            pq.write_table(table, path)
        elif suffix == ".csv":
            pacsv.write_csv(table, path)
        elif suffix == ".jsonl":
            with path.open("w", encoding="utf-8") as handle:
                for row in table.to_pylist():
                    handle.write(json.dumps(row, default=str) + "\n")
        else:
            raise DutyError(
                f"{path}: unknown output format {suffix!r} (use .parquet, .csv, .jsonl)"
            )
    except OSError as exc:
        raise DutyError(f"{path}: cannot write: {exc.strerror}") from exc


def _sibling(path: Path, part: str) -> Path:
    return path.with_name(f"{path.stem}.{part}{path.suffix}")


def _print_table(title: str, table: pa.Table, limit: int = 40) -> None:
    view = Table(title=title)
    for name in table.column_names:
        view.add_column(name)
    for row in table.slice(0, limit).to_pylist():
        view.add_row(*("" if v is None else str(v) for v in row.values()))
    Console(width=max(console.width, 200)).print(view)
    if table.num_rows > limit:
        console.print(f"... {table.num_rows - limit} more rows")


def _main(
    ctx: typer.Context,
    features: Annotated[
        Path | None, typer.Option("--features", help="Features file (.parquet, .csv, .jsonl).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Duty lines file; totals and findings go beside it."),
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="Price every car on this date.")] = None,
    vs: Annotated[str | None, typer.Option("--vs", help="Compare totals with this date.")] = None,
    fx: Annotated[Path | None, typer.Option("--fx", help=_FX_HELP)] = None,
    quota_used: Annotated[list[str] | None, typer.Option("--quota-used", help=_QUOTA_HELP)] = None,
    schedules: Annotated[Path | None, typer.Option("--schedules", help=_SCHED_HELP)] = None,
    vs_schedules: Annotated[
        Path | None,
        typer.Option("--vs-schedules", help="Compare with another version of the schedules."),
    ] = None,
) -> None:
    """Duty lines and totals per declaration of a features file, or a comparison.

    Compare two dates (--on D1 --vs D2) or two schedule versions (--vs-schedules DIR).
    """
    if ctx.invoked_subcommand is not None:
        return
    if features is None:
        console.print(ctx.get_help())
        raise typer.Exit(2)
    from zeromile.duties import _duckdb

    loaded = _schedules(schedules)
    usage = _quota_usage(quota_used)
    con = _duckdb.connect(_fx(fx))
    try:
        _duckdb.bind_features_file(con, features)
        on_date, vs_date = _date(on, "--on"), _date(vs, "--vs")
        if vs_date is not None or vs_schedules is not None:
            if vs_date is not None and on_date is None:
                raise DutyError("--vs needs --on: compare the totals on one date with another")
            other = _schedules(vs_schedules) if vs_schedules is not None else None
            flows = _duckdb.compare(
                con,
                loaded,
                on=on_date,
                vs=vs_date if vs_date is not None else on_date,
                vs_schedules=other,
                quota_usage=usage,
            )
            title = (
                f"on {on_date} vs {vs_date}" if vs_date else f"{loaded.version} vs {vs_schedules}"
            )
            _print_table(f"Duty by flow, {title}", flows)
            if out is not None:
                write_table(flows, out)
            return
        result = _duckdb.run(con, loaded, on=on_date, quota_usage=usage)
    finally:
        con.close()
    if out is not None:
        write_table(result.lines, out)
        write_table(result.totals, _sibling(out, "totals"))
        write_table(result.findings, _sibling(out, "findings"))
        console.print(
            f"{result.lines.num_rows} duty lines, {result.totals.num_rows} declarations priced,"
            f" {result.findings.num_rows} findings -> {out} (schedules {loaded.version})"
        )
    else:
        _print_table("Duty totals", result.totals)
        _print_table("Findings", result.findings)


def quote_command(
    destination: Annotated[str, typer.Option("--destination", help="Importing country.")],
    on: Annotated[str, typer.Option("--on", help="Entry date YYYY-MM-DD.")],
    origin_of_goods: Annotated[
        str | None, typer.Option("--origin-of-goods", help="Country of manufacture.")
    ] = None,
    value: Annotated[float | None, typer.Option("--value", help="Customs value.")] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="ISO 4217 code.")] = None,
    fuel: Annotated[str | None, typer.Option("--fuel")] = None,
    engine_cc: Annotated[int | None, typer.Option("--engine-cc")] = None,
    power_kw: Annotated[float | None, typer.Option("--power-kw")] = None,
    body: Annotated[str, typer.Option("--body")] = "passenger",
    condition: Annotated[str | None, typer.Option("--condition", help="new or used.")] = None,
    make: Annotated[str | None, typer.Option("--make")] = None,
    model_year: Annotated[int | None, typer.Option("--model-year")] = None,
    importer_kind: Annotated[
        str | None, typer.Option("--importer-kind", help="legal_entity or individual.")
    ] = None,
    fx: Annotated[Path | None, typer.Option("--fx", help=_FX_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What one car pays on a date: each duty line with its instrument and source."""
    from zeromile.duties import quote

    row: dict[str, Any] = {
        "destination": destination.upper(),
        "origin_of_goods": origin_of_goods.upper() if origin_of_goods else None,
        "declared_value": value,
        "currency": currency.upper() if currency else None,
        "fuel": fuel,
        "engine_cc": engine_cc,
        "power_kw": power_kw,
        "body": body,
        "declared_condition": condition,
        "make": make,
        "model_year": model_year,
        "importer_kind": importer_kind,
    }
    result = quote(row, _date(on, "--on"), fx=_fx(fx))
    if as_json:
        payload = {
            "total": result.total,
            "currency": result.currency,
            "lines": result.lines,
            "findings": result.findings,
        }
        console.print_json(json.dumps(payload, default=str))
        return
    console.print(f"Duty into {destination.upper()} on {on}:")
    for line in result.lines:
        console.print(
            f"  {line['layer']:<15} {line['rule_id']:<34} {line['component']:<22}"
            f" rate {line['rate']} base {line['base']} -> {line['amount']:,.2f} {line['currency']}",
            soft_wrap=True,
        )
        console.print(f"      {line['instrument']}; {line['source']}", soft_wrap=True)
    total = "not computable" if result.total is None else f"{result.total:,.2f} {result.currency}"
    console.print(f"Total: {total}")
    for finding in result.findings:
        console.print(
            f"[yellow]{finding['code']}[/] ({finding['severity']}) {finding['rule_id']}: "
            f"{finding['evidence']}"
        )


def check_command(
    schedules: Annotated[Path | None, typer.Option("--schedules", help=_SCHED_HELP)] = None,
) -> None:
    """Validate the tariff schedules (file, rule id and field on error)."""
    loaded = _schedules(schedules)
    lines = sum(len(s.lines) for s in loaded)
    console.print(f"{len(loaded.schedules)} schedules, {lines} lines, version {loaded.version}: ok")


def docs_command(
    out: Annotated[Path, typer.Option("--out", help="Markdown file to write.")] = Path(
        "docs/duties.md"
    ),
) -> None:
    """Regenerate the schedule tables of docs/duties.md from the data."""
    from zeromile.duties.docs import render_markdown

    out.write_text(render_markdown(_schedules(None)), encoding="utf-8")
    console.print(f"wrote {out}")


def register(app: typer.Typer) -> None:
    """Add the ``duties`` command group."""
    group = typer.Typer(
        name="duties",
        help="Duties and tariffs: lines, totals, comparisons and quotes.",
        invoke_without_command=True,
        no_args_is_help=False,
    )
    group.callback()(_main)
    group.command("quote")(quote_command)
    group.command("check")(check_command)
    group.command("docs")(docs_command)
    app.add_typer(group)
