"""The exit rule: N entries within a window ending on the day."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zeromile.registry import ExitRule

D = dt.date


def test_window_is_half_open_ending_on_the_day() -> None:
    rule = ExitRule(threshold=3, window_days=365)
    dates = [D(2025, 1, 1), D(2025, 6, 1), D(2025, 12, 31)]
    assert rule.entries_in_window(dates, D(2025, 12, 31)) == 3
    assert rule.triggered(dates, D(2025, 12, 31))
    # 2025-01-01 falls out of the window 365 days later
    assert rule.entries_in_window(dates, D(2026, 1, 1)) == 2
    assert not rule.triggered(dates, D(2026, 1, 1))


def test_future_entries_do_not_count() -> None:
    rule = ExitRule(threshold=1, window_days=30)
    assert not rule.triggered([D(2025, 2, 1)], D(2025, 1, 31))


@given(
    st.lists(st.dates(D(2020, 1, 1), D(2030, 1, 1)), max_size=20),
    st.dates(D(2020, 1, 1), D(2030, 1, 1)),
    st.integers(1, 10),
    st.integers(1, 800),
)
def test_triggered_iff_count_reaches_threshold(
    dates: list[dt.date], on: dt.date, threshold: int, window: int
) -> None:
    rule = ExitRule(threshold=threshold, window_days=window)
    expected = sum(1 for d in dates if 0 <= (on - d).days < window)
    assert rule.entries_in_window(dates, on) == expected
    assert rule.triggered(dates, on) is (expected >= threshold)
