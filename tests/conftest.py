"""Suite-wide ordering: the long tests start first, so two workers finish together.

pytest-xdist's `worksteal` scheduler first gives each worker one half of the collected
tests, in order. A long test collected near the end would start when the rest is done and
keep one worker busy alone; so the tests marked `long` move to the front of the two
halves, alternately (the first to the first half, the second to the second half, ...).
Without xdist the order changes nothing but the order.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    long = [item for item in items if item.get_closest_marker("long")]
    if not long:
        return
    rest = [item for item in items if not item.get_closest_marker("long")]
    halves = [long[0::2], long[1::2]]
    middle = (len(items) + 1) // 2 - len(halves[0])
    items[:] = halves[0] + rest[:middle] + halves[1] + rest[middle:]
