"""The DuckDB engine: loads and validates a dossier, runs the screening SQL.

This is the only place (with the service) that imports ``duckdb``. Large
tables read from Parquet stay views over the files (DuckDB pushes projections
and filters into the scan), so memory stays bounded; a keyed one is stored only
if a key repeats. CSV and Arrow input are materialised once.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from zeromile.dossier.contract import TABLES, Table
from zeromile.dossier.files import TableFile
from zeromile.dossier.reference import reference_codes
from zeromile.dossier.validation import (
    VIN_AS_GIVEN,
    ColumnCheck,
    any_problem,
    column_checks,
    problem_tests,
    rejects_select,
)
from zeromile.errors import DossierError, ScreeningError
from zeromile.sqltext import quote_ident, sql_string

if TYPE_CHECKING:
    import pyarrow as pa

log = logging.getLogger(__name__)

REJECT_COLUMNS = ("table", "file", "line", "field", "value", "message")


@dataclass
class TableLoad:
    """What loading one table found."""

    table: str
    file: str
    rows_in: int = 0
    rows_ok: int = 0
    rows_rejected: int = 0
    ignored_columns: tuple[str, ...] = ()
    #: The table shows the hidden column ``VIN_AS_GIVEN`` (it was left a view).
    vin_as_given: bool = False


@dataclass
class LoadReport:
    """What loading a dossier found, table by table."""

    tables: dict[str, TableLoad] = field(default_factory=dict)

    def supplied(self, table: str) -> bool:
        return table in self.tables

    def vin_as_given(self) -> frozenset[str]:
        """The tables that show each VIN as given beside the clean one."""
        return frozenset(n for n, t in self.tables.items() if t.vin_as_given)


class DuckDBEngine:
    """One DuckDB connection holding a dossier and the screening's relations."""

    def __init__(
        self,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        temp_directory: Path | None = None,
    ) -> None:
        self._spill: tempfile.TemporaryDirectory[str] | None = None
        try:
            self.con = duckdb.connect(":memory:")
            if threads:
                self._exec(f"SET threads = {int(threads)}")
            if memory_limit:
                self._exec(f"SET memory_limit = {sql_string(memory_limit)}")
            if temp_directory:
                self._exec(f"SET temp_directory = {sql_string(str(temp_directory))}")
            elif memory_limit:
                # Spill files go to a private folder removed with the engine.
                self._spill = tempfile.TemporaryDirectory(prefix="zeromile-spill-")
                self._exec(f"SET temp_directory = {sql_string(self._spill.name)}")
            # Keeps CSV line numbers and the stored order of results (decisions are
            # stored sorted, so reading them back needs no sort).
            self._exec("SET preserve_insertion_order = true")
        except duckdb.Error as exc:
            raise ScreeningError(f"cannot start DuckDB: {exc}") from exc
        self._register_reference()
        self._create_rejects()

    # -- set-up -------------------------------------------------------------

    def _register_reference(self) -> None:
        for name, codes in reference_codes().items():
            self.register_rows(name, {"code": "VARCHAR"}, [(c,) for c in codes])

    def _create_rejects(self) -> None:
        self._exec(
            'CREATE TEMP TABLE rejects ("table" VARCHAR, file VARCHAR, line BIGINT, '
            "field VARCHAR, value VARCHAR, message VARCHAR)"
        )

    def register_rows(
        self, name: str, columns: Mapping[str, str], rows: Iterable[tuple[Any, ...]]
    ) -> None:
        """Create a temp table ``name`` with typed ``columns`` holding ``rows``.

        Rows go in through Arrow in one call: row-by-row inserts are slow.
        """
        import pyarrow as pa

        data = list(rows)
        names = list(columns)
        arrays = {n: pa.array([r[i] for r in data]) for i, n in enumerate(names)}
        staged = pa.table(arrays) if data else None
        cols = ", ".join(
            f"CAST({quote_ident(c)} AS {t}) AS {quote_ident(c)}"
            if staged is not None
            else f"CAST(NULL AS {t}) AS {quote_ident(c)}"
            for c, t in columns.items()
        )
        if staged is None:
            self._exec(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols} WHERE FALSE")
            return
        self.con.register("__staged", staged)
        try:
            self._exec(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols} FROM __staged")
        finally:
            self.con.unregister("__staged")

    def register_arrow(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table readable as ``name`` without copying it."""
        try:
            self.con.register(name, table)
        except duckdb.Error as exc:
            raise ScreeningError(f"cannot register {name}: {exc}") from exc

    # -- loading --------------------------------------------------------------

    def load_files(self, files: Mapping[str, TableFile]) -> LoadReport:
        """Validate and load every table file; absent tables become empty tables."""
        report = LoadReport()
        for name, table in TABLES.items():
            tf = files.get(name)
            if tf is None:
                self._create_empty(table)
                continue
            source = self._file_source(tf)
            report.tables[name] = self._load(
                table, source, file=str(tf.path), fmt=tf.format, materialise=tf.format == "csv"
            )
        return report

    def load_arrow(self, tables: Mapping[str, pa.Table], *, label: str = "upload") -> LoadReport:
        """Validate and load in-memory Arrow tables (the service's uploads)."""
        unknown = sorted(set(tables) - set(TABLES))
        if unknown:
            raise DossierError(f"unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}")
        if "declarations" not in tables:
            raise DossierError("no declarations table given")
        report = LoadReport()
        for name, table in TABLES.items():
            if name not in tables:
                self._create_empty(table)
                continue
            view = f"arrow_{name}"
            self.con.register(view, tables[name])
            source = f"(SELECT *, row_number() OVER () AS __rownum FROM {view})"
            report.tables[name] = self._load(
                table, source, file=f"{label}:{name}", fmt="arrow", materialise=True
            )
        return report

    def _file_source(self, tf: TableFile) -> str:
        path = sql_string(str(tf.path))
        if tf.format == "parquet":
            return f"read_parquet({path}, file_row_number = true)"
        if tf.path.stat().st_size == 0:
            raise DossierError(f"{tf.path}: the file is empty; expected a header row")
        return (
            f"read_csv({path}, header = true, all_varchar = true, delim = ',', quote = '\"', "
            "escape = '\"', encoding = 'utf-8', ignore_errors = true, auto_detect = false, "
            f"columns = {{{self._csv_header_columns(tf)}}})"
        )

    def _csv_header_columns(self, tf: TableFile) -> str:
        """The CSV's header, read by DuckDB, as a columns spec of VARCHARs."""
        try:
            rel = self.con.sql(
                f"SELECT * FROM read_csv({sql_string(str(tf.path))}, header = true, "
                "all_varchar = true, delim = ',', quote = '\"', escape = '\"', "
                "sample_size = 1, ignore_errors = true) LIMIT 0"
            )
            names = rel.columns
        except duckdb.Error as exc:
            raise DossierError(f"{tf.path}: cannot read the CSV header: {exc}") from exc
        return ", ".join(f"{sql_string(n)}: 'VARCHAR'" for n in names)

    def _describe(self, source: str, file: str) -> dict[str, str]:
        try:
            rows = self.rows(f"DESCRIBE SELECT * FROM {source}")
        except duckdb.Error as exc:
            raise DossierError(f"{file}: cannot read the file: {exc}") from exc
        return {str(r[0]): str(r[1]) for r in rows}

    def _load(
        self, table: Table, source: str, *, file: str, fmt: str, materialise: bool
    ) -> TableLoad:
        raw_types = self._describe(source, file)
        hidden = {"file_row_number", "__rownum"}
        renames: dict[str, str] = {}
        for original in raw_types:
            if original in hidden:
                continue
            norm = original.strip().lower()
            if norm in renames.values():
                raise DossierError(f"{file}: column {norm!r} appears more than once in the header")
            renames[original] = norm
        missing = [c for c in table.required_columns if c not in renames.values()]
        if missing:
            raise DossierError(
                f"{file}: missing required column(s) {', '.join(missing)} of table "
                f"{table.name!r}; found: {', '.join(renames.values()) or 'none'}"
            )
        types = {renames[o]: t for o, t in raw_types.items() if o in renames}
        ignored = tuple(sorted(set(types) - set(table.names)))
        if fmt == "parquet":
            line = "file_row_number + 1"
        elif fmt == "csv":
            line = "row_number() OVER () + 1"
        else:
            line = "__rownum"
        select = ", ".join(f"{quote_ident(o)} AS {quote_ident(n)}" for o, n in renames.items())
        src = f"src_{table.name}"
        self._exec(
            f"CREATE OR REPLACE TEMP VIEW {src} AS SELECT {select}, {line} AS __line FROM {source}"
        )
        checks = column_checks(table, types)
        bad = f"bad_{table.name}"
        try:
            self._find_bad_rows(bad, src, checks, fmt)
            skipped = self._csv_structural_rejects(table, file) if fmt == "csv" else []
            if fmt == "csv" and (skipped or self._scalar(f"SELECT count(*) FROM {bad}")):
                self._fix_csv_lines(bad, source, skipped)
            self._exec(
                "INSERT INTO rejects "
                + rejects_select(checks, bad, table=table.name, file=file, line="__line")
            )
            typed = ", ".join(f"{c.typed} AS {quote_ident(c.column.name)}" for c in checks)
            rows_rejected = self._scalar(f"SELECT count(*) FROM {bad}")
            # Good rows are the rows not found bad: the checks are not evaluated again.
            where = f"WHERE __line NOT IN (SELECT __raw_line FROM {bad})" if rows_rejected else ""
            # Parquet tables stay views over their files, read where they lie; a
            # keyed one is stored only if a key repeats (the repeats are removed).
            keep_line = ", __line" if (materialise or table.key) else ""
            # A view can show the VIN as given at no cost; a table would store it twice.
            as_given = not materialise and "vin" in table.names and "vin" in types
            if as_given:
                given = quote_ident("vin")
                given = given if types["vin"] == "VARCHAR" else f"CAST({given} AS VARCHAR)"
                keep_line += f", {given} AS {VIN_AS_GIVEN}"
            self._exec(
                f"CREATE OR REPLACE TEMP {'TABLE' if materialise else 'VIEW'} {table.name} AS "
                f"SELECT {typed}{keep_line} FROM {src} {where}"
            )
            if table.key:
                self._reject_duplicate_keys(table, file)
            rows_parsed = self._scalar(f"SELECT count(*) FROM {source}")
            structural = len(skipped)
        except duckdb.Error as exc:
            raise DossierError(f"{file}: cannot read the file: {exc}") from exc
        dupes = self._scalar(
            f'SELECT count(*) FROM rejects WHERE "table" = {sql_string(table.name)} '
            "AND message LIKE 'duplicate %'"
        )
        rejected = rows_rejected + structural + dupes
        return TableLoad(
            table.name,
            file,
            rows_in=rows_parsed + structural,
            rows_ok=rows_parsed - rows_rejected - dupes,
            rows_rejected=rejected,
            ignored_columns=ignored,
            vin_as_given=as_given,
        )

    def _find_bad_rows(self, bad: str, src: str, checks: list[ColumnCheck], fmt: str) -> None:
        """Table ``bad``: the rows of ``src`` with a problem, each with its raw line.

        A Parquet file is tested column by column: each test then reads its
        column alone, and skips the row groups whose statistics rule the
        problem out (a required text column with no NULL and no value below
        ``'!'`` has no blank). Only if some row has a problem is the file read
        whole again for those rows. A CSV file is parsed once, all tests at once.
        """
        tests = problem_tests(checks)
        if fmt == "parquet" and tests:
            lines = " UNION ".join(f"SELECT __line FROM {src} WHERE {t}" for t in tests)
            self._exec(f"CREATE OR REPLACE TEMP TABLE __flagged AS {lines}")
            flagged = self._scalar("SELECT count(*) FROM __flagged")
            where = "__line IN (SELECT __line FROM __flagged)" if flagged else "FALSE"
        else:
            where = any_problem(checks)
        self._exec(
            f"CREATE OR REPLACE TEMP TABLE {bad} AS SELECT *, __line AS __raw_line "
            f"FROM {src} WHERE {where}"
        )
        self._exec("DROP TABLE IF EXISTS __flagged")

    def _fix_csv_lines(self, bad: str, source: str, skipped: list[int]) -> None:
        """Turn the bad rows' record numbers into physical line numbers.

        The reader numbers records, not lines: a quoted field may span lines,
        and lines it cannot split are skipped. Shift each bad row past the
        skipped records before it, then add the newlines inside earlier records.
        """
        for base in sorted(
            (r[0] for r in self.rows(f"SELECT DISTINCT __line FROM {bad}")), reverse=True
        ):
            shift = 0
            for s in skipped:
                if s <= base + shift:
                    shift += 1
            if shift:
                self._exec(f"UPDATE {bad} SET __line = ? WHERE __line = ?", [base + shift, base])
        if self._newline_counts(source):
            self._exec(
                f"UPDATE {bad} SET __line = {bad}.__line + coalesce(__nl.before, 0) FROM __nl "
                f"WHERE __nl.rec = {bad}.__raw_line"
            )
            for k, line in enumerate(skipped):
                self._exec(
                    "UPDATE rejects SET line = line + (SELECT coalesce(sum(nl), 0) FROM __nl "
                    "WHERE rec < ?) WHERE \"table\" = ? AND line = ? AND message LIKE '%: %'",
                    [line - k, bad.removeprefix("bad_"), line],
                )

    def _newline_counts(self, source: str) -> bool:
        """Table ``__nl(rec, before)``: newlines inside the records before each record."""
        cols = [r[0] for r in self.rows(f"DESCRIBE SELECT * FROM {source}")]
        inner = " + ".join(
            f"coalesce(length({quote_ident(c)}) - length(replace({quote_ident(c)}, chr(10), '')), 0)"
            for c in cols
        )
        self._exec(
            "CREATE OR REPLACE TEMP TABLE __nl AS SELECT rec, nl, "
            "sum(nl) OVER (ORDER BY rec ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before "
            f"FROM (SELECT row_number() OVER () + 1 AS rec, {inner} AS nl FROM {source})"
        )
        return bool(self._scalar("SELECT count(*) FROM __nl WHERE before > 0"))

    def _csv_structural_rejects(self, table: Table, file: str) -> list[int]:
        """Reject the lines the CSV reader could not split into the header's columns."""
        path = sql_string(file)
        scan, errors = f"rej_scan_{table.name}", f"rej_err_{table.name}"
        spec = self._csv_header_columns(TableFile(table.name, Path(file), "csv"))
        names = [
            r[0]
            for r in self.rows(
                f"DESCRIBE SELECT * FROM read_csv({path}, header = true, auto_detect = false, "
                f"columns = {{{spec}}})"
            )
        ]
        # Every column is used so that the reader really splits each line.
        touch = "concat(" + ", ".join(quote_ident(n) for n in names) + ")"
        self.rows(
            f"SELECT sum(length({touch})) FROM read_csv({path}, header = true, all_varchar = true, "
            "delim = ',', quote = '\"', escape = '\"', encoding = 'utf-8', store_rejects = true, "
            f"rejects_scan = '{scan}', rejects_table = '{errors}', auto_detect = false, "
            f"columns = {{{spec}}})"
        )
        self._exec(
            f"INSERT INTO rejects SELECT {sql_string(table.name)}, {path}, line, "
            "coalesce(min(column_name), ''), min(csv_line), "
            "lower(replace(CAST(min(error_type) AS VARCHAR), '_', ' ')) || ': ' || min(error_message) "
            f"FROM {errors} GROUP BY line"
        )
        lines = [int(r[0]) for r in self.rows(f"SELECT DISTINCT line FROM {errors}")]
        self._exec(f"DROP TABLE IF EXISTS {errors}")
        self._exec(f"DROP TABLE IF EXISTS {scan}")
        return sorted(lines)

    def _reject_duplicate_keys(self, table: Table, file: str) -> None:
        key = quote_ident(table.key or "")
        # Keys are required, so never NULL here; most files repeat none, and
        # counting them costs less than ranking every row.
        if not self._scalar(f"SELECT count(*) - count(DISTINCT {key}) FROM {table.name}"):
            return
        if table.name not in self._temp_tables():
            # The repeats are deleted from a stored copy of the view's rows.
            self._exec(f"CREATE OR REPLACE TEMP TABLE __keyed AS SELECT * FROM {table.name}")
            self._exec(f"DROP VIEW {table.name}")
            self._exec(f"ALTER TABLE __keyed RENAME TO {table.name}")
        self._exec(
            f"CREATE OR REPLACE TEMP TABLE __dupes AS SELECT {key} AS k, __line, "
            f"first_value(__line) OVER (PARTITION BY {key} ORDER BY __line) AS first_line "
            f"FROM {table.name} QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY __line) > 1"
        )
        self._exec(
            f"INSERT INTO rejects SELECT {sql_string(table.name)}, {sql_string(file)}, __line, "
            f"{sql_string(table.key or '')}, k, 'duplicate {table.key} (first given on line ' || "
            "first_line || ')' FROM __dupes"
        )
        self._exec(f"DELETE FROM {table.name} WHERE __line IN (SELECT __line FROM __dupes)")

    def _temp_tables(self) -> set[str]:
        """The temp tables held (views hold no rows and are not listed)."""
        return {
            str(r[0]) for r in self.rows("SELECT table_name FROM duckdb_tables() WHERE temporary")
        }

    def _create_empty(self, table: Table) -> None:
        cols = ", ".join(f"{quote_ident(c.name)} {c.sql_type}" for c in table.columns)
        self._exec(f"CREATE OR REPLACE TEMP TABLE {table.name} ({cols})")

    # -- running ------------------------------------------------------------

    def _scalar(self, sql: str) -> int:
        rows = self.con.execute(sql).fetchall()
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def run(self, steps: Iterable[tuple[str, str]], *, view: bool = False) -> None:
        """Create each ``(name, select)`` step in order: views (scanned where they
        lie) when ``view`` is true, else temp tables. Which steps are views is the
        pipeline's choice (``screening.pipeline.is_view``)."""
        kind = "VIEW" if view else "TABLE"
        for name, select in steps:
            log.info("screening step %s", name)
            try:
                self._exec(f"CREATE OR REPLACE TEMP {kind} {name} AS {select}")
            except duckdb.Error as exc:
                raise ScreeningError(f"screening step {name!r} failed: {exc}") from exc

    def drop(self, tables: Iterable[str]) -> None:
        """Free the tables no later step reads; a view of that name holds no rows and stays."""
        names = list(tables)
        if not names:
            return
        held = self._temp_tables()
        for name in names:
            if name in held:
                self._exec(f"DROP TABLE {quote_ident(name)}")

    def arrow(self, sql: str) -> pa.Table:
        """Run a query and return its result as an Arrow table."""
        try:
            return self.con.sql(sql).to_arrow_table()
        except duckdb.Error as exc:
            raise ScreeningError(f"query failed: {exc}") from exc

    def batches(self, sql: str, batch_size: int) -> Iterator[pa.RecordBatch]:
        """Stream a query's result as Arrow record batches."""
        try:
            reader = self.con.sql(sql).to_arrow_reader(batch_size)
        except duckdb.Error as exc:
            raise ScreeningError(f"query failed: {exc}") from exc
        yield from reader

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return self.con.execute(sql).fetchall()
        except duckdb.Error as exc:
            raise ScreeningError(f"query failed: {exc}") from exc

    def copy(self, relation: str, path: Path) -> None:
        """Write a relation to Parquet, CSV or JSON Lines by the path's suffix."""
        suffix = path.suffix.lower()
        options = {
            ".parquet": "FORMAT parquet, COMPRESSION zstd",
            ".csv": "FORMAT csv, HEADER true",
            ".jsonl": "FORMAT json",
            ".json": "FORMAT json",
        }.get(suffix)
        if options is None:
            raise ScreeningError(
                f"{path}: unsupported output format (use .parquet, .csv or .jsonl)"
            )
        try:
            self._exec(f"COPY {relation} TO {sql_string(str(path))} ({options})")
        except duckdb.Error as exc:
            raise ScreeningError(f"cannot write {path}: {exc}") from exc

    def _exec(self, sql: str, params: list[Any] | None = None) -> None:
        """Run a statement to completion (DuckDB results must be consumed)."""
        self.con.execute(sql, params or []).fetchall()

    def close(self) -> None:
        self.con.close()
        if self._spill is not None:
            self._spill.cleanup()
