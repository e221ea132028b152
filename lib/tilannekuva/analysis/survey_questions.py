"""Results of any questionnaire, question by question, with the privacy rules applied.

Functions of a survey's answers (one round), its questionnaire and the
threshold; they decide what may be shown, the pages only present it:

- a **choice** (single or multiple) or a **scale**'s points: a count and share
  per option. The distribution is shown only when its own n (respondents who
  answered) reaches the threshold; an option chosen by fewer is hidden, and for
  a single choice or a scale (a partition of the answers) a second option is
  hidden when the hidden ones could otherwise be computed from the total
  (``privacy.suppress.hidden_groups``);
- a **scale** column (a scale question or a matrix row): mean and 95 % interval
  (``analysis.stats.mean_ci``), shown only with n at the threshold;
- **groupings** (questions marked ``group: true``; a municipality question groups
  by sub-region): which groups are hidden is decided with
  ``privacy.disclosure.protect`` over the partition of all respondents
  (those without an answer are a cell no page shows), then group means per
  scale column with their own n, and differences tested with
  ``analysis.groups.group_tests`` (Kruskal–Wallis, Holm) across shown groups;
- the **importance–state pair** (``pair:`` in the questionnaire): per row the
  importance and state means and their gap from the same respondents, ranked
  and marked by :mod:`tilannekuva.analysis.ipa` and
  :mod:`tilannekuva.analysis.priorities`; a row is hidden when its own pairs
  count (``pairs:<row>``, the respondents who answered both) is under the
  threshold. The page shows the whole survey only, so no other published
  count could narrow a hidden one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from tilannekuva.analysis import ipa
from tilannekuva.analysis.groups import group_tests
from tilannekuva.analysis.priorities import TOP, mark_priorities
from tilannekuva.analysis.stats import mean_ci
from tilannekuva.privacy.disclosure import REGION, Relation, protect
from tilannekuva.privacy.suppress import hidden_groups
from tilannekuva.questionnaire import Question, Questionnaire

NO_ANSWER = "__no_answer__"  # the respondents without a group: a cell never published


@dataclass(frozen=True)
class ScaleColumn:
    """A processed scale column: a scale question or one row of a matrix."""

    column: str
    question: str
    label: str  # the row's (or the question's) short text
    scale: str
    about: tuple[str, ...] = ()
    row: str | None = None  # the matrix row's id


def scale_columns(questionnaire: Questionnaire) -> list[ScaleColumn]:
    """Every scale column in questionnaire order."""
    out = []
    for q in questionnaire.questions:
        if q.type == "scale":
            out.append(ScaleColumn(q.id, q.id, q.short or q.header, q.scale or "", tuple(q.about)))
        elif q.type == "matrix":
            for row in questionnaire.rows(q.id):
                out.append(
                    ScaleColumn(
                        (q.column or "").format(row=row.id),
                        q.id,
                        row.display,
                        q.scale or "",
                        tuple(row.about) or tuple(q.about),
                        row.id,
                    )
                )
    return out


@dataclass
class Distribution:
    """Counts per option; ``n``/``share`` are NA where hidden."""

    question: str
    table: pd.DataFrame  # option, label, n, share, suppressed, small
    answered: int
    shown: bool  # the distribution's own n reaches the threshold


def choice_distribution(
    frame: pd.DataFrame, questionnaire: Questionnaire, question_id: str, threshold: int
) -> Distribution:
    """Options of a single or multiple choice: how many chose each (share of those who answered)."""
    q = questionnaire.question(question_id)
    if q.type == "single":
        answers = frame[q.id].dropna()
        answered = len(answers)
        counts = [int((answers == o.id).sum()) for o in q.options]
        hide = hidden_groups(counts, threshold, total_known=True)
    elif q.type == "multiple":
        columns = [f"{q.id}__{o.id}" for o in q.options]
        answered_rows = frame[columns].notna().any(axis=1)
        answered = int(answered_rows.sum())
        counts = [
            int(frame.loc[answered_rows, c].fillna(False).astype(bool).sum()) for c in columns
        ]
        # Options are not a partition (several may be chosen): hide only the small ones.
        hide = [c < threshold for c in counts]
    else:
        raise ValueError(f"question '{question_id}' is not a choice question")
    return _distribution(
        q.id, [o.id for o in q.options], [o.display for o in q.options], counts, hide, answered,
        threshold,
    )  # fmt: skip


def scale_distribution(
    frame: pd.DataFrame, questionnaire: Questionnaire, column: str, scale: str, threshold: int
) -> Distribution:
    """Answers per scale point (a partition of the answers)."""
    values = pd.to_numeric(frame[column], errors="coerce").dropna().astype(int)
    points = questionnaire.scales[scale]
    counts = [int((values == p).sum()) for p in points]
    hide = hidden_groups(counts, threshold, total_known=True)
    labels = [f"{p} {label}" if str(p) not in label else label for p, label in points.items()]
    return _distribution(column, list(points), labels, counts, hide, len(values), threshold)


def _distribution(question, ids, labels, counts, hide, answered, threshold) -> Distribution:
    shown = answered >= threshold
    table = pd.DataFrame(
        {
            "option": ids,
            "label": labels,
            "n": pd.array(counts, dtype="Int64"),
            "share": pd.array(
                [c / answered if answered else math.nan for c in counts], dtype="Float64"
            ),
            "suppressed": [bool(h) or not shown for h in hide],
            # Below the threshold itself (shown as "<5"), not hidden to protect another.
            "small": [c < threshold for c in counts],
        }
    )
    table["n"] = table["n"].mask(table["suppressed"])
    table["share"] = table["share"].mask(table["suppressed"])
    return Distribution(question, table, answered, shown)


def scale_summary(frame: pd.DataFrame, columns: list[ScaleColumn], threshold: int) -> pd.DataFrame:
    """column, label, n, mean, low, high, shown: one row per scale column."""
    rows = []
    for c in columns:
        mean, low, high, n = mean_ci(frame[c.column])
        shown = n >= threshold
        rows.append(
            {
                "column": c.column,
                "label": c.label,
                "n": n,
                "mean": mean if shown else math.nan,
                "low": low if shown else math.nan,
                "high": high if shown else math.nan,
                "shown": shown,
            }
        )
    return pd.DataFrame(rows, columns=["column", "label", "n", "mean", "low", "high", "shown"])


# --- groupings ---


@dataclass
class Grouping:
    """A question that groups respondents, and which of its groups may be shown."""

    question: str
    name: str  # the readers' name of the grouping
    column: str  # processed column holding the member
    labels: dict[str, str]  # member → label, in display order
    counts: dict[str, int]
    hidden: dict[str, str]  # member → "small" | "protects"

    def shown_members(self) -> list[str]:
        return [m for m in self.labels if m not in self.hidden]


def groupings(
    frame: pd.DataFrame, questionnaire: Questionnaire, subregions: dict[str, str], threshold: int
) -> list[Grouping]:
    """Every grouping question's groups with the privacy decision (see the module docstring)."""
    out = []
    for q in questionnaire.questions:
        if not q.group:
            continue
        if q.type == "municipality":
            column, labels, name = "subregion", dict(subregions), "Seutukunta"
        else:
            column, labels, name = q.id, {o.id: o.display for o in q.options}, _name(q)
        counts = {m: int((frame[column] == m).sum()) for m in labels}
        remainder = len(frame) - sum(counts.values())
        cells = {("group", m): n for m, n in counts.items()}
        cells[REGION] = len(frame)
        cells[("group", NO_ANSWER)] = remainder
        parts = tuple(("group", m) for m in [*labels, NO_ANSWER])
        decided = protect(
            cells, [Relation(REGION, parts)], threshold, unpublished=[("group", NO_ANSWER)]
        )
        hidden = {
            cell[1]: reason
            for cell, reason in decided.items()
            if cell[1] != NO_ANSWER and cell != REGION
        }
        out.append(Grouping(q.id, name, column, labels, counts, hidden))
    return out


