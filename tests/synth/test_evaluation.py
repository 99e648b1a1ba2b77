"""Metrics on tiny hand-made tables where the answer is obvious."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zeromile.errors import DossierError
from zeromile.synth.evaluation import best_f1_threshold, evaluate
from zeromile.synth.schema import TRUTH_FINDING_COLUMNS


def _truth(rows: list[dict[str, object]]) -> pa.Table:
    full = []
    for row in rows:
        base: dict[str, object] = {code: False for code in TRUTH_FINDING_COLUMNS}
        base.update({"is_zero_mileage_car": False, "anomaly": "", "malformed": False})
        base.update(row)
        full.append(base)
    return pa.Table.from_pylist(full)


def _decisions(rows: list[tuple[str, str, float | None]]) -> pa.Table:
    return pa.table(
        {
            "declaration_id": [r[0] for r in rows],
            "findings": [r[1] for r in rows],
            "zero_mileage_score": pa.array([r[2] for r in rows], pa.float64()),
        }
    )


TRUTH = _truth(
    [
        {"declaration_id": "D1", "VIN_INVALID": True, "is_zero_mileage_car": True},
        {"declaration_id": "D2", "REEXPORT": True},
        {"declaration_id": "D3", "is_zero_mileage_car": True},
        {"declaration_id": "D4"},
        {"declaration_id": "D5", "malformed": True, "VIN_INVALID": True},
    ]
)


def test_counts_per_finding() -> None:
    decisions = _decisions(
        [
            ("D1", "VIN_INVALID;ZERO_MILEAGE", 0.9),
            ("D2", "", 0.8),
            ("D3", "VIN_INVALID", 0.3),
            ("D4", "RULE_FROM_THE_RULEBOOK", 0.1),
        ]
    )
    result = evaluate(decisions, TRUTH)
    vin = result.findings["VIN_INVALID"]
    assert (vin.tp, vin.fp, vin.fn) == (1, 1, 0)
    assert vin.precision == 0.5
    assert vin.recall == 1.0
    reexport = result.findings["REEXPORT"]
    assert (reexport.tp, reexport.fp, reexport.fn) == (0, 0, 1)
    assert reexport.precision is None
    assert reexport.recall == 0.0
    assert result.evaluated_rows == 4
    assert result.malformed_rows == 1
    assert result.malformed_rejected == 1
    zm = result.zero_mileage_finding_vs_car
    assert (zm.tp, zm.fp, zm.fn) == (1, 0, 1)


def test_score_is_judged_at_its_best_f1_threshold() -> None:
    decisions = _decisions([("D1", "", 0.9), ("D2", "", 0.8), ("D3", "", 0.3), ("D4", "", 0.1)])
    score = evaluate(decisions, TRUTH).score
    # thresholds 0.9/0.8/0.3/0.1 give F1 2/3, 1/2, 4/5, 2/3: 0.3 wins
    assert score.threshold == 0.3
    assert score.confusion.precision == pytest.approx(2 / 3)
    assert score.confusion.recall == 1.0
    assert score.average_precision == pytest.approx((1 + 2 / 3) / 2)


def test_tied_scores_share_one_threshold() -> None:
    result = best_f1_threshold(np.array([0.5, 0.5, 0.5]), np.array([True, False, False]))
    assert result.threshold == 0.5
    assert (result.confusion.tp, result.confusion.fp) == (1, 2)


def test_missing_decisions_count_as_no_findings() -> None:
    result = evaluate(_decisions([("D1", "VIN_INVALID", 0.9)]), TRUTH)
    assert result.missing_decisions == 3
    assert result.findings["VIN_INVALID"].tp == 1
    assert result.findings["REEXPORT"].fn == 1
    assert result.score.scored == 1


def test_unknown_ids_are_counted_not_scored() -> None:
    result = evaluate(_decisions([("D1", "", 0.9), ("X9", "REEXPORT", 0.9)]), TRUTH)
    assert result.unknown_decisions == 1
    assert result.findings["REEXPORT"].fp == 0


def test_duplicate_decision_is_an_error() -> None:
    with pytest.raises(DossierError, match="D1 more than once"):
        evaluate(_decisions([("D1", "", 0.1), ("D1", "", 0.2)]), TRUTH)


def test_missing_column_is_named() -> None:
    with pytest.raises(DossierError, match="zero_mileage_score"):
        evaluate(pa.table({"declaration_id": ["D1"], "findings": [""]}), TRUTH)


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]), st.booleans()),
        min_size=1,
        max_size=40,
    )
)
def test_best_threshold_matches_brute_force(pairs: list[tuple[float, bool]]) -> None:
    scores = np.array([p[0] for p in pairs])
    labels = np.array([p[1] for p in pairs])
    best_f1, best_t = -1.0, None
    for t in sorted(set(scores.tolist()), reverse=True):
        predicted = scores >= t
        tp = int((predicted & labels).sum())
        fp = int((predicted & ~labels).sum())
        fn = int((~predicted & labels).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best_f1, best_t = f1, t
    result = best_f1_threshold(scores, labels)
    assert result.threshold == best_t
    assert (result.confusion.f1 or 0.0) == pytest.approx(best_f1)
