"""Small-cell suppression: no hidden cell can be narrowed below the threshold.

The bound test solves, for a published one-way table (groups and their total),
the smallest and largest value each hidden cell can take given everything
published (linear programming over non-negative integers' relaxation), and
fails when that range is narrower than the threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from tilannekuva.privacy.suppress import hidden_groups, suppress_groups

THRESHOLD = 5


def hidden_cell_bounds(counts: list[int], hidden: list[bool]) -> list[tuple[float, float]]:
    """Bounds each hidden cell has, given the published cells and the published total."""
    idx = [i for i, h in enumerate(hidden) if h]
    if not idx:
        return []
    hidden_sum = sum(counts[i] for i in idx)  # = total − published cells: known to a reader
    bounds = []
    for target in range(len(idx)):
        c = np.zeros(len(idx))
        c[target] = 1
        a_eq, b_eq = np.ones((1, len(idx))), [hidden_sum]
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * len(idx)).fun
        high = -linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * len(idx)).fun
        bounds.append((low, high))
    return bounds


def assert_protected(counts: list[int], hidden: list[bool]) -> None:
    for i, n in enumerate(counts):
        if 0 < n < THRESHOLD or n == 0:
            assert hidden[i], f"group {i} with n={n} is shown"
    for low, high in hidden_cell_bounds(counts, hidden):
        assert high - low >= THRESHOLD, (counts, hidden, low, high)


def test_one_small_group_takes_a_second_one_with_it():
    counts = [148, 62, 30, 3, 57]
    hidden = hidden_groups(counts, THRESHOLD)
    assert hidden == [False, False, True, True, False]
    assert_protected(counts, hidden)


def test_two_tiny_groups_need_a_third():
    counts = [1, 1, 40, 60]
    hidden = hidden_groups(counts, THRESHOLD)
    assert hidden == [True, True, True, False]
    assert_protected(counts, hidden)


def test_nothing_small_nothing_hidden():
    assert hidden_groups([10, 20, 5], THRESHOLD) == [False, False, False]


def test_without_a_published_total_only_primary():
    assert hidden_groups([3, 40, 60], THRESHOLD, total_known=False) == [True, False, False]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=12))
def test_random_tables_are_protected(counts):
    hidden = hidden_groups(counts, THRESHOLD)
    if sum(counts) >= THRESHOLD and len(counts) > 1:
        assert_protected(counts, hidden)


def test_the_bound_check_catches_an_unprotected_table():
    # Hiding only the 3 lets a reader compute it from the total: the check must fail.
    with pytest.raises(AssertionError):
        assert_protected([148, 62, 30, 3, 57], [False, False, False, True, False])


def test_values_of_hidden_groups_are_na_and_flagged():
    frame = pd.DataFrame(
        {"group": list("abcd"), "n": [50, 3, 20, 40], "mean": [3.1, 4.9, 2.2, 3.0]}
    )
    out = suppress_groups(frame, value_cols=["mean"], threshold=THRESHOLD)
    assert out["suppressed"].tolist() == [False, True, True, False]
    assert out["mean"].isna().tolist() == [False, True, True, False]
    assert out["n"].isna().tolist() == [False, True, True, False]
    assert 4.9 not in out["mean"].dropna().tolist() and 3 not in out["n"].dropna().tolist()
