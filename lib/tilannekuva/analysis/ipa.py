"""Importance–performance analysis of the cooperation items.

For each item: mean importance and mean current state with 95 % t-intervals
and n; the gap (importance − state) from the paired answers of respondents
who answered both, with its interval; the quadrant against the grand means;
and a ranking of development priorities by gap whose ``rank_label`` is honest
about chance: an item's possible ranks run from 1 + the number of items whose
gap is significantly larger to K − the number whose gap is significantly
smaller (paired t-tests on the respondents' gap differences, 5 % level), so
"2–4" says the data cannot order it among those places.

Output columns of :func:`item_summary`: item, label, text,
importance_mean/low/high/n, state_mean/low/high/n, gap_mean/low/high/n,
quadrant, rank, rank_low, rank_high, rank_label.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from tilannekuva.analysis.stats import mean_ci
from tilannekuva.questionnaire import Questionnaire

QUADRANTS = {
    (True, False): "Kehitettävä",  # important, poorly in place: development priority
    (True, True): "Säilytettävä",
    (False, False): "Vähemmän kiireellinen",
    (False, True): "Mahdollisesti ylitetty",
}
ALPHA = 0.05


def items(questionnaire: Questionnaire):
    """The matrix rows asked both for importance and current state."""
    return questionnaire.rows("importance")


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(frame[name], errors="coerce").astype(float)


def item_summary(survey: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    rows = []
    gaps = {}
    for row in items(questionnaire):
        importance = _column(survey, f"{row.id}__importance")
        state = _column(survey, f"{row.id}__state")
        gap = (importance - state).dropna()
        gaps[row.id] = importance - state
        record = {"item": row.id, "label": row.display, "text": row.text}
        for name, series in (
            ("importance", importance.dropna()),
            ("state", state.dropna()),
            ("gap", gap),
        ):
            mean, low, high, n = mean_ci(series.tolist())
            record.update(
                {f"{name}_mean": mean, f"{name}_low": low, f"{name}_high": high, f"{name}_n": n}
            )
        rows.append(record)
    table = pd.DataFrame(rows)
    grand_importance = table["importance_mean"].mean()
    grand_state = table["state_mean"].mean()
    table["quadrant"] = [
        QUADRANTS[(bool(i >= grand_importance), bool(s >= grand_state))]
        for i, s in zip(table["importance_mean"], table["state_mean"], strict=True)
    ]
    table.attrs.update(grand_importance=grand_importance, grand_state=grand_state)
    return rank_priorities(table, pd.DataFrame(gaps))


def rank_priorities(table: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """Add rank (by gap, largest first) and the range of ranks chance allows.

    Every pair of items is compared with a paired t-test (two-sided, 5 %) on the
    respondents who answered both: the one-sample t-test of their gap
    differences, as ``scipy.stats.ttest_1samp`` does it, computed for all pairs
    at once (a card page ranks 14 items: 91 tests).
    """
    ids = table["item"].tolist()
    k = len(ids)
    larger = dict.fromkeys(ids, 0)
    smaller = dict.fromkeys(ids, 0)
    values = gaps[ids].to_numpy(dtype=float)
    pairs = [(a, b) for a in range(k) for b in range(a + 1, k)]
    if pairs:
        first, second = (np.array(side) for side in zip(*pairs, strict=True))
        diff = values[:, first] - values[:, second]  # respondents × pairs
        answered = ~np.isnan(diff)
        n = answered.sum(axis=0)
        mean = np.nansum(diff, axis=0) / np.maximum(n, 1)
        squares = (np.where(answered, diff - mean, 0.0) ** 2).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.where(n > 1, np.sqrt(squares / np.maximum(n - 1, 1)), np.nan)
            t = mean / (sd / np.sqrt(n))
        p = 2 * stats.t.sf(np.abs(t), np.maximum(n - 1, 1))
        # Too few pairs, or no spread: any difference at all counts as certain.
        degenerate = (n < 2) | ~(sd > 0)
        p = np.where(degenerate, np.where((n >= 2) & (mean != 0), 0.0, 1.0), p)
        for (a_pos, b_pos), p_value, m in zip(pairs, p, mean, strict=True):
            if p_value < ALPHA:
                a, b = ids[a_pos], ids[b_pos]
                if m > 0:
                    larger[b] += 1  # a's gap is significantly larger than b's
                    smaller[a] += 1
                else:
                    larger[a] += 1
                    smaller[b] += 1
    out = table.copy()
    out["rank"] = out["gap_mean"].rank(ascending=False, method="min").astype(int)
    out["rank_low"] = [larger[i] + 1 for i in ids]
    out["rank_high"] = [k - smaller[i] for i in ids]
    out["rank_label"] = [
        str(lo) if lo == hi else f"{lo}–{hi}"
        for lo, hi in zip(out["rank_low"], out["rank_high"], strict=True)
    ]
    return out.sort_values(["rank", "item"], ignore_index=True)


def priorities(summary: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The development priorities: important and poorly in place, largest gaps first."""
    chosen = summary[summary["quadrant"] == "Kehitettävä"]
    if chosen.empty or math.isnan(chosen["gap_mean"].max()):
        chosen = summary
    return chosen.nsmallest(top, "rank")


def gap_frame(survey: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Per-respondent gaps (importance − state), one column per item; for tests and rounds."""
    return pd.DataFrame(
        {
            row.id: _column(survey, f"{row.id}__importance") - _column(survey, f"{row.id}__state")
            for row in items(questionnaire)
        }
    )
