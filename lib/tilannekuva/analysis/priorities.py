"""Development priorities: one definition for the chart, the tables, the key messages and the cards.

An item is a development priority of a scope when

1. its figures are shown (its own n, the respondents who answered both
   importance and state, is at least the threshold, and no secondary
   suppression hides it),
2. its gap (importance − state) is positive beyond chance: the 95 % interval's
   lower bound is above zero, and
3. it is certainly among the ``top`` largest gaps: its worst possible rank
   (``rank_high``, see :func:`tilannekuva.analysis.ipa.rank_priorities`) is at
   most ``top``. Ties are honest: items the data cannot order among themselves
   share their rank range, and either all of them are in or none is.

A scope whose figures are too uncertain to rank (typically a small
municipality: ranks "1–13") has no priorities at all, and its page says so
in plain Finnish instead of listing priorities. A scope is rankable when at
least one shown item is certainly among the ``top`` places (``rank_high ≤
top``) and the data separate it from some other item (its rank range is
narrower than the number of items shown).

Columns added by :func:`mark_priorities`: ``priority`` (bool). Table attribute
``rankable`` (bool).
"""

from __future__ import annotations

import pandas as pd

TOP = 5


def rankable(table: pd.DataFrame, top: int = TOP) -> bool:
    """Whether the shown items' order is clear enough to name priorities."""
    shown = table[~table["suppressed"]] if "suppressed" in table else table
    if len(shown) < 2:
        return False
    widths = shown["rank_high"] - shown["rank_low"] + 1
    return bool(((shown["rank_high"] <= top) & (widths < len(shown))).any())


def mark_priorities(table: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """``table`` (an item summary with ranks and ``suppressed``) with the ``priority`` column."""
    out = table.copy()
    shown = ~out["suppressed"] if "suppressed" in out else pd.Series(True, index=out.index)
    clear = rankable(out, top)
    gap_low = pd.to_numeric(out["gap_low"], errors="coerce").astype(float)
    rank_high = pd.to_numeric(out["rank_high"], errors="coerce").astype(float)
    out["priority"] = (
        (shown & (gap_low > 0) & (rank_high <= top) & clear).fillna(False).astype(bool)
    )
    out.attrs["rankable"] = clear
    return out


def priorities(table: pd.DataFrame) -> pd.DataFrame:
    """The priority rows of a marked table, in rank order (rank, larger gap, id)."""
    chosen = table[table["priority"]]
    return chosen.sort_values(["rank", "gap_mean", "item"], ascending=[True, False, True])
