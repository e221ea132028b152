"""Secondary suppression over linked tables, and an audit of what a reader can derive.

Published counts are linked: the region's respondents are the sum of its
sub-regions' plus those who answered for the whole region; a sub-region's are
the sum of its municipalities'; the region's are also the sum of the
respondent groups' plus those who gave no group. Every page and card shows
parts of these sums, so they are one linked table (privacy.md §3, §7).

A *cell* is ``(dimension, member)``: ``("region", "")``,
``("subregion", "131")``, ``("municipality_code", "179")``, ``("org_type",
"parish")``. A :class:`Relation` says ``total = sum(parts)``. Cells are
published (their count is shown), hidden because they are small (``small``),
hidden to protect another cell (``protects``), or never published
(``unpublished``, e.g. the answers given for the whole region).

The reader's model: every published count is known exactly; every hidden or
unpublished count is an unknown whole number ≥ 0, tied to the others by the
relations. A hidden cell is *narrow* when the range a reader can derive for
it, ``high − low``, is smaller than the threshold. Every hidden cell must be
wide, and so must every unpublished cell whose true count is small.

:func:`protect` chooses the hidden cells: first every cell under the
threshold, then, while a cell is narrow, the smallest published part of a
relation that narrows it. It finds narrow cells by bounds propagation
(:func:`derivable_ranges`), which is exact for these nested sums and cheap;
:func:`audit` checks the result independently by linear programming over all
relations at once (what a reader with every page, card and download could
compute). The same rule protects means and shares: a hidden cell's mean can
only be derived together with other hidden cells whose combined n is not small.

Known limit: a page says why a scope is hidden ("alle 5 vastaajaa", or hidden
to protect a smaller group), which tells a reader that a ``small`` cell is
below the threshold and a ``protects`` cell is not. The model above does not
use that knowledge; with it, a reader may narrow a small hidden cell to
fewer than the threshold's values (for example "1…4" instead of "0…4").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import linprog

Cell = tuple[str, str]
REGION: Cell = ("region", "")
Reason = Literal["small", "protects", "unpublished"]


@dataclass(frozen=True)
class Relation:
    """``total = sum(parts)``: one published (or partly published) sum."""

    total: Cell
    parts: tuple[Cell, ...]


@dataclass(frozen=True)
class Narrow:
    """A hidden cell a reader can narrow to a range under the threshold."""

    cell: Cell
    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.cell[0]}={self.cell[1]}: derivable as {self.low}…{self.high}"


def _bounds(
    cell: Cell, counts: Mapping[Cell, int], hidden: Mapping[Cell, Reason], threshold: int
) -> tuple[float, float]:
    """What a reader knows of a cell's count from the pages alone."""
    if cell in hidden:
        return 0, math.inf
    value = counts.get(cell, 0)
    return value, value


def _cells(relations: Iterable[Relation]) -> list[Cell]:
    seen: dict[Cell, None] = {}
    for relation in relations:
        seen.setdefault(relation.total, None)
        for part in relation.parts:
            seen.setdefault(part, None)
    return list(seen)


def _sensitive(
    counts: Mapping[Cell, int], hidden: Mapping[Cell, Reason], threshold: int
) -> list[Cell]:
    """Cells that must stay vague: every hidden one, and unpublished ones with a small count."""
    return [
        c for c, reason in hidden.items() if reason != "unpublished" or counts.get(c, 0) < threshold
    ]


