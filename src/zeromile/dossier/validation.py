"""Row validation of dossier tables, written as set-based SQL.

For each column the contract gives a *typed* expression (the clean value) and
a *problem* expression (a message when the raw value is unacceptable, else
NULL). The engine keeps the rows with no problem and writes one reject per
problem of the others, so a malformed row is reported with its file, line and
field and the good rows go on. The SQL is DuckDB's dialect; it reads reference
tables ``ref_country``, ``ref_currency`` and ``ref_region`` (column ``code``).
"""

from __future__ import annotations

from dataclasses import dataclass

from zeromile.dossier.contract import Column, Kind, Table
from zeromile.sqltext import quote_ident, sql_string

_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}
_MAX_ID = 64


@dataclass(frozen=True)
class ColumnCheck:
    """The typed value of a column and the message of its problem (NULL if none)."""

    column: Column
    raw: str
    typed: str
    problem: str
    #: True exactly when ``problem`` is not NULL, written to cost less: every
    #: row is tested, and only the few bad rows need their message.
    flag: str = ""

    @property
    def has_problem(self) -> str:
        return self.flag or f"({self.problem}) IS NOT NULL"


def _raw(ident: str, source_type: str) -> str:
    if source_type == "VARCHAR":
        # trim() copies every string; test the ends first, which costs almost nothing.
        return (
            f"nullif(CASE WHEN starts_with({ident}, ' ') OR ends_with({ident}, ' ') "
            f"THEN trim({ident}) ELSE {ident} END, '')"
        )
    return ident


def _blank(ident: str) -> str:
    """True when the raw value of a text column is missing: NULL, empty or only spaces.

    Only a value that starts with a space can trim to nothing, so the copy
    ``trim`` makes is paid for those alone. Every such value sorts before
    ``'!'``: that first test lets a Parquet reader skip each row group whose
    statistics show no NULL and no value below it, without reading the column.
    """
    return (
        f"(({ident} IS NULL OR {ident} < '!') AND "
        f"({ident} IS NULL OR {ident} = '' OR (starts_with({ident}, ' ') AND trim({ident}) = '')))"
    )


def _text_flag(col: Column, ident: str, problem: str) -> str:
    """A cheap test of ``problem`` for a column read as text, where one exists."""
    missing = [_blank(ident)] if col.required else []
    if col.kind in (Kind.TEXT, Kind.VIN):
        return " OR ".join(missing) or "FALSE"
    if col.kind is Kind.ID:
        # Trimming never lengthens, and bytes are at least characters.
        too_long = f"(strlen({ident}) > {_MAX_ID} AND length(trim({ident})) > {_MAX_ID})"
        return f"({' OR '.join([*missing, too_long])})"
    if col.kind is Kind.CODES and not col.required:
        # A code over the limit needs a value over it.
        return f"(strlen({ident}) > {_MAX_ID} AND ({problem}) IS NOT NULL)"
    if col.kind is Kind.ENUM:
        allowed = ", ".join(sql_string(v) for v in col.values)
        return f"(CASE WHEN {ident} IN ({allowed}) THEN FALSE ELSE ({problem}) IS NOT NULL END)"
    return ""


def _when(cases: list[tuple[str, str]]) -> str:
    body = " ".join(f"WHEN {cond} THEN {sql_string(msg)}" for cond, msg in cases)
    return f"CASE {body} END"


