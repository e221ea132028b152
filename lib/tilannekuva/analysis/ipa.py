"""Importance–performance analysis of the cooperation items.

Every figure of an item comes from the same respondents: those who answered
both its importance and its current state (the pairs). Mean importance, mean
state and the gap (importance − state) with their 95 % t-intervals all have
that one n, so the gap is exactly the difference of the two means shown
beside it, and a hidden item hides all three. The quadrant is taken against
the grand means of the items shown; ``quadrant_uncertain`` says an interval
crosses a cross-hair. Development priorities are ranked by gap with
``rank_label`` honest about chance: an item's possible ranks run from 1 + the
number of items whose gap is significantly larger to K − the number whose gap
is significantly smaller (paired t-tests on the respondents' gap differences,
5 % level), so "2–4" says the data cannot order it among those places.

Output columns of :func:`item_summary`: item, label, text,
importance_mean/low/high/n, state_mean/low/high/n, gap_mean/low/high/n (the
three n are the pairs), suppressed, quadrant, quadrant_uncertain, rank,
rank_low, rank_high, rank_label (rank columns NA for suppressed items).
Table attributes: grand_importance, grand_state.
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
    """The matrix rows asked both for importance and current state (the questionnaire's pair)."""
    pair = questionnaire.importance_state
    return questionnaire.rows(pair.importance) if pair else []


def _pair(survey: pd.DataFrame, questionnaire: Questionnaire, row_id: str):
    importance, state = questionnaire.pair_columns(row_id)
    return _column(survey, importance), _column(survey, state)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(frame[name], errors="coerce").astype(float)


def item_summary(
    survey: pd.DataFrame,
    questionnaire: Questionnaire,
    hidden: frozenset[str] | set[str] = frozenset(),
) -> pd.DataFrame:
    """The item table of ``survey``'s respondents; items in ``hidden`` get NA figures.

    ``hidden``: item ids the privacy layer hides (own n too small, or
    secondary suppression); they take no part in the grand means or the ranks.
    """
    rows = []
    gaps = {}
    for row in items(questionnaire):
        importance, state = _pair(survey, questionnaire, row.id)
        paired = importance.notna() & state.notna()
        gaps[row.id] = (importance - state).where(paired)
        record = {"item": row.id, "label": row.display, "text": row.text}
        for name, series in (
            ("importance", importance[paired]),
            ("state", state[paired]),
            ("gap", (importance - state)[paired]),
        ):
            mean, low, high, n = mean_ci(series.tolist())
            record.update(
                {f"{name}_mean": mean, f"{name}_low": low, f"{name}_high": high, f"{name}_n": n}
            )
        record["suppressed"] = row.id in hidden
        rows.append(record)
    table = pd.DataFrame(rows)
    figures = [f"{m}_{s}" for m in ("importance", "state", "gap") for s in ("mean", "low", "high")]
    for column in figures:
        table[column] = table[column].astype(float).mask(table["suppressed"])
    shown = table[~table["suppressed"]]
    grand_importance = float(shown["importance_mean"].mean()) if len(shown) else math.nan
    grand_state = float(shown["state_mean"].mean()) if len(shown) else math.nan
    table["quadrant"] = [
        None if hide else QUADRANTS[(bool(i >= grand_importance), bool(s >= grand_state))]
        for i, s, hide in zip(
            table["importance_mean"], table["state_mean"], table["suppressed"], strict=True
        )
    ]
    table["quadrant_uncertain"] = ~table["suppressed"] & (
        (
            (table["importance_low"] < grand_importance)
            & (table["importance_high"] > grand_importance)
        )
        | ((table["state_low"] < grand_state) & (table["state_high"] > grand_state))
    )
    table.attrs.update(grand_importance=grand_importance, grand_state=grand_state)
    ranked = rank_priorities(shown.reset_index(drop=True), pd.DataFrame(gaps))
    out = table.merge(
        ranked[["item", "rank", "rank_low", "rank_high", "rank_label"]], on="item", how="left"
    )
    for column in ("rank", "rank_low", "rank_high"):
        out[column] = out[column].astype("Int64")
    out.attrs.update(table.attrs)
    return out.sort_values(["rank", "item"], ignore_index=True, na_position="last")


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


def gap_frame(survey: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Per-respondent gaps (importance − state), one column per item; for tests and rounds."""
    gaps = {}
    for row in items(questionnaire):
        importance, state = _pair(survey, questionnaire, row.id)
        gaps[row.id] = importance - state
    return pd.DataFrame(gaps)
