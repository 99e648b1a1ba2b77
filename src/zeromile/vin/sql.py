"""The VIN checks as one SQL SELECT (DuckDB dialect, transpilable to Spark SQL).

:func:`vin_identity_sql` reads a relation with columns ``vin``,
``declared_make``, ``declared_model_year`` and ``registration_country`` and
the reference tables of :func:`reference_tables` (loaded under their names),
and yields per input row the columns of :data:`OUTPUT_COLUMNS` after the
carried input columns. It is the set-based twin of
:func:`zeromile.vin.explain.explain_vin`; a test runs both over the same VINs.

Nothing here imports a database: the engine registers the tables and runs
the text. Only portable functions are used (``upper``, ``trim``, ``substr``,
``strpos``, ``regexp_matches``, ``regexp_replace``, list literals) so that
``sqlglot.transpile(sql, read="duckdb", write="spark")`` works.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from zeromile.errors import VinError
from zeromile.sqltext import sql_string
from zeromile.vin.checkdigit import TRANSLITERATION, WEIGHTS
from zeromile.vin.explain import CHECK_DIGIT_MANDATORY_REGIONS
from zeromile.vin.reference import (
    COUNTRY_PREFIX_TABLE,
    MAKE_ALIAS_TABLE,
    WMI_MAKE_TABLE,
    WMI_TABLE,
    Table,
)
from zeromile.vin.reference import reference_tables as _reference_tables
from zeromile.vin.syntax import (
    JP_CHASSIS_PATTERN,
    REASON_BAD_CHARACTERS,
    REASON_CHASSIS_NOT_JP,
    REASON_FORBIDDEN_LETTERS,
    REASON_MISSING,
    VIN_ALPHABET,
    VIN_LENGTH,
)
from zeromile.vin.years import CYCLE_STARTS, POSITION_7_RULE_REGIONS, YEAR_CODES

INPUT_COLUMNS: tuple[str, ...] = (
    "vin",
    "declared_make",
    "declared_model_year",
    "registration_country",
)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "vin_kind",
    "vin_invalid_reason",
    "check_digit_expected",
    "check_digit_found",
    "check_digit_mandatory",
    "check_digit_ok",
    "wmi",
    "wmi_make",
    "wmi_manufacturer",
    "wmi_country",
    "wmi_country_reliable",
    "year_candidates",
    "decoded_model_year",
    "make_mismatch",
    "year_mismatch",
)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_VALUES = "".join(str(TRANSLITERATION[ch]) for ch in VIN_ALPHABET)
_VIN_PATTERN = "^[" + VIN_ALPHABET + "]{" + str(VIN_LENGTH) + "}$"


def reference_tables() -> dict[str, Table]:
    """``{table_name: (columns, rows)}`` for the engine to register before running the SQL."""
    return _reference_tables()


def _in_list(chars: str) -> str:
    return "(" + ", ".join(sql_string(ch) for ch in chars) + ")"


def _checked_identifier(name: str, what: str) -> str:
    if not _IDENTIFIER.fullmatch(name):
        raise VinError(f"{what} {name!r} is not a plain SQL identifier (letters, digits, _)")
    return name


def _check_sum() -> str:
    terms = [
        f"CAST(substr({sql_string(_VALUES)}, strpos({sql_string(VIN_ALPHABET)}, "
        f"substr(zm_ident, {pos}, 1)), 1) AS INTEGER) * {weight}"
        for pos, weight in enumerate(WEIGHTS, start=1)
        if weight
    ]
    return "(" + "\n        + ".join(terms) + ") % 11"


def vin_identity_sql(relation: str, *, carry: Sequence[str] = INPUT_COLUMNS) -> str:
    """SELECT over ``relation`` yielding ``carry`` columns then :data:`OUTPUT_COLUMNS`.

    ``relation`` must have the four :data:`INPUT_COLUMNS`; ``carry`` names the
    input columns passed through unchanged (e.g. add ``declaration_id``).
    """
    relation = _checked_identifier(relation, "relation")
    carried = [_checked_identifier(col, "column") for col in carry]
    clash = sorted(set(carried) & set(OUTPUT_COLUMNS))
    if clash:
        raise VinError(f"carried column(s) {', '.join(clash)} clash with output columns")
    carry_src = "".join(f"src.{c} AS {c}, " for c in carried)
    carry_out = "".join(f"p.{c} AS {c}, " for c in carried)
    lo_start, hi_start = CYCLE_STARTS
    is_vin = "p.vin_kind = 'vin'"
    return f"""