def _number(
    col: Column, raw: str, source_type: str, *, integer: bool
) -> tuple[str, list[tuple[str, str]]]:
    target = "BIGINT" if integer else "DOUBLE"
    if integer and source_type in _INTEGER_TYPES:
        typed = f"CAST({raw} AS BIGINT)"
        cases: list[tuple[str, str]] = []
    elif not integer and source_type in _INTEGER_TYPES | {"DOUBLE", "FLOAT", "DECIMAL"}:
        typed = f"CAST({raw} AS DOUBLE)"
        cases = [(f"NOT isfinite({typed})", "expected a finite number")]
    else:
        text = raw if source_type == "VARCHAR" else f"CAST({raw} AS VARCHAR)"
        pattern = r"^[0-9]+$" if integer else r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
        typed = f"CASE WHEN regexp_full_match({text}, {sql_string(pattern)}) THEN TRY_CAST({text} AS {target}) END"
        noun = "a whole number of 0 or more (at most 18 digits)" if integer else "a number"
        cases = [(f"{typed} IS NULL", f"expected {noun}")]
        if not integer:
            cases.append((f"NOT isfinite({typed})", "expected a finite number"))
    if col.kind is Kind.YEAR:
        # The range is checked before narrowing, so a huge number is a reject, not a cast error.
        cases.append(
            (f"{typed} NOT BETWEEN 1950 AND 2100", "expected a model year between 1950 and 2100")
        )
        typed = f"CAST({typed} AS INTEGER)" if integer else typed
    elif col.kind is Kind.PERCENT:
        cases.append((f"{typed} NOT BETWEEN 0 AND 100", "expected a percentage between 0 and 100"))
    else:
        cases.append((f"{typed} < 0", "expected a value of at least 0"))
    return typed, cases


def column_check(col: Column, source_type: str | None, *, value: str | None = None) -> ColumnCheck:
    """Typed value and problem message of ``col`` read from a column of ``source_type``.

    ``source_type`` is the DuckDB type of the column in the file, or None when
    the (optional) column is absent. ``value`` is the SQL expression read
    (default: the column of that name).
    """
    if source_type is None:
        return ColumnCheck(col, "NULL", f"CAST(NULL AS {col.sql_type})", "NULL")
    ident = value or quote_ident(col.name)
    raw = _raw(ident, source_type)
    text = raw if source_type == "VARCHAR" else f"CAST({raw} AS VARCHAR)"
    cases: list[tuple[str, str]] = []
    kind = col.kind
    if kind in (Kind.ID, Kind.TEXT):
        typed = text
        if kind is Kind.ID:
            cases.append((f"length({typed}) > {_MAX_ID}", f"expected at most {_MAX_ID} characters"))
    elif kind is Kind.VIN:
        typed = f"upper({text})"
    elif kind in (Kind.INT, Kind.YEAR):
        typed, cases = _number(col, raw, source_type, integer=True)
    elif kind in (Kind.FLOAT, Kind.PERCENT):
        typed, cases = _number(col, raw, source_type, integer=False)
    elif kind is Kind.DATE:
        if source_type == "DATE":
            typed = raw
        elif source_type.startswith("TIMESTAMP"):
            typed = f"CAST({raw} AS DATE)"
        else:
            typed = (
                f"CASE WHEN regexp_full_match({text}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
                f"THEN TRY_CAST({text} AS DATE) END"
            )
            cases.append((f"{typed} IS NULL", "expected an ISO 8601 date YYYY-MM-DD"))
    elif kind is Kind.ENUM:
        typed = f"lower({text})"
        allowed = ", ".join(sql_string(v) for v in col.values)
        cases.append((f"{typed} NOT IN ({allowed})", f"expected one of: {', '.join(col.values)}"))
    elif kind in (Kind.COUNTRY, Kind.CURRENCY, Kind.REGION):
        typed = f"upper({text})"
        ref = {
            Kind.COUNTRY: "ref_country",
            Kind.CURRENCY: "ref_currency",
            Kind.REGION: "ref_region",
        }
        noun = {
            Kind.COUNTRY: "an ISO 3166-1 alpha-2 country code",
            Kind.CURRENCY: "an ISO 4217 currency code",
            Kind.REGION: "an ISO 3166-2 subdivision code such as CN-GD",
        }
        cases.append((f"{typed} NOT IN (SELECT code FROM {ref[kind]})", f"expected {noun[kind]}"))
    elif kind is Kind.LOCODE:
        typed = f"upper(replace({text}, ' ', ''))"
        cases.append(
            (
                f"NOT regexp_full_match({typed}, '[A-Z]{{2}}[A-Z2-9]{{3}}') "
                f"OR left({typed}, 2) NOT IN (SELECT code FROM ref_country)",
                "expected a UN/LOCODE such as CNSHA",
            )
        )
    elif kind is Kind.CODES:
        if source_type.endswith("[]"):
            typed = f"list_filter(list_transform({raw}, lambda x: trim(x)), lambda x: x <> '')"
        else:
            typed = f"list_filter(list_transform(string_split({text}, ';'), lambda x: trim(x)), lambda x: x <> '')"
        cases.append(
            (
                f"list_bool_or(list_transform({typed}, lambda x: length(x) > 64))",
                "a code is over 64 characters",
            )
        )
    else:  # pragma: no cover - every Kind is handled above
        raise AssertionError(kind)
    missing = [(f"{raw} IS NULL", "required value is missing")] if col.required else []
    guarded = [(f"{raw} IS NOT NULL AND ({cond})", msg) for cond, msg in cases]
    problem = _when(missing + guarded) if (missing or guarded) else "NULL"
    if kind is Kind.CODES and col.required:
        problem = _when(
            [(f"{raw} IS NULL OR len({typed}) = 0", "required value is missing"), *guarded]
        )
    flag = _text_flag(col, ident, problem) if source_type == "VARCHAR" else ""
    return ColumnCheck(col, text, f"CAST({typed} AS {col.sql_type})", problem, flag)


