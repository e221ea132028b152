"""Differences between respondent groups (org type, sub-region, field).

Per group and scale column: mean and n. Whether groups differ: Kruskal–Wallis
across the groups large enough to show (n ≥ threshold), per column, with Holm's
correction over all columns tested; a difference is called a difference only
when the adjusted p < 0.05. Small groups keep their rows (with n) so that the
privacy layer, not this module, decides what is hidden.

``group_means`` columns: column, group, n, mean. ``group_tests`` columns:
column, groups_tested, statistic, p, p_adjusted, differs.
"""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats

from tilannekuva.analysis.stats import holm

ALPHA = 0.05


def group_means(survey: pd.DataFrame, by: str, columns: list[str]) -> pd.DataFrame:
    rows = []
    for group, part in survey.groupby(by, dropna=True):
        for column in columns:
            values = pd.to_numeric(part[column], errors="coerce").dropna()
            rows.append(
                {
                    "column": column,
                    "group": group,
                    "n": int(values.size),
                    "mean": float(values.mean()) if values.size else math.nan,
                }
            )
    return pd.DataFrame(rows, columns=["column", "group", "n", "mean"])


def group_tests(survey: pd.DataFrame, by: str, columns: list[str], min_n: int = 5) -> pd.DataFrame:
    rows = []
    for column in columns:
        samples = [
            pd.to_numeric(part[column], errors="coerce").dropna().to_numpy(dtype=float)
            for _, part in survey.groupby(by, dropna=True)
        ]
        samples = [s for s in samples if s.size >= min_n]
        statistic, p = math.nan, math.nan
        pooled = [v for s in samples for v in s]
        if len(samples) >= 2 and len(set(pooled)) > 1:
            statistic, p = (float(x) for x in stats.kruskal(*samples))
        rows.append(
            {"column": column, "groups_tested": len(samples), "statistic": statistic, "p": p}
        )
    table = pd.DataFrame(rows)
    table["p_adjusted"] = holm(table["p"].tolist())
    table["differs"] = table["p_adjusted"] < ALPHA
    return table
