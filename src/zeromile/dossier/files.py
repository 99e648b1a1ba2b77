"""Finding a dossier's table files in a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zeromile.dossier.contract import TABLES
from zeromile.errors import DossierError

FORMATS = {".csv": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class TableFile:
    """One table's file in a dossier."""

    table: str
    path: Path
    format: str  # "csv" or "parquet"


def discover(folder: Path) -> dict[str, TableFile]:
    """Map table name to file for every table file in ``folder``.

    Hidden files are passed over; any other file must be ``<table>.csv`` or
    ``<table>.parquet`` for a known table, each table at most once, and
    ``declarations`` must be there.
    """
    if not folder.exists():
        raise DossierError(f"dossier folder {folder} does not exist")
    if not folder.is_dir():
        raise DossierError(f"dossier {folder} is not a folder of <table>.csv/.parquet files")
    found: dict[str, TableFile] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise DossierError(
                f"{path}: not a dossier table file (expected <table>.csv or <table>.parquet)"
            )
        if path.stem not in TABLES:
            raise DossierError(
                f"{path}: unknown table {path.stem!r}; known tables: {', '.join(TABLES)}"
            )
        if path.stem in found:
            raise DossierError(
                f"{path}: table {path.stem!r} is given twice (also {found[path.stem].path.name})"
            )
        found[path.stem] = TableFile(path.stem, path, fmt)
    if "declarations" not in found:
        raise DossierError(f"{folder}: no declarations.csv or declarations.parquet")
    return found
