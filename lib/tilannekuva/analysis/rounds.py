"""Change from the previous survey round, with the same honesty about chance.

``round_change`` columns: column, previous, current, mean_previous,
mean_current, change, low, high (Welch 95 % interval of the difference),
n_previous, n_current, p, changed (p < 0.05). Empty when there is one round.
Rounds are ordered by their label (``2025-kevät`` < ``2025-syksy`` < ``2026-kevät``).
"""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats

SEASON_ORDER = {"kevät": 0, "kesä": 1, "syksy": 2, "talvi": 3}


def round_key(label: str) -> tuple:
    year, _, season = str(label).partition("-")
    return (int(year) if year.isdigit() else 0, SEASON_ORDER.get(season, 9), label)


def ordered_rounds(survey: pd.DataFrame) -> list[str]:
    return sorted(survey["round"].dropna().unique().tolist(), key=round_key)


def round_change(survey: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    rounds = ordered_rounds(survey)
    if len(rounds) < 2:
        return pd.DataFrame(
            columns=[
                "column",
                "previous",
                "current",
                "mean_previous",
                "mean_current",
                "change",
                "low",
                "high",
                "n_previous",
                "n_current",
                "p",
                "changed",
            ]
        )
    previous, current = rounds[-2], rounds[-1]
    rows = []
    for column in columns:
        a = pd.to_numeric(survey.loc[survey["round"] == previous, column], errors="coerce").dropna()
        b = pd.to_numeric(survey.loc[survey["round"] == current, column], errors="coerce").dropna()
        change, low, high, p = math.nan, math.nan, math.nan, math.nan
        if a.size >= 2 and b.size >= 2:
            change = float(b.mean() - a.mean())
            va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
            se = math.sqrt(va + vb)
            if se > 0:
                dof = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
                half = float(stats.t.ppf(0.975, dof)) * se
                low, high = change - half, change + half
                p = float(stats.ttest_ind(b, a, equal_var=False).pvalue)
        rows.append(
            {
                "column": column,
                "previous": previous,
                "current": current,
                "mean_previous": float(a.mean()) if a.size else math.nan,
                "mean_current": float(b.mean()) if b.size else math.nan,
                "change": change,
                "low": low,
                "high": high,
                "n_previous": int(a.size),
                "n_current": int(b.size),
                "p": p,
                "changed": bool(p < 0.05) if not math.isnan(p) else False,
            }
        )
    return pd.DataFrame(rows)
