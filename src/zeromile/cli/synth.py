"""``zeromile generate`` and ``zeromile evaluate``: the synthetic world and its scoring."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()


class OutputFormat(StrEnum):
    """File format of the dossier tables."""

    parquet = "parquet"
    csv = "csv"


def generate(
    out: Annotated[
        Path,
        typer.Option("--out", help="Folder to write dossier/, truth.parquet and world.json into."),
    ],
    scale: Annotated[float, typer.Option(help="1 is about one million declarations.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Same seed, same files.")] = 0,
    file_format: Annotated[
        OutputFormat, typer.Option("--format", help="Dossier file format.")
    ] = OutputFormat.parquet,
    malformed_rate: Annotated[
        float, typer.Option(help="Share of declarations written malformed (0-0.2).")
    ] = 0.0,
) -> None:
    """Generate a synthetic world of used-vehicle exports with its ground truth."""
    from zeromile.synth import WorldConfig, generate_world, write_world

    started = time.perf_counter()
    config = WorldConfig(
        scale=scale, seed=seed, malformed_rate=malformed_rate, file_format=file_format.value
    )
    world = generate_world(config)
    write_world(world, out, file_format.value)
    rows = world.summary["rows"]
    console.print(
        f"wrote {rows['declarations']:,} declarations "
        f"({', '.join(f'{k} {v:,}' for k, v in rows.items() if k != 'declarations')}) "
        f"to {out} in {time.perf_counter() - started:.1f} s"
    )


def evaluate(
    decisions: Annotated[Path, typer.Argument(help="Decisions (.parquet, .csv or .jsonl).")],
    truth: Annotated[Path, typer.Argument(help="truth.parquet of a generated world.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Precision and recall of decisions against a generated world's ground truth."""
    from zeromile.synth.evaluation import evaluate as run
    from zeromile.synth.io import read_table

    result = run(read_table(decisions), read_table(truth))
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
        return
    table = Table(title=f"Findings ({result.evaluated_rows:,} well-formed declarations)")
    for col in ("finding", "TP", "FP", "FN", "precision", "recall"):
        table.add_column(col, justify="left" if col == "finding" else "right")

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    for code, c in result.findings.items():
        table.add_row(code, f"{c.tp:,}", f"{c.fp:,}", f"{c.fn:,}", pct(c.precision), pct(c.recall))
    console.print(table)
    s = result.score
    threshold = "-" if s.threshold is None else f"{s.threshold:.4f}"
    console.print(
        f"zero_mileage_score vs is_zero_mileage_car ({s.scored:,} scored): at its best-F1 "
        f"threshold {threshold}, precision {pct(s.confusion.precision)}, recall "
        f"{pct(s.confusion.recall)}, F1 {pct(s.confusion.f1)}; average precision "
        f"{pct(s.average_precision)}"
    )
    z = result.zero_mileage_finding_vs_car
    console.print(
        f"ZERO_MILEAGE finding vs is_zero_mileage_car: precision {pct(z.precision)}, "
        f"recall {pct(z.recall)}"
    )
    console.print(
        f"missing decisions {result.missing_decisions:,}; "
        f"unknown ids {result.unknown_decisions:,}; "
        f"malformed rows rejected {result.malformed_rejected:,} of {result.malformed_rows:,}"
    )


def register(app: typer.Typer) -> None:
    """Add ``generate`` and ``evaluate`` to the ``zeromile`` command."""
    app.command("generate")(generate)
    app.command("evaluate")(evaluate)
