"""Small statistics shared by the benchmarks (median, p95, ratio of medians)."""

from __future__ import annotations

import statistics


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The 95th percentile (inclusive method, so it works for short samples)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def ratio(measured: list[float], baseline: list[float]) -> float:
    """Median of the measured runs over the median of the baseline runs."""
    return median(measured) / median(baseline)
