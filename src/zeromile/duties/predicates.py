"""The one generic predicate that decides whether a rate line may apply to a car.

Every condition is null-tolerant: a car whose evidence is missing is
*possibly* covered, and the missing fields are named (``DUTY_MISSING_EVIDENCE``)
instead of the line silently not applying. Columns come from the join of the
duty base with the rate-line relation (:mod:`zeromile.duties.rate_table`).
"""

from __future__ import annotations

ICE_FUELS = "('petrol', 'lpg', 'cng', 'diesel')"
_VALUE_KINDS = "('ad_valorem', 'ad_valorem_min_per_cc', 'top_up_to')"


def _in_band(column: str, over: str, up_to: str) -> str:
    return f"(({over} IS NULL OR {column} > {over}) AND ({up_to} IS NULL OR {column} <= {up_to}))"


def _convert(amount: str) -> str:
    """A line-currency amount in the schedule's currency."""
    return (
        f"(CASE WHEN line_currency = sched_currency THEN {amount} "
        f"ELSE {amount} / r_line * sched_per_eur END)"
    )


MISSING_EVIDENCE = f"""NULLIF(concat_ws(',',
      CASE WHEN origin_of_goods IS NULL AND (origins IS NOT NULL OR exclude_origins IS NOT NULL)
           THEN 'origin_of_goods' END,
      CASE WHEN hs_need AND body IS NULL THEN 'body' END,
      CASE WHEN declared_condition IS NULL AND cond IS NOT NULL THEN 'declared_condition' END,
      CASE WHEN fuel IS NULL AND (fuels IS NOT NULL OR hs_need) THEN 'fuel' END,
      CASE WHEN engine_cc IS NULL AND (cc_over IS NOT NULL OR cc_up_to IS NOT NULL
           OR kind IN ('per_cc', 'ad_valorem_min_per_cc') OR (hs_need AND fuel IN {ICE_FUELS}))
           THEN 'engine_cc' END,
      CASE WHEN power_kw IS NULL AND (kw_over IS NOT NULL OR kw_up_to IS NOT NULL)
           THEN 'power_kw' END,
      CASE WHEN model_year IS NULL AND (age_over IS NOT NULL OR age_up_to IS NOT NULL)
           THEN 'model_year' END,
      CASE WHEN make IS NULL AND makers IS NOT NULL THEN 'make' END,
      CASE WHEN importer_kind IS NULL AND line_importer_kind IS NOT NULL THEN 'importer_kind' END,
      CASE WHEN declared_value IS NULL AND (value_currency IS NOT NULL OR kind IN {_VALUE_KINDS})
           THEN 'declared_value' END,
      CASE WHEN currency IS NULL AND (value_currency IS NOT NULL OR kind IN {_VALUE_KINDS})
           THEN 'currency' END), '')"""

MISSING_FX = f"""NULLIF(concat_ws(',',
      CASE WHEN value_currency IS NOT NULL AND declared_value IS NOT NULL AND currency IS NOT NULL
           AND value_in_band IS NULL THEN 'rate for ' || currency || '/' || value_currency END,
      CASE WHEN line_currency IS NOT NULL AND line_currency <> sched_currency
           AND (sched_per_eur IS NULL OR r_line IS NULL)
           THEN 'rate for ' || line_currency || '/' || sched_currency END,
      CASE WHEN kind IN {_VALUE_KINDS} AND declared_value IS NOT NULL AND currency IS NOT NULL
           AND base IS NULL THEN 'rate for ' || currency || '/' || sched_currency END), '')"""

POSSIBLE = f"""(origins IS NULL OR origin_of_goods IS NULL
         OR strpos(origins, origin_key) > 0)
    AND (exclude_origins IS NULL OR origin_of_goods IS NULL
         OR NOT strpos(exclude_origins, origin_key) > 0)
    AND (hs IS NULL OR hs_hit OR hs_unknown)
    AND (cond IS NULL OR declared_condition IS NULL OR declared_condition = cond)
    AND (fuels IS NULL OR fuel IS NULL OR strpos(fuels, fuel_key) > 0)
    AND (engine_cc IS NULL OR {_in_band("engine_cc", "cc_over", "cc_up_to")})
    AND (power_kw IS NULL OR {_in_band("power_kw", "kw_over", "kw_up_to")})
    AND (age_years IS NULL OR {_in_band("age_years", "age_over", "age_up_to")})
    AND (makers IS NULL OR make_upper IS NULL OR strpos(makers, make_key) > 0)
    AND (line_importer_kind IS NULL OR importer_kind IS NULL OR importer_kind = line_importer_kind)
    AND (value_in_band IS NULL OR {_in_band("value_in_band", "value_over", "value_up_to")})"""

AMOUNT = f"""CASE kind
      WHEN 'ad_valorem' THEN base * share
      WHEN 'per_cc' THEN {_convert("engine_cc * line_amount")}
      WHEN 'ad_valorem_min_per_cc'
        THEN greatest(base * share, {_convert("engine_cc * min_per_cc")})
      WHEN 'fixed' THEN {_convert("line_amount")}
    END"""
