"""A maximum-weight one-to-one assignment (the Hungarian method).

The scorer pairs predicted with gold entities one-to-one. Several pairings can
be equally large, and the scorer must pick the one a reader would: `메리츠종금증권`
with the gold `메리츠종금증권`, not with the gold `메리츠종합금융` it shares one alias
with. Weighting each possible pair and taking the heaviest assignment does that
without a dependency (scipy) for a few dozen entities per document.
"""

from __future__ import annotations

from collections.abc import Sequence


def max_weight_assignment(weights: Sequence[Sequence[float]]) -> dict[int, int]:
    """Row → column pairs with the largest total weight; a weight ≤ 0 is no edge.

    O(n³) for an n×m matrix with n, m ≤ ~100 (entities of one document).
    Give every edge a large common base weight to get a maximum-cardinality
    assignment first and the heaviest one among those second.
    """
    rows = len(weights)
    columns = max((len(row) for row in weights), default=0)
    size = max(rows, columns)
    if size == 0:
        return {}

    def weight(i: int, j: int) -> float:
        if i < rows and j < len(weights[i]):
            return max(weights[i][j], 0.0)
        return 0.0

    top = max(weight(i, j) for i in range(size) for j in range(size))
    cost = [[top - weight(i, j) for j in range(size)] for i in range(size)]
    # potentials and matching over 1-based indices; column 0 is the virtual start
    row_potential = [0.0] * (size + 1)
    column_potential = [0.0] * (size + 1)
    row_of_column = [0] * (size + 1)
    previous_column = [0] * (size + 1)
    for row in range(1, size + 1):
        row_of_column[0] = row
        column = 0
        slack = [float("inf")] * (size + 1)
        done = [False] * (size + 1)
        while True:
            done[column] = True
            current_row = row_of_column[column]
            delta = float("inf")
            next_column = 0
            for j in range(1, size + 1):
                if done[j]:
                    continue
                reduced = (cost[current_row - 1][j - 1] - row_potential[current_row]
                           - column_potential[j])
                if reduced < slack[j]:
                    slack[j] = reduced
                    previous_column[j] = column
                if slack[j] < delta:
                    delta = slack[j]
                    next_column = j
            for j in range(size + 1):
                if done[j]:
                    row_potential[row_of_column[j]] += delta
                    column_potential[j] -= delta
                else:
                    slack[j] -= delta
            column = next_column
            if row_of_column[column] == 0:
                break
        while column:
            before = previous_column[column]
            row_of_column[column] = row_of_column[before]
            column = before
    pairs: dict[int, int] = {}
    for j in range(1, size + 1):
        i = row_of_column[j] - 1
        if 0 <= i < rows and weight(i, j - 1) > 0:
            pairs[i] = j - 1
    return pairs
