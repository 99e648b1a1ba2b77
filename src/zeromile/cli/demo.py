"""``zeromile demo``: a small synthetic world, screened end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        out: Annotated[Path, typer.Option(help="Folder for the world and the results.")] = Path(
            "demo-out"
        ),
        scale: Annotated[
            float, typer.Option(help="World size; 1 is about a million declarations.")
        ] = 0.02,
        seed: Annotated[int, typer.Option(help="Seed of the synthetic world.")] = 2024,
        serve: Annotated[
            bool, typer.Option(help="Seed the service's store with the world and serve it.")
        ] = True,
        port: Annotated[int, typer.Option(help="Port of the demo server.")] = 8000,
    ) -> None:
        """Generate a small synthetic world, screen it and print what was found."""
        import pyarrow.parquet as pq

        from zeromile.cli.screen import render_summary
        from zeromile.screening import Screening
        from zeromile.screening.standard import standard_extensions
        from zeromile.synth import WorldConfig, generate_world, write_world
        from zeromile.synth.evaluation import evaluate

        world = generate_world(WorldConfig(scale=scale, seed=seed))
        write_world(world, out, "parquet")
        console.print(f"synthetic world (seed {seed}, scale {scale}) written to {out}/dossier")
        decisions = out / "decisions.parquet"
        run = Screening.open(out / "dossier")
        try:
            with console.status("screening"):
                run.screen(extensions=standard_extensions())
            run.write_decisions(decisions)
            run.write_rejects(out / "decisions.rejects.csv")
            summary = run.summary()
        finally:
            run.close()
        (out / "decisions.summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        render_summary(summary)
        result = evaluate(pq.read_table(decisions), pq.read_table(out / "truth.parquet"))
        score = result.score.confusion
        console.print(
            f"against the world's ground truth: zero-mileage score at threshold "
            f"{result.score.threshold} has precision {score.precision:.3f}, recall {score.recall:.3f}"
        )
        console.print(
            f"[bold]decisions:[/] {decisions}  (summary: {out / 'decisions.summary.json'})"
        )
        if serve:
            _serve_world(out, decisions, port)


def _serve_world(out: Path, decisions: Path, port: int) -> None:
    """Load the world into a fresh embedded store, print the demo accounts, serve."""
    import datetime as dt

    import uvicorn

    from zeromile.service.app import create_app
    from zeromile.service.context import ServiceContext
    from zeromile.service.demo import seed
    from zeromile.service.settings import Settings

    data_dir = out / "service"
    for stale in data_dir.glob("zeromile.sqlite3*"):
        stale.unlink()
    settings = Settings(data_dir=data_dir, host="127.0.0.1", port=port)
    context = ServiceContext.open(settings)
    with console.status("loading the world into the service"):
        accounts = seed(context, out / "dossier", decisions, today=dt.date.today())
    console.print("[bold]demo accounts[/] (role, name, password, API token):")
    for account in accounts:
        console.print(
            f"  {account.role.value:10s} {account.name:16s} {account.password}  {account.token}"
        )
    console.print(f"[bold]serving[/] http://127.0.0.1:{port}/docs  (Ctrl-C to stop)")
    try:
        uvicorn.run(create_app(settings, context=context), host="127.0.0.1", port=port)
    finally:
        context.close()
