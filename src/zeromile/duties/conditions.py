"""Compile a line's conditions and rate component to SQL over the duty base relation.

Every condition has a null-tolerant form, so that a car whose evidence is
missing (no engine size for a per-cc duty) is *possibly* covered: the line
then yields a ``DUTY_MISSING_EVIDENCE`` finding naming the missing fields
instead of silently not applying. The relation the expressions read is built
in :mod:`zeromile.duties.sql` (column ``b_<currency>`` holds the currency's
units per euro on the key date).
"""

from __future__ import annotations

from dataclasses import dataclass

from zeromile.duties.hs import (
    COMPRESSION_IGNITION,
    SPARK_IGNITION,
    hs_missing_fields_sql,
    hs_unknown_sql,
    subheadings_for_fuel,
)
from zeromile.duties.model import (
    AdValorem,
    AdValoremMinPerCc,
    Band,
    Fixed,
    PerCc,
    RateLine,
    TopUpTo,
    When,
)


def quote_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _list(values: tuple[str, ...]) -> str:
    return ", ".join(quote_literal(v) for v in values)


def rate_column(currency: str) -> str:
    """Column holding a static currency's units per euro on the key date."""
    return f"r_{currency.lower()}"


def convert_sql(amount: str, from_currency: str, to_currency_column: str) -> str:
    """Convert ``amount`` in a static currency to the schedule currency of the row."""
    return (
        f"(CASE WHEN {to_currency_column} = {quote_literal(from_currency)} THEN {amount} "
        f"ELSE {amount} / {rate_column(from_currency)} * sched_per_eur END)"
    )


def _band(column: str, band: Band) -> str:
    parts = []
    if band.over is not None:
        parts.append(f"{column} > {band.over!r}")
    if band.up_to is not None:
        parts.append(f"{column} <= {band.up_to!r}")
    return "(" + " AND ".join(parts) + ")"


@dataclass(frozen=True)
class _Check:
    """One condition: its test, and the evidence columns it needs."""

    test: str
    needs: tuple[str, ...]


def _hs_definite(subheadings: tuple[str, ...]) -> str:
    """The line covers the car's subheading; the engine size is not needed when the
    line lists every subheading of the car's propulsion (e.g. all of 8703.21-.24)."""
    covered = tuple(
        fuel
        for fuel in SPARK_IGNITION + COMPRESSION_IGNITION
        if set(subheadings_for_fuel(fuel)) <= set(subheadings)
    )
    test = f"hs_subheading IN ({_list(subheadings)})"
    if covered:
        test += f" OR (body = 'passenger' AND fuel IN ({_list(covered)}))"
    return f"({test})"


def _checks(when: When) -> list[_Check]:
    checks: list[_Check] = []
    if when.origins is not None:
        checks.append(_Check(f"origin_of_goods IN ({_list(when.origins)})", ("origin_of_goods",)))
    if when.exclude_origins:
        test = f"origin_of_goods NOT IN ({_list(when.exclude_origins)})"
        checks.append(_Check(test, ("origin_of_goods",)))
    if when.condition is not None:
        checks.append(
            _Check(f"declared_condition = {quote_literal(when.condition)}", ("declared_condition",))
        )
    if when.fuel is not None:
        checks.append(_Check(f"fuel IN ({_list(tuple(when.fuel))})", ("fuel",)))
    if when.engine_cc is not None:
        checks.append(_Check(_band("engine_cc", when.engine_cc), ("engine_cc",)))
    if when.power_kw is not None:
        checks.append(_Check(_band("power_kw", when.power_kw), ("power_kw",)))
    if when.age_years is not None:
        checks.append(_Check(_band("age_years", when.age_years), ("model_year",)))
    if when.makers is not None:
        makers = tuple(m.upper() for m in when.makers)
        checks.append(_Check(f"make_upper IN ({_list(makers)})", ("make",)))
    if when.importer_kind is not None:
        test = f"importer_kind = {quote_literal(when.importer_kind)}"
        checks.append(_Check(test, ("importer_kind",)))
    return checks


def _component_needs(line: RateLine) -> tuple[str, ...]:
    rate = line.rate
    needs: tuple[str, ...] = ()
    if isinstance(rate, AdValorem | AdValoremMinPerCc | TopUpTo) or line.when.value is not None:
        needs += ("declared_value", "currency")
    if isinstance(rate, PerCc | AdValoremMinPerCc):
        needs += ("engine_cc",)
    return needs


@dataclass(frozen=True)
class CompiledLine:
    """SQL pieces of one line: when it may apply, what is missing, what it charges."""

    possible: str
    missing_evidence: str
    missing_fx: str
    amount: str
    base: str
    base_currency: str
    rate_value: str