#: A hidden column of tables left as views over their files: the VIN exactly
#: as the file gives it. Matching it first, and cleaning only what does not
#: match, spares cleaning every reading's VIN (see ``normalised_vin``).
VIN_AS_GIVEN = "__vin_as_given"


def normalised_vin(text: str) -> str:
    """The clean VIN of an SQL text expression, as a loaded table holds it."""
    return column_check(Column("vin", Kind.VIN), "VARCHAR", value=text).typed


def column_checks(table: Table, source_types: dict[str, str]) -> list[ColumnCheck]:
    """Checks for every contract column of ``table`` given the file's column types."""
    return [column_check(col, source_types.get(col.name)) for col in table.columns]


def any_problem(checks: list[ColumnCheck]) -> str:
    """SQL condition true when a row has at least one problem."""
    conds = problem_tests(checks)
    return " OR ".join(conds) if conds else "FALSE"


def problem_tests(checks: list[ColumnCheck]) -> list[str]:
    """One test per column that can have a problem, each reading that column alone."""
    return [c.has_problem for c in checks if c.problem != "NULL"]


def typed_select(checks: list[ColumnCheck], source: str, *, extra: tuple[str, ...] = ()) -> str:
    """SELECT of the clean, typed rows of ``source`` (rows with a problem left out)."""
    cols = [f"{c.typed} AS {quote_ident(c.column.name)}" for c in checks]
    return f"SELECT {', '.join([*cols, *extra])} FROM {source} WHERE NOT ({any_problem(checks)})"


def rejects_select(
    checks: list[ColumnCheck], source: str, *, table: str, file: str, line: str
) -> str:
    """SELECT of one reject row per problem: table, file, line, field, value, message."""
    parts = [
        f'SELECT {sql_string(table)} AS "table", {sql_string(file)} AS file, {line} AS line, '
        f"{sql_string(c.column.name)} AS field, {c.raw} AS value, {c.problem} AS message "
        f"FROM {source} WHERE ({c.problem}) IS NOT NULL"
        for c in checks
        if c.problem != "NULL"
    ]
    return " UNION ALL ".join(parts) if parts else _EMPTY_REJECTS


_EMPTY_REJECTS = (
    'SELECT CAST(NULL AS VARCHAR) AS "table", CAST(NULL AS VARCHAR) AS file, '
    "CAST(NULL AS BIGINT) AS line, CAST(NULL AS VARCHAR) AS field, "
    "CAST(NULL AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS message WHERE FALSE"
)
