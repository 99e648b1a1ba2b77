"""HS 2022 subheadings of heading 8703 derived from body, fuel and engine size.

The screening adds :func:`hs_subheading_sql` to the features as
``hs_subheading``; :func:`hs_subheading` is the same mapping for one car, and
a test checks that the two agree. Breakpoints follow the HS texts
("exceeding 1,000 cc but not exceeding 1,500 cc"). Sources: regulations notes
§7.1, e.g. https://htshub.com/us-hs/head/8703-1 and
https://tsukanshi.com/hscode/code/14498.

Mapping choices (see ``docs/duties.md``): LPG and CNG engines are
spark-ignition, so they fall under 8703.21-.24; ``hev`` is taken as a petrol
hybrid (8703.40; a diesel hybrid, 8703.50, cannot be told from the fuel enum);
``bev`` and ``fcev`` are propelled by an electric motor only (8703.80);
``erev`` is left undetermined (NULL) because its classification is disputed;
a body other than ``passenger`` is not heading 8703 (NULL).
"""

from __future__ import annotations

SPARK_IGNITION = ("petrol", "lpg", "cng")
COMPRESSION_IGNITION = ("diesel",)
_FIXED = {
    "hev": "8703.40",
    "phev": "8703.60",
    "bev": "8703.80",
    "fcev": "8703.80",
    "other": "8703.90",
}
_SPARK_BANDS = ((1000, "8703.21"), (1500, "8703.22"), (3000, "8703.23"))
_DIESEL_BANDS = ((1500, "8703.31"), (2500, "8703.32"))


def hs_subheading(body: str | None, fuel: str | None, engine_cc: int | None) -> str | None:
    """The 8703 subheading of one car, or None when it cannot be derived."""
    if body != "passenger" or fuel is None:
        return None
    if fuel in _FIXED:
        return _FIXED[fuel]
    bands: tuple[tuple[int, str], ...]
    if fuel in SPARK_IGNITION:
        bands, top = _SPARK_BANDS, "8703.24"
    elif fuel in COMPRESSION_IGNITION:
        bands, top = _DIESEL_BANDS, "8703.33"
    else:
        return None
    if engine_cc is None:
        return None
    for limit, code in bands:
        if engine_cc <= limit:
            return code
    return top


def subheadings_for_fuel(fuel: str) -> tuple[str, ...]:
    """Every subheading a passenger car of this fuel can fall under."""
    if fuel in SPARK_IGNITION:
        return (*(code for _, code in _SPARK_BANDS), "8703.24")
    if fuel in COMPRESSION_IGNITION:
        return (*(code for _, code in _DIESEL_BANDS), "8703.33")
    code = _FIXED.get(fuel)
    return (code,) if code else ()


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def hs_subheading_sql(body: str = "body", fuel: str = "fuel", engine_cc: str = "engine_cc") -> str:
    """The same mapping as a DuckDB/Spark SQL expression over the named columns."""
    fixed = " ".join(f"WHEN {fuel} = '{f}' THEN '{code}'" for f, code in _FIXED.items())
    spark = " ".join(f"WHEN {engine_cc} <= {lim} THEN '{code}'" for lim, code in _SPARK_BANDS)
    diesel = " ".join(f"WHEN {engine_cc} <= {lim} THEN '{code}'" for lim, code in _DIESEL_BANDS)
    return (
        f"(CASE WHEN {body} IS NULL OR {body} <> 'passenger' OR {fuel} IS NULL THEN NULL "
        f"{fixed} "
        f"WHEN {engine_cc} IS NULL THEN NULL "
        f"WHEN {_in(fuel, SPARK_IGNITION)} THEN (CASE {spark} ELSE '8703.24' END) "
        f"WHEN {_in(fuel, COMPRESSION_IGNITION)} THEN (CASE {diesel} ELSE '8703.33' END) "
        f"ELSE NULL END)"
    )


def hs_unknown_sql(body: str = "body", fuel: str = "fuel", engine_cc: str = "engine_cc") -> str:
    """True when the subheading is NULL only because evidence is missing.

    A commercial body is a definite "not 8703"; a petrol car without an
    engine size is missing evidence.
    """
    ice = SPARK_IGNITION + COMPRESSION_IGNITION
    return (
        f"({body} IS NULL OR ({body} = 'passenger' AND ({fuel} IS NULL "
        f"OR ({_in(fuel, ice)} AND {engine_cc} IS NULL))))"
    )


def hs_missing_fields_sql(
    body: str = "body", fuel: str = "fuel", engine_cc: str = "engine_cc"
) -> str:
    """Names of the missing inputs of the subheading, comma-separated (NULL if none)."""
    ice = SPARK_IGNITION + COMPRESSION_IGNITION
    return (
        f"NULLIF(concat_ws(',', "
        f"CASE WHEN {body} IS NULL THEN 'body' END, "
        f"CASE WHEN {fuel} IS NULL THEN 'fuel' END, "
        f"CASE WHEN {_in(fuel, ice)} AND {engine_cc} IS NULL THEN 'engine_cc' END), '')"
    )


def normalise_hs_code(declared: str | None) -> str | None:
    """The first six digits of a declared code ("8703.23.01" -> "870323"), or None."""
    if declared is None:
        return None
    digits = "".join(ch for ch in declared if ch not in ". \t")
    if len(digits) < 6 or not digits.isdigit():
        return None
    return digits[:6]


HS_MISMATCH_RULE_ID = "duties.hs.declared_code_contradicts_vehicle"


def hs_code_mismatch_sql(features: str = "features") -> str:
    """Findings ``HS_CODE_MISMATCH`` (review) where the declared code contradicts the car.

    Only codes of six or more digits (dots and spaces ignored) are compared,
    and only when the subheading can be derived from fuel and engine size. A
    code that starts with the subheading as written ("8703.23", "870323")
    matches it; only the others get the costlier digit-by-digit comparison.
    """
    declared = "regexp_replace(hs_code, '[. \\t]', '', 'g')"
    derived = "replace(hs_subheading, '.', '')"
    evidence = (
        "to_json(struct_pack(declared_hs_code := hs_code, derived_subheading := hs_subheading, "
        "fuel := fuel, engine_cc := engine_cc, body := body))"
    )
    return (
        "SELECT declaration_id, 'HS_CODE_MISMATCH' AS code, 'review' AS severity, "
        f"'{HS_MISMATCH_RULE_ID}' AS rule_id, CAST({evidence} AS VARCHAR) AS evidence "
        f"FROM {features} "
        "WHERE hs_code IS NOT NULL AND hs_subheading IS NOT NULL "
        f"AND NOT starts_with(hs_code, hs_subheading) AND NOT starts_with(hs_code, {derived}) "
        f"AND regexp_matches({declared}, '^[0-9]{{6,}}$') "
        f"AND substr({declared}, 1, 6) <> {derived}"
    )
