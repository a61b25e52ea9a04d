"""The scorer's one-to-one assignment against brute force on small random matrices."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.assignment import max_weight_assignment

matrices = st.integers(0, 5).flatmap(
    lambda rows: st.integers(0, 5).flatmap(
        lambda columns: st.lists(st.lists(st.sampled_from([0, 0, 1, 2, 5, 7]),
                                          min_size=columns, max_size=columns),
                                 min_size=rows, max_size=rows)))


def best_total(weights: list[list[int]]) -> int:
    """The heaviest one-to-one total by trying every assignment."""
    rows = len(weights)
    columns = len(weights[0]) if rows else 0
    best = 0
    for chosen in itertools.product(range(-1, columns), repeat=rows):
        used = [c for c in chosen if c >= 0]
        if len(used) != len(set(used)):
            continue
        if any(c >= 0 and weights[r][c] <= 0 for r, c in enumerate(chosen)):
            continue
        best = max(best, sum(weights[r][c] for r, c in enumerate(chosen) if c >= 0))
    return best


@settings(max_examples=200, deadline=None, derandomize=True)
@given(matrices)
def test_assignment_is_one_to_one_and_heaviest(weights: list[list[int]]) -> None:
    pairs = max_weight_assignment(weights)
    assert len(set(pairs.values())) == len(pairs)
    assert all(weights[r][c] > 0 for r, c in pairs.items())
    assert sum(weights[r][c] for r, c in pairs.items()) == best_total(weights)


def test_no_edges_no_pairs() -> None:
    assert max_weight_assignment([]) == {}
    assert max_weight_assignment([[0, 0], [0, 0]]) == {}
    assert max_weight_assignment([[3, 0], [4, 1]]) == {0: 0, 1: 1}
