"""Precision and recall of screening decisions against a world's ground truth.

Pure: takes two Arrow tables, returns numbers. Each finding code is scored as
a yes/no label per declaration; the zero-mileage score is scored at the
threshold that maximises F1 (stated in the result), plus its average precision.
Malformed rows are left out of every metric: the screening should reject
them, and :attr:`Evaluation.malformed_rejected` counts how many it did.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from zeromile.errors import DossierError
from zeromile.synth.schema import TRUTH_FINDING_COLUMNS

DECISION_COLUMNS: tuple[str, ...] = ("declaration_id", "findings", "zero_mileage_score")


@dataclass(frozen=True)
class Confusion:
    """Counts and rates of one yes/no prediction against its label."""

    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None

    @classmethod
    def of(cls, predicted: np.ndarray, actual: np.ndarray) -> Confusion:
        """Compare two boolean arrays."""
        tp = int((predicted & actual).sum())
        fp = int((predicted & ~actual).sum())
        fn = int((~predicted & actual).sum())
        return cls.from_counts(tp, fp, fn)

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> Confusion:
        """Rates from counts; a rate with an empty denominator is None."""
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = (2 * tp / (2 * tp + fp + fn)) if tp else (0.0 if fp + fn else None)
        return cls(tp, fp, fn, precision, recall, f1)


@dataclass(frozen=True)
class ScoreResult:
    """The score at its best-F1 threshold (predict positive when score >= threshold)."""

    threshold: float | None
    confusion: Confusion
    average_precision: float | None
    scored: int  # rows with a score


@dataclass(frozen=True)
class Evaluation:
    """Everything ``zeromile evaluate`` reports."""

    truth_rows: int
    evaluated_rows: int
    missing_decisions: int  # well-formed truth rows without a decision
    unknown_decisions: int  # decisions whose id is not in the truth
    malformed_rows: int
    malformed_rejected: int  # malformed rows with no decision
    findings: dict[str, Confusion]
    zero_mileage_finding_vs_car: Confusion  # the ZERO_MILEAGE rule against the real label
    score: ScoreResult

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def _require(table: pa.Table, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise DossierError(f"{what} lacks column(s) {', '.join(missing)}; has {table.column_names}")


def _finding_matrix(findings: pa.ChunkedArray | pa.Array, codes: tuple[str, ...]) -> np.ndarray:
    """Boolean (rows, codes): whether each row's ';'-joined findings name each code."""
    arr = findings.combine_chunks() if isinstance(findings, pa.ChunkedArray) else findings
    arr = pc.fill_null(arr.cast(pa.string()), "")
    parts = pc.split_pattern(arr, ";")
    values = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    parents = pc.list_parent_indices(parts).to_numpy()
    code_index = pc.index_in(values, value_set=pa.array(codes)).to_numpy(zero_copy_only=False)
    out = np.zeros((len(arr), len(codes)), dtype=bool)
    known = ~np.isnan(code_index.astype(np.float64))
    out[parents[known], code_index[known].astype(np.int64)] = True
    return out


def best_f1_threshold(scores: np.ndarray, labels: np.ndarray) -> ScoreResult:
    """Scan every distinct score as a threshold and keep the one with the highest F1."""
    positives = int(labels.sum())
    if len(scores) == 0:
        return ScoreResult(None, Confusion.from_counts(0, 0, positives), None, 0)
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    fp = np.cumsum(~y)
    last_of_value = np.append(s[1:] != s[:-1], True)  # thresholds sit at value boundaries
    tp_t, fp_t = tp[last_of_value], fp[last_of_value]
    f1 = np.where(tp_t > 0, 2 * tp_t / (tp_t + fp_t + positives), 0.0)
    best = int(np.argmax(f1))  # first maximum: the highest threshold among ties
    threshold = float(s[last_of_value][best])
    confusion = Confusion.from_counts(int(tp_t[best]), int(fp_t[best]), positives - int(tp_t[best]))
    ap = None
    if positives:
        precision_at = tp_t / (tp_t + fp_t)
        recall_gain = np.diff(np.concatenate([[0], tp_t])) / positives
        ap = float((precision_at * recall_gain).sum())
    return ScoreResult(threshold, confusion, ap, len(scores))


def evaluate(decisions: pa.Table, truth: pa.Table) -> Evaluation:
    """Join decisions to the truth on ``declaration_id`` and score every finding and the score."""
    _require(decisions, DECISION_COLUMNS, "the decisions")
    _require(
        truth,
        ("declaration_id", *TRUTH_FINDING_COLUMNS, "is_zero_mileage_car", "malformed"),
        "the truth",
    )
    ids = decisions.column("declaration_id").cast(pa.string())
    if pc.count_distinct(ids).as_py() != decisions.num_rows:
        counts = pc.value_counts(ids)
        dup = next(v["values"] for v in counts.to_pylist() if v["counts"] > 1)
        raise DossierError(f"the decisions name declaration {dup} more than once")
    truth_ids = truth.column("declaration_id").cast(pa.string())
    where = pc.index_in(truth_ids, value_set=ids).to_numpy(zero_copy_only=False)
    has_decision = ~np.isnan(where.astype(np.float64))
    row = np.where(has_decision, np.nan_to_num(where.astype(np.float64)), 0).astype(np.int64)
    malformed = truth.column("malformed").to_numpy(zero_copy_only=False).astype(bool)
    keep = ~malformed

    predicted = _finding_matrix(decisions.column("findings"), TRUTH_FINDING_COLUMNS)[row]
    predicted[~has_decision] = False
    findings = {
        code: Confusion.of(
            predicted[keep, i], truth.column(code).to_numpy(zero_copy_only=False)[keep].astype(bool)
        )
        for i, code in enumerate(TRUTH_FINDING_COLUMNS)
    }
    is_zm = truth.column("is_zero_mileage_car").to_numpy(zero_copy_only=False).astype(bool)
    zm_code = TRUTH_FINDING_COLUMNS.index("ZERO_MILEAGE")
    raw = pc.fill_null(decisions.column("zero_mileage_score").cast(pa.float64()), np.nan)
    score = raw.to_numpy()[row]
    scored = keep & has_decision & ~np.isnan(score)
    matched = pc.is_in(ids, value_set=truth_ids).to_numpy(zero_copy_only=False)
    return Evaluation(
        truth_rows=truth.num_rows,
        evaluated_rows=int(keep.sum()),
        missing_decisions=int((keep & ~has_decision).sum()),
        unknown_decisions=int((~matched).sum()),
        malformed_rows=int(malformed.sum()),
        malformed_rejected=int((malformed & ~has_decision).sum()),
        findings=findings,
        zero_mileage_finding_vs_car=Confusion.of(predicted[keep, zm_code], is_zm[keep]),
        score=best_f1_threshold(score[scored], is_zm[scored]),
    )
