"""``zeromile screen``: screen a dossier and write the decisions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

console = Console()

#: The engine's default memory limit: with what the engine holds beyond it,
#: a screening stays under 4 GiB of resident memory at any scale
#: (docs/screening-performance.md).
MEMORY_LIMIT = "2.5GB"


def _default_rejects(out: Path) -> Path:
    return out.with_name(f"{out.stem}.rejects.csv")


def register(app: typer.Typer) -> None:
    @app.command("screen")
    def screen(
        dossier: Annotated[
            Path, typer.Argument(help="Dossier folder of <table>.csv/.parquet files.")
        ],
        out: Annotated[
            Path, typer.Option("--out", "-o", help="Decisions file: .parquet, .csv or .jsonl.")
        ],
        rejects: Annotated[
            Path | None, typer.Option(help="Rejects file (CSV); default <out stem>.rejects.csv.")
        ] = None,
        as_of: Annotated[
            str | None,
            typer.Option("--as-of", help="Use only evidence known on this date (YYYY-MM-DD)."),
        ] = None,
        strict: Annotated[
            bool, typer.Option(help="Any rejected row fails the run (exit 2).")
        ] = False,
        summary_json: Annotated[
            Path | None,
            typer.Option("--summary", help="Summary JSON; default <out stem>.summary.json."),
        ] = None,
        threads: Annotated[
            int | None, typer.Option(help="Engine threads (default: all cores).")
        ] = None,
        memory_limit: Annotated[
            str, typer.Option(help="Engine memory limit; beyond it the engine spills to disk.")
        ] = MEMORY_LIMIT,
        rules: Annotated[
            bool, typer.Option("--rules/--no-rules", help="Apply the rulebook (default on).")
        ] = True,
        duties: Annotated[
            bool, typer.Option("--duties/--no-duties", help="Compute duties (default on).")
        ] = True,
        log: Annotated[
            Path | None,
            typer.Option("--log", help="Append every decision to this transparency log."),
        ] = None,
        log_private: Annotated[
            Path | None, typer.Option(help="The log's private folder (default <log>.private).")
        ] = None,
    ) -> None:
        """Screen every declaration of DOSSIER: verdict, findings and evidence."""
        from zeromile.engines.duckdb_engine import DuckDBEngine
        from zeromile.screening import Screening
        from zeromile.screening.standard import standard_extensions

        cut = _parse_date(as_of) if as_of else None
        if out.suffix.lower() not in {".parquet", ".csv", ".jsonl"}:
            raise typer.BadParameter("use a .parquet, .csv or .jsonl file", param_hint="--out")
        out.parent.mkdir(parents=True, exist_ok=True)
        rejects_path = rejects or _default_rejects(out)
        summary_path = summary_json or out.with_name(f"{out.stem}.summary.json")
        engine = DuckDBEngine(threads=threads, memory_limit=memory_limit)
        run = Screening.open(dossier, engine=engine)
        try:
            run.write_rejects(rejects_path)
            if strict:
                run.fail_if_rejected()
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("screening", total=None)

                def step(name: str, i: int, n: int) -> None:
                    bar.update(task, total=n, completed=i - 1, description=f"screening: {name}")

                run.screen(
                    as_of=cut,
                    progress=step,
                    extensions=standard_extensions(rules=rules, duties=duties),
                )
            run.write_decisions(out)
            summary = run.summary()
            if log is not None:
                from zeromile.tlog.publish import append_decisions

                indices = append_decisions(log, run.iter_decisions(), private_dir=log_private)
                summary["log"] = {"dir": str(log), "entries_touched": len(indices)}
            summary_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        finally:
            run.close()
        render_summary(summary)
        console.print(f"decisions: {out}\nrejects:   {rejects_path}\nsummary:   {summary_path}")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(
            f"expected YYYY-MM-DD, got {text!r}", param_hint="--as-of"
        ) from exc


def render_summary(summary: dict[str, Any], *, top: int = 10) -> None:
    """Print the screening summary as terminal tables."""
    c = summary["counts"]
    console.print(
        f"[bold]declarations in {c['declarations_in']:,}[/] = decided {c['decided']:,} "
        f"+ rejected {c['rejected']:,}   (evidence rows rejected: {c['evidence_rows_rejected']:,})"
    )
    sections = [
        ("Verdicts", "by_verdict", ("verdict", "n")),
        ("Findings", "by_finding", ("code", "n")),
        (
            "Zero-mileage share by origin",
            "zero_mileage_by_origin",
            ("origin", "n", "zero_mileage", "share"),
        ),
        ("Top flows", "by_flow", ("origin", "destination", "n", "zero_mileage")),
        (
            "Zero-mileage by origin region",
            "zero_mileage_by_origin_region",
            ("origin", "origin_region", "n", "zero_mileage", "share"),
        ),
    ]
    for title, key, cols in sections:
        rows = summary.get(key, [])
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        for col in cols:
            table.add_column(
                col, justify="right" if col in {"n", "zero_mileage", "share"} else "left"
            )
        for row in rows[:top]:
            table.add_row(*(_fmt(row.get(col)) for col in cols))
        console.print(table)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)
