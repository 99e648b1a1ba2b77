"""Screening a dossier: load, validate, run the SQL steps, report.

:func:`screen_dossier` is the whole job for callers that want Arrow tables
(the service, tests); :class:`Screening` keeps the engine open so the CLI can
write large outputs straight from DuckDB without holding them in Python.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zeromile.dossier.contract import TABLES
from zeromile.dossier.files import discover
from zeromile.errors import StrictRejectError
from zeromile.screening.checks_sql import DECISIONS
from zeromile.screening.pipeline import (
    Extension,
    Reference,
    is_view,
    release_plan,
    screening_steps,
)
from zeromile.screening.settings import ScreeningSettings
from zeromile.stats.summary import summary_queries
from zeromile.vin.sql import reference_tables as vin_reference_tables

if TYPE_CHECKING:
    import pyarrow as pa

    from zeromile.engines.duckdb_engine import DuckDBEngine, LoadReport

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


@dataclass
class ScreeningResult:
    """Decisions, rejects and summary of one screening, as Arrow tables and a dict."""

    decisions: pa.Table
    rejects: pa.Table
    summary: dict[str, Any]


class Screening:
    """One screening run held open on its engine."""

    def __init__(self, engine: DuckDBEngine, load: LoadReport) -> None:
        self.engine = engine
        self.load = load

    @classmethod
    def open(
        cls, source: Path | Mapping[str, pa.Table], *, engine: DuckDBEngine | None = None
    ) -> Screening:
        """Load and validate ``source``: a dossier folder, or Arrow tables by name."""
        from zeromile.engines.duckdb_engine import DuckDBEngine

        eng = engine or DuckDBEngine()
        load = (
            eng.load_files(discover(Path(source)))
            if isinstance(source, (str, Path))
            else eng.load_arrow(source)
        )
        return cls(eng, load)

    @property
    def rows_rejected(self) -> int:
        """Rows rejected in every table (declarations and evidence)."""
        return sum(t.rows_rejected for t in self.load.tables.values())

    def fail_if_rejected(self) -> None:
        """For --strict: any rejected row fails the run."""
        if self.rows_rejected:
            raise StrictRejectError(
                f"{self.rows_rejected} row(s) rejected and strict mode is on; "
                f"first: {_first_reject(self.engine)}"
            )

    def screen(
        self,
        *,
        settings: ScreeningSettings | None = None,
        as_of: date | None = None,
        extensions: Sequence[Extension] = (),
        progress: Progress | None = None,
    ) -> None:
        """Run every screening step; afterwards ``decisions`` holds the verdicts."""
        eng = self.engine
        references: dict[str, Reference] = dict(vin_reference_tables())
        for ext in extensions:
            references.update(ext.reference)
        for name, reference in references.items():
            if isinstance(reference, tuple):
                columns, rows = reference
                eng.register_rows(
                    name, dict(zip(columns, _sql_types(columns, rows), strict=True)), rows
                )
            else:
                eng.register_arrow(name, reference)
        steps = screening_steps(
            settings or ScreeningSettings(),
            as_of=as_of,
            supplied=frozenset(self.load.tables),
            extensions=extensions,
            vin_as_given=self.load.vin_as_given(),
        )
        # The loaded tables go too once read: only the decisions and rejects stay.
        releases = release_plan(steps, keep=frozenset({DECISIONS}), inputs=tuple(TABLES))
        for i, ((name, select), done) in enumerate(zip(steps, releases, strict=True), start=1):
            if progress:
                progress(name, i, len(steps))
            eng.run([(name, select)], view=is_view(name))
            eng.drop(done)

    # -- results ------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Declarations in, decided and rejected: in = decided + rejected, always."""
        decl = self.load.tables["declarations"]
        decided = self.engine.rows("SELECT count(*) FROM decisions")[0][0]
        return {
            "declarations_in": decl.rows_in,
            "decided": int(decided),
            "rejected": decl.rows_rejected,
            "evidence_rows_rejected": sum(
                t.rows_rejected for n, t in self.load.tables.items() if n != "declarations"
            ),
        }

    def summary(self) -> dict[str, Any]:
        """Counts, and the summary tables as lists of records."""
        out: dict[str, Any] = {"counts": self.counts()}
        for name, sql in summary_queries("decisions").items():
            table = self.engine.arrow(sql)
            out[name] = _jsonable(table.to_pylist())
        out["tables"] = {
            n: {
                "file": t.file,
                "rows_in": t.rows_in,
                "rows_ok": t.rows_ok,
                "rows_rejected": t.rows_rejected,
                "ignored_columns": list(t.ignored_columns),
            }
            for n, t in self.load.tables.items()
        }
        return out

    # The decisions are stored in declaration order (``s_decided``), and the
    # engine preserves insertion order: reading them needs no sort.

    def decisions(self) -> pa.Table:
        return self.engine.arrow("SELECT * FROM decisions")

    def rejects(self) -> pa.Table:
        return self.engine.arrow('SELECT * FROM rejects ORDER BY "table", file, line, field')

    def iter_decisions(self, batch_size: int = 50_000) -> Iterator[dict[str, Any]]:
        """Decision rows one by one, fetched in Arrow batches to bound memory."""
        reader = self.engine.batches("SELECT * FROM decisions", batch_size)
        for batch in reader:
            yield from batch.to_pylist()

    def write_decisions(self, path: Path) -> None:
        self.engine.copy("decisions", path)

    def write_rejects(self, path: Path) -> None:
        self.engine.copy('(SELECT * FROM rejects ORDER BY "table", file, line, field)', path)

    def close(self) -> None:
        self.engine.close()


def screen_dossier(
    source: Path | Mapping[str, pa.Table],
    *,
    settings: ScreeningSettings | None = None,
    as_of: date | None = None,
    strict: bool = False,
    extensions: Sequence[Extension] | None = None,
) -> ScreeningResult:
    """Screen a dossier folder or Arrow tables; return decisions, rejects and summary.

    ``extensions`` defaults to the standard ones (the rulebook); pass ``()``
    for the screening's own checks only.
    """
    if extensions is None:
        from zeromile.screening.standard import standard_extensions

        extensions = standard_extensions()
    run = Screening.open(source)
    try:
        if strict:
            run.fail_if_rejected()
        run.screen(settings=settings, as_of=as_of, extensions=extensions)
        return ScreeningResult(run.decisions(), run.rejects(), run.summary())
    finally:
        run.close()


def _first_reject(engine: DuckDBEngine) -> str:
    rows = engine.rows(
        "SELECT file, line, field, value, message FROM rejects ORDER BY file, line LIMIT 1"
    )
    if not rows:
        return "none"
    file, line, fld, value, message = rows[0]
    return f"{file}:{line} field {fld} value {value!r}: {message}"


def _sql_types(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Infer simple SQL types for reference rows from their first non-null values."""
    types: list[str] = []
    for i, _ in enumerate(columns):
        sample = next((r[i] for r in rows if r[i] is not None), None)
        if isinstance(sample, bool):
            types.append("BOOLEAN")
        elif isinstance(sample, int):
            types.append("BIGINT")
        elif isinstance(sample, float):
            types.append("DOUBLE")
        elif isinstance(sample, date):
            types.append("DATE")
        else:
            types.append("VARCHAR")
    return types


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in rows]