def _value_in(currency: str) -> str:
    """The declared value expressed in a static currency (NULL when a rate is missing)."""
    return (
        f"(CASE WHEN currency = {quote_literal(currency)} THEN declared_value "
        f"ELSE declared_value / r_declared * {rate_column(currency)} END)"
    )


def compile_line(line: RateLine) -> CompiledLine:
    """Compile one line; the caller adds the schedule and date filters."""
    checks = _checks(line.when)
    tolerant = [f"({' OR '.join(f'{n} IS NULL' for n in c.needs)} OR {c.test})" for c in checks]
    missing_parts: list[str] = []
    if line.when.hs is not None:
        definite = _hs_definite(line.when.hs)
        tolerant.append(f"({definite} OR {hs_unknown_sql()})")
        missing_parts.append(
            f"CASE WHEN NOT coalesce({definite}, FALSE) AND {hs_unknown_sql()} "
            f"THEN {hs_missing_fields_sql()} END"
        )
    fx_parts: list[str] = []
    value_band = line.when.value
    if value_band is not None:
        in_band = _value_in(value_band.currency)
        tolerant.append(f"({in_band} IS NULL OR {_band(in_band, value_band)})")
        fx_parts.append(
            f"CASE WHEN declared_value IS NOT NULL AND currency IS NOT NULL "
            f"AND {in_band} IS NULL THEN 'rate for ' || currency || '/' "
            f"|| {quote_literal(value_band.currency)} END"
        )
    needs = sorted({n for c in checks for n in c.needs} | set(_component_needs(line)))
    missing_parts += [f"CASE WHEN {n} IS NULL THEN {quote_literal(n)} END" for n in needs]
    rate = line.rate
    static_currency = getattr(rate, "currency", None)
    if static_currency is not None:
        fx_parts.append(
            f"CASE WHEN sched_currency <> {quote_literal(static_currency)} "
            f"AND (sched_per_eur IS NULL OR {rate_column(static_currency)} IS NULL) "
            f"THEN 'rate for ' || {quote_literal(static_currency)} || '/' || sched_currency END"
        )
    if isinstance(rate, AdValorem | AdValoremMinPerCc | TopUpTo):
        fx_parts.append(
            "CASE WHEN declared_value IS NOT NULL AND currency IS NOT NULL AND base IS NULL "
            "THEN 'rate for ' || currency || '/' || sched_currency END"
        )
    amount, base, base_currency, rate_value = _amount(line)
    return CompiledLine(
        possible=" AND ".join(tolerant) if tolerant else "TRUE",
        missing_evidence=f"NULLIF(concat_ws(',', {', '.join(missing_parts) or 'NULL'}), '')",
        missing_fx=f"NULLIF(concat_ws(',', {', '.join(fx_parts) or 'NULL'}), '')",
        amount=amount,
        base=base,
        base_currency=base_currency,
        rate_value=rate_value,
    )


def _amount(line: RateLine) -> tuple[str, str, str, str]:
    """(amount in schedule currency, base, base currency, rate) as SQL expressions."""
    rate = line.rate
    if isinstance(rate, AdValorem):
        share = rate.percent / 100
        return f"base * {share!r}", "base", "sched_currency", repr(share)
    if isinstance(rate, PerCc):
        per_cc = convert_sql(f"engine_cc * {rate.amount!r}", rate.currency, "sched_currency")
        return per_cc, "CAST(engine_cc AS DOUBLE)", "'cc'", repr(rate.amount)
    if isinstance(rate, AdValoremMinPerCc):
        share = rate.percent / 100
        floor = convert_sql(f"engine_cc * {rate.min_per_cc!r}", rate.currency, "sched_currency")
        return f"greatest(base * {share!r}, {floor})", "base", "sched_currency", repr(share)
    if isinstance(rate, Fixed):
        return (
            convert_sql(repr(rate.amount), rate.currency, "sched_currency"),
            "NULL",
            "NULL",
            "NULL",
        )
    assert isinstance(rate, TopUpTo)
    share = rate.percent / 100
    # The amount depends on the other lines; computed after supersession.
    return "CAST(NULL AS DOUBLE)", "base", "sched_currency", repr(share)


def component_kind(line: RateLine) -> str:
    """The component's kind as reported in duty lines."""
    kind: str = line.rate.kind
    return kind


def is_ad_valorem(line: RateLine) -> bool:
    """Whether a line counts towards the all-in ad valorem rate that a top-up raises."""
    return isinstance(line.rate, AdValorem)
