"""``zeromile log ...``: create a transparency log, append, prove, verify, audit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zeromile.errors import LogError, VerificationError

if TYPE_CHECKING:
    from zeromile.tlog.note import Verifier

log_app = typer.Typer(
    name="log",
    help="The public transparency log of decisions (C2SP tlog-tiles, signed checkpoints).",
    no_args_is_help=True,
)

PrivateOpt = Annotated[
    Path | None,
    typer.Option(
        "--private",
        help="Operator-only folder (key, salts, declaration map). Default: <DIR>.private",
    ),
]
VkeyOpt = Annotated[str, typer.Option("--vkey", help="Verifier key text, or a file holding it.")]
OriginOpt = Annotated[
    str | None,
    typer.Option("--origin", help="Expected checkpoint origin (default: the key name)."),
]


def load_verifier(vkey: str) -> Verifier:
    """Accept a vkey string or the path of a file that holds one."""
    from zeromile.tlog.note import Verifier

    path = Path(vkey)
    text = vkey
    if "+" not in vkey or path.is_file():
        try:
            text = path.read_text().strip()
        except OSError as exc:
            raise VerificationError(
                f"--vkey {vkey!r} is neither a key nor a readable file"
            ) from exc
    return Verifier.parse(text)


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise LogError(f"cannot read {what} {path}: {exc}") from exc


@log_app.command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Log directory (the URL prefix to serve).")],
    origin: Annotated[str, typer.Option("--origin", help="Log origin, e.g. example.org/zeromile")],
    private: PrivateOpt = None,
) -> None:
    """Create an empty log and its signing key; print the verifier key."""
    from zeromile.tlog.publish import init_log

    typer.echo(init_log(directory, origin, private_dir=private).text())


@log_app.command("append")
def append_cmd(
    directory: Annotated[Path, typer.Argument(help="Log directory.")],
    records: Annotated[Path, typer.Argument(help="JSON Lines file, one decision per line.")],
    private: PrivateOpt = None,
) -> None:
    """Append decision records from a JSON Lines file; print their indices."""
    from zeromile.tlog.publish import append_decisions
    from zeromile.tlog.records import public_fields

    rows: list[dict[str, Any]] = []
    for number, line in enumerate(_read_text(records, "records").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LogError(f"{records}:{number}: not JSON: {exc.msg}") from exc
        if not isinstance(row, dict):
            raise LogError(f"{records}:{number}: expected a JSON object")
        try:
            public_fields(row)
        except LogError as exc:
            raise LogError(f"{records}:{number}: {exc}") from exc
        rows.append(row)
    indices = append_decisions(directory, rows, private_dir=private)
    typer.echo(json.dumps({"appended": len(rows), "indices": indices}))


@log_app.command("prove")
def prove_cmd(
    directory: Annotated[Path, typer.Argument(help="Log directory.")],
    declaration_id: Annotated[str, typer.Argument(help="Declaration to prove.")],
    private: PrivateOpt = None,
) -> None:
    """Print a JSON proof bundle for the declaration's latest entry."""
    from zeromile.tlog.proofs import prove
    from zeromile.tlog.publish import entry_index
    from zeromile.tlog.reader import LogReader

    index = entry_index(directory, declaration_id, private_dir=private)
    typer.echo(json.dumps(prove(LogReader(directory), index).to_json(), indent=2))


@log_app.command("verify")
def verify_cmd(
    bundle: Annotated[Path, typer.Argument(help="Proof bundle (JSON).")],
    vkey: VkeyOpt,
    origin: OriginOpt = None,
) -> None:
    """Check a proof bundle offline: signature, origin, tree size, inclusion."""
    from zeromile.tlog.proofs import ProofBundle, verify_bundle

    proof = ProofBundle.load(bundle)
    checkpoint = verify_bundle(proof, load_verifier(vkey), origin=origin)
    typer.echo(f"OK: entry {proof.index} is in {checkpoint.origin} at size {checkpoint.size}")


@log_app.command("consistency")
def consistency_cmd(
    directory: Annotated[Path, typer.Argument(help="Log directory.")],
    old: Annotated[Path, typer.Option("--old", help="An earlier signed checkpoint file.")],
    vkey: Annotated[
        str | None, typer.Option("--vkey", help="Verifier key (default: <DIR>.private/vkey).")
    ] = None,
    origin: OriginOpt = None,
) -> None:
    """Prove that the current tree extends the tree of an older checkpoint."""
    from zeromile.tlog.proofs import check_consistency
    from zeromile.tlog.reader import LogReader

    result = check_consistency(
        LogReader(directory),
        _read_text(old, "checkpoint"),
        verifier_for(directory, vkey),
        origin=origin,
    )
    typer.echo(json.dumps(result.to_json(), indent=2))


@log_app.command("audit")
def audit_cmd(
    directory: Annotated[Path, typer.Argument(help="Log directory.")],
    vkey: VkeyOpt,
    origin: OriginOpt = None,
) -> None:
    """Re-read every tile and bundle, rebuild the tree and check the checkpoint."""
    from zeromile.tlog.audit import audit
    from zeromile.tlog.reader import LogReader

    report = audit(LogReader(directory), load_verifier(vkey), origin=origin)
    typer.echo(
        f"OK: {report.entries} entries, {report.tiles} tiles, root matches the checkpoint "
        f"of {report.checkpoint.origin}"
    )


@log_app.command("drain")
def drain_cmd(
    follow: Annotated[
        bool,
        typer.Option(
            "--follow",
            help="Keep draining: on each line read from standard input and every second, "
            "until it closes (how `zeromile serve` runs its drainer).",
        ),
    ] = False,
) -> None:
    """Append the service's queued decisions (its log outbox) now; print what was done.

    Reads the service settings (ZEROMILE_DATABASE_URL, ZEROMILE_LOG_DIR, ZEROMILE_LOG_APPEND)
    as ``zeromile serve`` does; rows whose retry time has not come are left queued.
    """
    import signal
    import sys

    from zeromile.service import log_outbox
    from zeromile.service.context import ServiceContext
    from zeromile.service.log_follower import follow as follow_input
    from zeromile.service.settings import Settings

    settings = Settings()
    if not log_outbox.enabled(settings):
        raise LogError("set ZEROMILE_LOG_DIR and ZEROMILE_LOG_APPEND=1 to drain into a log")
    context = ServiceContext.open(settings, migrate_embedded=False if follow else None)
    try:
        if follow:
            # Ctrl-C in a terminal reaches the server's whole process group; the server
            # stops this child by closing its input, after which it drains once more.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            follow_input(
                context.log_drainer, sys.stdin.buffer, poll_seconds=log_outbox.POLL_SECONDS
            )
            return
        result = context.log_drainer.drain()
        queued = context.log_drainer.queued()
    finally:
        context.close()
    typer.echo(json.dumps({"appended": result.appended, "failed": result.failed, "queued": queued}))
    if result.failed:
        raise typer.Exit(1)


def verifier_for(directory: Path, vkey: str | None) -> Verifier:
    if vkey is not None:
        return load_verifier(vkey)
    from zeromile.tlog.private import default_private_dir

    path = default_private_dir(directory) / "vkey"
    if not path.is_file():
        raise LogError(f"no --vkey given and {path} does not exist")
    return load_verifier(str(path))


def register(app: typer.Typer) -> None:
    app.add_typer(log_app)
