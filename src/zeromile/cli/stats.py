"""``zeromile stats --log DIR``: screening statistics bound to a log checkpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from zeromile.errors import LogError, VerificationError


def stats_cmd(
    log: Annotated[Path, typer.Option("--log", help="Log directory to compute from.")],
    verify: Annotated[
        Path | None, typer.Option("--verify", help="A published statistics file to check.")
    ] = None,
    vkey: Annotated[
        str | None,
        typer.Option("--vkey", help="Verifier key or file (default: <DIR>.private/vkey)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Summarise the log's entries at its checkpoint, or check a published summary."""
    from zeromile.cli.log import verifier_for
    from zeromile.tlog.checkpoint import open_checkpoint
    from zeromile.tlog.proofs import check_consistency
    from zeromile.tlog.reader import LogReader
    from zeromile.tlog.stats import bind, compare, summarize

    reader = LogReader(log)
    verifier = verifier_for(log, vkey)
    if verify is None:
        note = reader.checkpoint_text()
        checkpoint = open_checkpoint(note, verifier)
        result = bind(summarize(reader.entries(checkpoint.size)), checkpoint, note)
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else _render(result))
        return
    try:
        published = json.loads(verify.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LogError(f"{verify}: not a readable statistics file: {exc}") from exc
    if not isinstance(published, dict) or not isinstance(published.get("checkpoint"), str):
        raise VerificationError(f"{verify}: lacks the signed 'checkpoint' it was computed at")
    consistency = check_consistency(reader, published["checkpoint"], verifier)
    size = consistency.old.size
    if published.get("tree_size") != size:
        raise VerificationError(
            f"{verify}: claims tree size {published.get('tree_size')!r}, its checkpoint says {size}"
        )
    diffs = compare(published, summarize(reader.entries(size)))
    if diffs:
        raise VerificationError(
            f"{verify}: {len(diffs)} figure(s) differ from the log at size {size}:\n  "
            + "\n  ".join(diffs)
        )
    typer.echo(
        f"CONFIRMED: {verify} matches the {size} logged entries of {consistency.old.origin}; "
        f"the log (now size {consistency.new.size}) is consistent with that checkpoint"
    )


def _render(result: dict[str, Any]) -> str:
    lines = [
        f"log {result['origin']} at size {result['tree_size']} (root {result['root']})",
        f"entries {result['entries']}, superseded {result['superseded']}, "
        f"declarations {result['declarations']}",
        "by verdict: " + ", ".join(f"{k} {v}" for k, v in result["by_verdict"].items()),
        "by finding: " + ", ".join(f"{k} {v}" for k, v in result["by_finding"].items()),
        "by flow: " + ", ".join(f"{k} {v}" for k, v in result["by_flow"].items()),
        "zero-mileage share by origin and month:",
    ]
    for origin, months in result["zero_mileage"].items():
        for month, cell in months.items():
            lines.append(
                f"  {origin} {month}: {cell['zero_mileage']}/{cell['declarations']} "
                f"({cell['share']:.1%})"
            )
    lines += ["", "checkpoint:", result["checkpoint"].rstrip("\n")]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.command("stats")(stats_cmd)
