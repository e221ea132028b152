"""Evidence on the cooperation items and goals from every survey.

A question or a matrix row of any survey's questionnaire may declare
``about: [i06_grants]``; in the default questionnaire the rows of the item
and goal matrices speak to their own item or goal. :func:`evidence_rows`
returns, per item or goal, one row per survey, scale column and round:
survey, question, round, n and the result (mean and 95 % interval on the
column's scale), the result only when its own n reaches the threshold.
Choice questions declaring ``about`` contribute their respondent count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from tilannekuva.analysis import rounds
from tilannekuva.analysis.stats import mean_ci
from tilannekuva.analysis.survey_questions import scale_columns
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import Questionnaire
from tilannekuva.store import has_table, read_table
from tilannekuva.survey.catalog import ABOUT_ROW_SETS, Survey, default_survey, extra_surveys

COLUMNS = [
    "item",
    "survey",
    "survey_title",
    "question",
    "question_id",
    "column",
    "round",
    "n",
    "mean",
    "low",
    "high",
    "scale_low",
    "scale_high",
    "shown",
]


@dataclass(frozen=True)
class SurveyAnswers:
    survey: Survey
    questionnaire: Questionnaire
    frame: pd.DataFrame


def _abouts(questionnaire: Questionnaire, default: bool) -> list[tuple[str, str, str, str, str]]:
    """(item, column, question text, scale, question id) per scale column speaking to an item."""
    out = []
    for c in scale_columns(questionnaire):
        question = questionnaire.question(c.question)
        about = list(c.about)
        if default and question.type == "matrix" and question.rows in ABOUT_ROW_SETS:
            about.append(c.row or "")
        text = (
            f"{question.short or question.header}: {c.label}"
            if question.type == "matrix"
            else c.label
        )
        out += [(item, c.column, text, c.scale, c.question) for item in dict.fromkeys(about)]
    return out


def evidence_rows(answers: list[SurveyAnswers], threshold: int) -> pd.DataFrame:
    """Evidence per item and goal from every survey and round (see the module docstring)."""
    rows = []
    for entry in answers:
        q, frame = entry.questionnaire, entry.frame
        for item, column, text, scale, question_id in _abouts(q, entry.survey.default):
            low_point, high_point = q.scale_range(scale)
            for label in rounds.ordered_rounds(frame):
                mean, low, high, n = mean_ci(frame.loc[frame["round"] == label, column])
                shown = n >= threshold
                rows.append(
                    {
                        "item": item,
                        "survey": entry.survey.id,
                        "survey_title": entry.survey.title,
                        "question": text,
                        "question_id": question_id,
                        "column": column,
                        "round": label,
                        "n": n,
                        "mean": mean if shown else math.nan,
                        "low": low if shown else math.nan,
                        "high": high if shown else math.nan,
                        "scale_low": low_point,
                        "scale_high": high_point,
                        "shown": shown,
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def load_survey_answers(layout: DataLayout, *, include_default: bool = True) -> list[SurveyAnswers]:
    """Every survey with ingested answers: the default one (if asked), then the others by id."""
    from tilannekuva.questionnaire import load_questionnaire

    surveys = [default_survey(layout)] if include_default else []
    surveys += extra_surveys(layout)
    return [
        SurveyAnswers(s, load_questionnaire(s.questionnaire_file), read_table(layout, s.table))
        for s in surveys
        if has_table(layout, s.table)
    ]


def evidence(layout: DataLayout, threshold: int, *, include_default: bool = True) -> pd.DataFrame:
    """:func:`evidence_rows` of the data directory's surveys."""
    return evidence_rows(load_survey_answers(layout, include_default=include_default), threshold)


def survey_messages(rows: pd.DataFrame, names: dict[str, str]) -> list:
    """Key messages: a survey's latest clear result on an item or goal, linked to its chart.

    Clear: the whole 95 % interval of the mean lies above or below the middle of
    the scale (rows not shown, under the threshold, never count). Weight: the
    mean's distance from the middle in half-scales. The anchor is the generic
    survey page's chart of that question.
    """
    from tilannekuva.formats import fi_interval, fi_number
    from tilannekuva.knowledge.messages import KeyMessage

    if rows.empty:
        return []
    latest = rows[rows["shown"]].groupby(["survey", "column", "item"], sort=False).tail(1)
    out = []
    for r in latest.itertuples(index=False):
        middle = (r.scale_low + r.scale_high) / 2
        if r.low > middle:
            verdict = "hyvä"
        elif r.high < middle:
            verdict = "heikko"
        else:
            continue
        name = names.get(r.item, r.item)
        slug = re.sub(r"[^a-z0-9]+", "-", r.question_id.casefold()).strip("-")
        kind = "keskiarvot" if r.column != r.question_id else "jakauma"
        out.append(
            KeyMessage(
                title=f"{r.survey_title}: {name}",
                text=(
                    f"{r.survey_title} ({r.round}): {r.question} – tulos on {verdict}, "
                    f"keskiarvo {fi_number(r.mean, 2)} asteikolla {r.scale_low}–{r.scale_high} "
                    f"(95 %:n luottamusväli {fi_interval(r.low, r.high, 2)}, "
                    f"n = {fi_number(r.n)})."
                ),
                anchor=f"25_muu_kysely--{r.survey}.html#kuvio-{slug}-{kind}",
                kind="survey",
                weight=abs(r.mean - middle) / ((r.scale_high - r.scale_low) / 2),
            )
        )
    return out