WITH zm_input AS (
    SELECT {carry_src}
        upper(trim(src.vin)) AS zm_ident,
        TRY_CAST(src.declared_model_year AS INTEGER) AS zm_declared_year,
        upper(trim(src.registration_country)) AS zm_country,
        NULLIF(lower(regexp_replace(src.declared_make, '[^A-Za-z0-9]', '', 'g')), '')
            AS zm_declared_key
    FROM {relation} AS src
), zm_checked AS (
    SELECT i.*,
        CASE
            WHEN i.zm_ident IS NULL OR i.zm_ident = '' THEN 'missing'
            WHEN regexp_matches(i.zm_ident, {sql_string(JP_CHASSIS_PATTERN)}) THEN
                CASE WHEN i.zm_country = 'JP' THEN 'jp_chassis' ELSE 'chassis_not_jp' END
            WHEN length(i.zm_ident) <> {VIN_LENGTH} THEN 'length'
            WHEN regexp_matches(i.zm_ident, {sql_string(_VIN_PATTERN)}) THEN 'vin'
            WHEN regexp_matches(i.zm_ident, '[IOQ]') THEN 'forbidden_letters'
            ELSE 'bad_characters'
        END AS zm_check
    FROM zm_input AS i
), zm_kind AS (
    SELECT c.*,
        CASE WHEN c.zm_check IN ('vin', 'jp_chassis') THEN c.zm_check ELSE 'invalid' END
            AS vin_kind,
        CASE c.zm_check
            WHEN 'missing' THEN {sql_string(REASON_MISSING)}
            WHEN 'chassis_not_jp' THEN {sql_string(REASON_CHASSIS_NOT_JP)}
            WHEN 'length' THEN 'has ' || CAST(length(c.zm_ident) AS VARCHAR)
                || ' characters, expected {VIN_LENGTH}'
            WHEN 'forbidden_letters' THEN {sql_string(REASON_FORBIDDEN_LETTERS)}
            WHEN 'bad_characters' THEN {sql_string(REASON_BAD_CHARACTERS)}
        END AS vin_invalid_reason
    FROM zm_checked AS c
), zm_parts AS (
    SELECT k.*,
        CASE WHEN k.vin_kind = 'vin' THEN substr(k.zm_ident, 1, 3) END AS zm_wmi,
        CASE WHEN k.vin_kind = 'vin' THEN {_check_sum()} END AS zm_remainder,
        CASE WHEN k.vin_kind = 'vin' THEN
            strpos({sql_string(YEAR_CODES)}, substr(k.zm_ident, 10, 1)) - 1 END AS zm_year_index,
        CASE WHEN k.vin_kind = 'vin' THEN
            substr(k.zm_ident, 1, 1) IN {_in_list(POSITION_7_RULE_REGIONS)} END AS zm_pos7_rule,
        CASE WHEN k.vin_kind = 'vin' THEN
            substr(k.zm_ident, 7, 1) BETWEEN '0' AND '9' END AS zm_pos7_digit
    FROM zm_kind AS k
), zm_years AS (
    SELECT q.*,
        CASE WHEN q.zm_year_index >= 0 AND (NOT q.zm_pos7_rule OR q.zm_pos7_digit)
            THEN {lo_start} + q.zm_year_index END AS zm_year_lo,
        CASE WHEN q.zm_year_index >= 0 AND (NOT q.zm_pos7_rule OR NOT q.zm_pos7_digit)
            THEN {hi_start} + q.zm_year_index END AS zm_year_hi
    FROM zm_parts AS q
)
SELECT {carry_out}
    p.vin_kind AS vin_kind,
    p.vin_invalid_reason AS vin_invalid_reason,
    CASE WHEN p.zm_remainder = 10 THEN 'X'
        ELSE CAST(p.zm_remainder AS VARCHAR) END AS check_digit_expected,
    CASE WHEN {is_vin} THEN substr(p.zm_ident, 9, 1) END AS check_digit_found,
    CASE WHEN {is_vin} THEN substr(p.zm_ident, 1, 1) IN {_in_list(CHECK_DIGIT_MANDATORY_REGIONS)}
        END AS check_digit_mandatory,
    CASE WHEN {is_vin} THEN
        (CASE WHEN p.zm_remainder = 10 THEN 'X' ELSE CAST(p.zm_remainder AS VARCHAR) END)
        = substr(p.zm_ident, 9, 1) END AS check_digit_ok,
    p.zm_wmi AS wmi,
    w.make AS wmi_make,
    w.manufacturer AS wmi_manufacturer,
    CASE WHEN {is_vin} THEN coalesce(w.country, cp.country) END AS wmi_country,
    CASE WHEN {is_vin} THEN coalesce(w.country_reliable, FALSE) END AS wmi_country_reliable,
    CASE
        WHEN NOT {is_vin} THEN NULL
        WHEN p.zm_year_lo IS NULL AND p.zm_year_hi IS NULL THEN CAST([] AS INTEGER[])
        WHEN p.zm_year_lo IS NULL THEN [p.zm_year_hi]
        WHEN p.zm_year_hi IS NULL THEN [p.zm_year_lo]
        ELSE [p.zm_year_lo, p.zm_year_hi]
    END AS year_candidates,
    CASE
        WHEN p.zm_year_lo IS NULL THEN p.zm_year_hi
        WHEN p.zm_year_hi IS NULL THEN p.zm_year_lo
        WHEN p.zm_declared_year = p.zm_year_lo OR p.zm_declared_year = p.zm_year_hi
            THEN p.zm_declared_year
    END AS decoded_model_year,
    CASE
        WHEN w.wmi IS NULL OR p.zm_declared_key IS NULL THEN NULL
        ELSE m.wmi IS NULL
    END AS make_mismatch,
    CASE
        WHEN p.zm_declared_year IS NULL THEN NULL
        WHEN p.zm_year_lo IS NULL AND p.zm_year_hi IS NULL THEN NULL
        ELSE NOT (coalesce(p.zm_declared_year = p.zm_year_lo, FALSE)
            OR coalesce(p.zm_declared_year = p.zm_year_hi, FALSE))
    END AS year_mismatch
FROM zm_years AS p
LEFT JOIN {WMI_TABLE} AS w ON w.wmi = p.zm_wmi
LEFT JOIN {COUNTRY_PREFIX_TABLE} AS cp ON cp.prefix = substr(p.zm_wmi, 1, 2)
LEFT JOIN {MAKE_ALIAS_TABLE} AS a ON a.alias_key = p.zm_declared_key
LEFT JOIN {WMI_MAKE_TABLE} AS m
    ON m.wmi = p.zm_wmi AND m.make_key = coalesce(a.make_key, p.zm_declared_key)
""".strip()