def audit(
    counts: Mapping[Cell, int],
    relations: list[Relation],
    hidden: Mapping[Cell, Reason],
    threshold: int,
) -> list[Narrow]:
    """Every cell that must stay vague but a reader can narrow to a range under ``threshold``.

    The relations form a network-like system (nested sums), whose linear
    bounds are integral, so the LP relaxation gives the reader's exact range.
    """
    cells = [c for c in _cells(relations) if c in hidden]
    if not cells:
        return []
    index = {c: i for i, c in enumerate(cells)}
    rows, rhs = [], []
    for relation in relations:
        row = np.zeros(len(cells))
        constant = 0.0
        for part in relation.parts:
            if part in index:
                row[index[part]] += 1
            else:
                constant += counts.get(part, 0)
        if relation.total in index:
            row[index[relation.total]] -= 1
        else:
            constant -= counts.get(relation.total, 0)
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    bounds = [
        (lo, None if math.isinf(hi) else hi)
        for lo, hi in (_bounds(c, counts, hidden, threshold) for c in cells)
    ]
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    narrow = []
    for cell in _sensitive(counts, hidden, threshold):
        if cell not in index:
            continue
        objective = np.zeros(len(cells))
        objective[index[cell]] = 1
        ends = []
        for sign in (1, -1):
            result = linprog(sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if result.status == 3:  # unbounded above
                ends.append(math.inf)
            elif result.status != 0:
                ends.append(math.nan)
            else:
                ends.append(sign * result.fun)
        low, high = ends
        if math.isnan(low) or math.isnan(high):
            continue  # infeasible: cannot happen for counts that satisfy the relations
        if high - low < threshold - 1e-9:
            narrow.append(Narrow(cell, round(low), round(high)))
    return narrow


def derivable_ranges(
    counts: Mapping[Cell, int],
    relations: list[Relation],
    hidden: Mapping[Cell, Reason],
    threshold: int,
) -> dict[Cell, tuple[float, float]]:
    """Each hidden cell's range as a reader can narrow it, by bounds propagation.

    Every relation tightens its cells' bounds from the others' until nothing
    changes. The relations are nested sums joined at single cells (an acyclic
    system), where this reaches the same bounds as :func:`audit`'s linear
    programmes, at a fraction of the cost (a national site has hundreds of
    municipalities and dozens of measures).
    """
    ranges = {c: _bounds(c, counts, hidden, threshold) for c in _cells(relations)}
    for _ in range(4 * len(relations) + 4):
        changed = False
        for relation in relations:
            parts = [ranges[p] for p in relation.parts]
            low_sum = sum(lo for lo, _ in parts)
            finite_high = sum(hi for _, hi in parts if not math.isinf(hi))
            infinite = sum(math.isinf(hi) for _, hi in parts)
            t_lo, t_hi = ranges[relation.total]
            high_sum = math.inf if infinite else finite_high
            new_total = (max(t_lo, low_sum), min(t_hi, high_sum))
            if new_total != (t_lo, t_hi):
                ranges[relation.total] = new_total
                t_lo, t_hi = new_total
                changed = True
            for part, (lo, hi) in zip(relation.parts, parts, strict=True):
                # The others' largest sum: infinite unless this part is the only unbounded one.
                if math.isinf(hi):
                    others_high = math.inf if infinite > 1 else finite_high
                else:
                    others_high = math.inf if infinite else finite_high - hi
                new = (max(lo, t_lo - others_high), min(hi, t_hi - (low_sum - lo)))
                if new != (lo, hi):
                    ranges[part] = new
                    changed = True
        if not changed:
            break
    return {c: r for c, r in ranges.items() if c in hidden}


def narrow_cells(
    counts: Mapping[Cell, int],
    relations: list[Relation],
    hidden: Mapping[Cell, Reason],
    threshold: int,
) -> list[Cell]:
    """Cells that must stay vague but a reader can narrow to a range under ``threshold``."""
    ranges = derivable_ranges(counts, relations, hidden, threshold)
    vague = set(_sensitive(counts, hidden, threshold))
    return [c for c, (lo, hi) in ranges.items() if c in vague and hi - lo < threshold]


def protect(
    counts: Mapping[Cell, int],
    relations: list[Relation],
    threshold: int,
    unpublished: Iterable[Cell] = (),
) -> dict[Cell, Reason]:
    """The cells to hide, each with its reason (see the module's docstring).

    ``counts``: every cell's true count (absent cells count 0). ``unpublished``:
    cells no page shows.
    """
    hidden: dict[Cell, Reason] = dict.fromkeys(unpublished, "unpublished")
    for cell in _cells(relations):
        if cell not in hidden and counts.get(cell, 0) < threshold:
            hidden[cell] = "small"
    for _ in range(len(_cells(relations)) + 1):
        narrow = narrow_cells(counts, relations, hidden, threshold)
        if not narrow:
            break
        # Widen a narrow cell's relations: hide the smallest published part there.
        if not any(
            _hide_one_more(relation, counts, hidden)
            for cell in narrow
            for relation in relations
            if cell in (relation.total, *relation.parts)
        ):
            break  # nothing left to hide (a region under the threshold hides everything)
    return hidden


def _hide_one_more(relation: Relation, counts: Mapping[Cell, int], hidden: dict) -> bool:
    """Hide the smallest published part of ``relation`` (else its total); False if none is left."""
    candidates = sorted(
        (counts.get(p, 0), p) for p in relation.parts if p not in hidden and p != REGION
    )
    if candidates:
        hidden[candidates[0][1]] = "protects"
        return True
    if relation.total not in hidden and relation.total != REGION:
        hidden[relation.total] = "protects"
        return True
    return False