def _name(question: Question) -> str:
    return question.short or question.header


def group_comparison(
    frame: pd.DataFrame, grouping: Grouping, columns: list[ScaleColumn], threshold: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(means, tests): shown groups' mean per scale column with its own n; tests per column.

    ``means``: column, label, group, group_label, n, mean (NaN when n < threshold).
    ``tests``: column, label, groups_tested, p, p_adjusted, differs.
    """
    shown = grouping.shown_members()
    part = frame[frame[grouping.column].isin(shown)]
    rows = []
    for c in columns:
        for member in shown:
            values = pd.to_numeric(
                part.loc[part[grouping.column] == member, c.column], errors="coerce"
            ).dropna()
            n = int(values.size)
            rows.append(
                {
                    "column": c.column,
                    "label": c.label,
                    "group": member,
                    "group_label": grouping.labels[member],
                    "n": n,
                    "mean": float(values.mean()) if n >= threshold else math.nan,
                }
            )
    means = pd.DataFrame(rows, columns=["column", "label", "group", "group_label", "n", "mean"])
    if not columns or len(shown) < 2:
        tests = pd.DataFrame(
            columns=["column", "label", "groups_tested", "p", "p_adjusted", "differs"]
        )
        return means, tests
    tests = group_tests(part, grouping.column, [c.column for c in columns], min_n=threshold)
    tests["label"] = [c.label for c in columns]
    return means, tests[["column", "label", "groups_tested", "p", "p_adjusted", "differs"]]


def quote_groups(grouping: Grouping | None, total: int, threshold: int) -> set | None:
    """Members whose answers may be quoted (None: the whole survey, when it is large enough)."""
    if grouping is None:
        return None if total >= threshold else set()
    return {m for m in grouping.shown_members() if grouping.counts[m] >= threshold}


# --- the importance–state pair ---


def pairs_count(frame: pd.DataFrame, questionnaire: Questionnaire, row_id: str) -> int:
    """How many respondents answered both the importance and the state of a row."""
    importance, state = questionnaire.pair_columns(row_id)
    return int((frame[importance].notna() & frame[state].notna()).sum())


def importance_state(
    frame: pd.DataFrame, questionnaire: Questionnaire, threshold: int, top: int = TOP
) -> pd.DataFrame | None:
    """The pair's item table (``ipa.item_summary`` columns plus ``priority``); None without a pair.

    Rows whose pairs count is under ``threshold`` are hidden (NA figures, no rank).
    """
    if questionnaire.importance_state is None:
        return None
    hidden = {
        row.id
        for row in ipa.items(questionnaire)
        if pairs_count(frame, questionnaire, row.id) < threshold
    }
    return mark_priorities(ipa.item_summary(frame, questionnaire, hidden), top)
