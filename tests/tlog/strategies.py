"""Hypothesis strategies for the transparency-log tests."""

from __future__ import annotations

from hypothesis import strategies as st

tree_sizes = st.integers(min_value=1, max_value=1100)
entries = st.binary(min_size=0, max_size=64)


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(tree_sizes)
    return size, draw(st.integers(min_value=0, max_value=size - 1))


@st.composite
def old_and_new_size(draw: st.DrawFn) -> tuple[int, int]:
    new = draw(tree_sizes)
    return draw(st.integers(min_value=0, max_value=new)), new


batch_plans = st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=6)
