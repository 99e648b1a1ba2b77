"""Statistics recomputed from logged entries only, and checked against published files."""

from __future__ import annotations

import pytest

from tests.tlog.test_publish import decision
from zeromile.errors import LogError
from zeromile.tlog.records import build_entry
from zeromile.tlog.stats import compare, summarize


def _logged(rows: list[tuple[dict[str, object], int | None]]) -> list[tuple[int, bytes]]:
    return [
        (i, build_entry(row, salt=bytes(32), supersedes=sup).encode())
        for i, (row, sup) in enumerate(rows)
    ]


def test_summary_counts_effective_decisions_only() -> None:
    entries = _logged(
        [
            (decision("D1", declaration_date="2025-01-10"), None),
            (decision("D2", origin="KR", zero_mileage=False, findings=[], verdict="clear"), None),
            (decision("D3", declaration_date="2025-01-31"), None),
            (decision("D1", declaration_date="2025-01-10", zero_mileage=False, verdict="review",
                      findings=["CN_180_DAYS"]), 0),
        ]
    )  # fmt: skip
    summary = summarize(entries)
    assert summary["entries"] == 4
    assert summary["superseded"] == 1
    assert summary["declarations"] == 3
    assert summary["by_verdict"] == {"clear": 1, "refuse": 1, "review": 1}
    assert summary["by_finding"] == {"CN_180_DAYS": 2, "ZERO_MILEAGE": 1}
    assert summary["by_flow"] == {"CN-RU": 2, "KR-RU": 1}
    assert summary["zero_mileage"]["CN"]["2025-01"] == {
        "declarations": 2,
        "zero_mileage": 1,
        "share": 0.5,
    }
    assert summary["zero_mileage"]["KR"]["2025-08"]["share"] == 0.0


def test_supersedes_pointing_elsewhere_is_an_error() -> None:
    entries = _logged([(decision("D1"), None), (decision("D2"), 0)])
    with pytest.raises(LogError, match="entry 1 supersedes 0, which is not an earlier entry of"):
        summarize(entries)


def test_compare_lists_each_differing_figure() -> None:
    entries = _logged([(decision("D1"), None)])
    good = summarize(entries)
    bad = {**good, "by_verdict": {"refuse": 2}, "declarations": 5}
    assert compare(good, summarize(entries)) == []
    assert compare(bad, good) == [
        "declarations: published 5, recomputed 1",
        "by_verdict.refuse: published 2, recomputed 1",
    ]
