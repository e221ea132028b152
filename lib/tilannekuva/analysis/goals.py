"""The four goals: the distribution of answers and the mean with its interval.

``distribution`` columns: goal, label, point (1–5, or 0 = "En osaa sanoa" or
no answer, shown apart from the scale), point_label, count, share (of those
who answered on the scale), n (answered on the scale), n_missing.
``goal_means`` columns: goal, label, mean, low, high, n.
"""

from __future__ import annotations

import pandas as pd

from tilannekuva.analysis.stats import mean_ci
from tilannekuva.questionnaire import Questionnaire

MISSING_LABEL = "En osaa sanoa / ei vastausta"


def goal_rows(questionnaire: Questionnaire):
    return questionnaire.rows("goals")


def distribution(survey: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    scale = questionnaire.scales[questionnaire.question("goals").scale or "state"]
    rows = []
    for goal in goal_rows(questionnaire):
        values = pd.to_numeric(survey[goal.id], errors="coerce")
        answered = values.dropna()
        n = int(answered.size)
        for point, label in scale.items():
            count = int((answered == point).sum())
            rows.append(
                {
                    "goal": goal.id,
                    "label": goal.display,
                    "point": point,
                    "point_label": f"{point} {label}",
                    "count": count,
                    "share": count / n if n else float("nan"),
                    "n": n,
                    "n_missing": int(values.isna().sum()),
                }
            )
        rows.append(
            {
                "goal": goal.id,
                "label": goal.display,
                "point": 0,
                "point_label": MISSING_LABEL,
                "count": int(values.isna().sum()),
                "share": float("nan"),
                "n": n,
                "n_missing": int(values.isna().sum()),
            }
        )
    return pd.DataFrame(rows)


def goal_means(survey: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    rows = []
    for goal in goal_rows(questionnaire):
        mean, low, high, n = mean_ci(survey[goal.id].tolist())
        rows.append(
            {"goal": goal.id, "label": goal.display, "mean": mean, "low": low, "high": high, "n": n}
        )
    return pd.DataFrame(rows)
