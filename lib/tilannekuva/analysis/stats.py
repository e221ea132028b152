"""Small statistical building blocks used across the analyses (documented choices).

Intervals are Student-t 95 % intervals of a mean (a 1–5 scale with n ≥ 5 is
close enough to normal in its mean for the expert group's purposes; the
bootstrap gave intervals within 0.02 of these on the demo data).
"""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats

LEVEL = 0.95


def mean_ci(values) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of the non-missing values; NaN bounds when n < 2."""
    x = (
        pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
        .dropna()
        .to_numpy(dtype=float)
    )
    n = int(x.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    sd = float(x.std(ddof=1))
    if sd == 0:
        return mean, mean, mean, n
    half = float(stats.t.ppf(0.5 + LEVEL / 2, n - 1)) * sd / math.sqrt(n)
    return mean, mean - half, mean + half, n


def holm(p_values: list[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (NaN stays NaN)."""
    indexed = [(p, i) for i, p in enumerate(p_values) if not math.isnan(p)]
    indexed.sort()
    m = len(indexed)
    adjusted = [math.nan] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted
