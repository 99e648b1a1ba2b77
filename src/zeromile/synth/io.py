"""Write a generated world to disk: ``dossier/<table>.<fmt>``, ``truth.parquet``, ``world.json``."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from zeromile.errors import DossierError, GenerationError
from zeromile.synth.world import FileFormat, World

DOSSIER_DIR = "dossier"
TRUTH_FILE = "truth.parquet"
SUMMARY_FILE = "world.json"
_DICTIONARY_LIMIT = 100_000
#: Rows per Parquet row group. Readers split a scan by row group, so a table
#: written as one group of a million rows is read on one core; this is DuckDB's
#: own default group size.
ROW_GROUP_ROWS = 122_880


def _write(table: pa.Table, path: Path, file_format: FileFormat) -> None:
    """Write one table; Parquet gets dictionary pages only where they pay, statistics
    for every column (as writers do by default; readers use them to skip row groups),
    and row groups small enough for a parallel scan."""
    if file_format == "csv":
        pacsv.write_csv(table, path)
        return
    small_vocabulary = [
        f.name
        for f, col in zip(table.schema, table.columns, strict=True)
        if pa.types.is_dictionary(f.type)
        and col.num_chunks
        and len(col.chunk(0).dictionary) <= _DICTIONARY_LIMIT
    ]
    # store_schema=False: readers see plain STRING columns, not Arrow dictionaries
    pq.write_table(
        table,
        path,
        compression="snappy",
        store_schema=False,
        use_dictionary=small_vocabulary,
        write_statistics=True,
        row_group_size=ROW_GROUP_ROWS,
    )


def write_world(world: World, out: Path, file_format: FileFormat = "parquet") -> dict[str, Path]:
    """Write every file of ``world`` under ``out``; returns the paths written by name."""
    dossier = out / DOSSIER_DIR
    try:
        dossier.mkdir(parents=True, exist_ok=True)
        existing = sorted(p.name for p in dossier.iterdir())
        stale = [name for name in existing if not name.endswith(f".{file_format}")]
        if stale:
            raise GenerationError(
                f"{dossier} already holds other files ({', '.join(stale[:3])}); "
                "choose an empty output folder"
            )
        paths = {name: dossier / f"{name}.{file_format}" for name in world.tables}
        # largest first over two threads: Arrow writers release the GIL
        names = sorted(world.tables, key=lambda n: -world.tables[n].num_rows)
        with ThreadPoolExecutor(max_workers=2) as pool:
            for done in [
                pool.submit(_write, world.tables[n], paths[n], file_format) for n in names
            ]:
                done.result()
        paths["truth"] = out / TRUTH_FILE
        pq.write_table(world.truth, paths["truth"], compression="snappy")
        paths["summary"] = out / SUMMARY_FILE
        paths["summary"].write_text(json.dumps(world.summary, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        raise GenerationError(f"cannot write the world to {out}: {exc}") from exc
    return paths


def read_table(path: Path) -> pa.Table:
    """Read a ``.parquet``, ``.csv`` or ``.jsonl`` file as an Arrow table."""
    import pyarrow.json as pajson

    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pq.read_table(path)
        if suffix == ".csv":
            options = pacsv.ConvertOptions(
                column_types={"declaration_id": pa.string(), "findings": pa.string()},
                strings_can_be_null=False,
            )
            return pacsv.read_csv(path, convert_options=options)
        if suffix in {".jsonl", ".ndjson"}:
            return pajson.read_json(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise DossierError(f"cannot read {path}: {exc}") from exc
    raise DossierError(
        f"{path}: expected a .parquet, .csv or .jsonl file, got '{suffix or path.name}'"
    )
