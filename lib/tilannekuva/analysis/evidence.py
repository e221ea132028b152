"""Evidence on the cooperation items and goals from every survey.

A question or a matrix row of any survey's questionnaire may declare
``about: [i06_grants]``; in the default questionnaire the rows of the item
and goal matrices speak to their own item or goal. :func:`evidence_rows`
returns, per item or goal, one row per survey, scale column and round:
survey, question, round, n and the result (mean and 95 % interval on the
column's scale), the result only when its own n reaches the threshold.
Choice questions declaring ``about`` contribute their respondent count.

A survey other than the default one that declares an importance–state pair
(``pair:``) gives, for each row of the pair declaring ``about``, its gap
(importance − state from the same respondents, n the pairs; ``measure``
``gap``, neutral point 0) and its state mean; the importance mean alone says
nothing about how the item stands and is left out. ``neutral`` is the point a
clear result must exclude: the scale's middle for a mean, 0 for a gap.
``result`` is the figure a reader sees, to ``DECIMALS``: the rounded mean, or
for a gap the difference of the two rounded means the pair's table shows
beside it, so the two pages never disagree (0,79 there, not 0,80 here).
``anchor`` is the element id of the chart behind the result on the survey's
page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from tilannekuva.analysis import rounds
from tilannekuva.analysis.stats import mean_ci
from tilannekuva.analysis.survey_questions import scale_columns
from tilannekuva.formats import shown_difference
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
    "result",
    "scale_low",
    "scale_high",
    "shown",
    "measure",
    "neutral",
    "anchor",
]
DECIMALS = 2  # a mean or a gap as the survey pages show it
GAP_ANCHOR = "kuvio-tarkeys-ja-toteutuminen"  # the pair's chart on the generic page


@dataclass(frozen=True)
class SurveyAnswers:
    survey: Survey
    questionnaire: Questionnaire
    frame: pd.DataFrame


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "kysymys"


def _abouts(questionnaire: Questionnaire, default: bool) -> list[tuple[str, str, str, str, str]]:
    """(item, column, question text, scale, question id) per scale column speaking to an item."""
    out = []
    pair = None if default else questionnaire.importance_state
    for c in scale_columns(questionnaire):
        question = questionnaire.question(c.question)
        if pair is not None and c.question == pair.importance:
            continue  # importance alone is no result on the item (its gap is, below)
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


def _gap_abouts(questionnaire: Questionnaire, default: bool) -> list[tuple[str, str, str]]:
    """(item, row id, text) per row of the importance–state pair declaring ``about``."""
    pair = None if default else questionnaire.importance_state
    if pair is None:
        return []
    return [
        (item, row.id, f"Tärkeyden ja toteutumisen ero: {row.display}")
        for row in questionnaire.rows(pair.importance)
        for item in dict.fromkeys(row.about)
    ]


def _result(
    item: str, entry: SurveyAnswers, values, threshold: int, shown_as=None, **fields
) -> dict:
    """``shown_as``: the figure a reader sees (default: the mean rounded)."""
    mean, low, high, n = mean_ci(values)
    shown = n >= threshold
    result = (shown_as if shown_as is not None else round(mean, DECIMALS)) if shown else math.nan
    return {
        "item": item,
        "survey": entry.survey.id,
        "survey_title": entry.survey.title,
        "n": n,
        "mean": mean if shown else math.nan,
        "low": low if shown else math.nan,
        "high": high if shown else math.nan,
        "result": result,
        "shown": shown,
        **fields,
    }


def evidence_rows(answers: list[SurveyAnswers], threshold: int) -> pd.DataFrame:
    """Evidence per item and goal from every survey and round (see the module docstring)."""
    rows = []
    for entry in answers:
        q, frame = entry.questionnaire, entry.frame
        labels = rounds.ordered_rounds(frame)
        for item, column, text, scale, question_id in _abouts(q, entry.survey.default):
            low_point, high_point = q.scale_range(scale)
            kind = "keskiarvot" if column != question_id else "jakauma"
            for label in labels:
                rows.append(
                    _result(
                        item, entry, frame.loc[frame["round"] == label, column], threshold,
                        question=text, question_id=question_id, column=column, round=label,
                        scale_low=low_point, scale_high=high_point, measure="mean",
                        neutral=(low_point + high_point) / 2,
                        anchor=f"kuvio-{_slug(question_id)}-{kind}",
                    )
                )  # fmt: skip
        for item, row_id, text in _gap_abouts(q, entry.survey.default):
            importance, state = q.pair_columns(row_id)
            pair = q.importance_state
            assert pair is not None
            low_point, high_point = q.scale_range(q.question(pair.importance).scale or "")
            for label in labels:
                part = frame[frame["round"] == label]
                both = part[importance].notna() & part[state].notna()
                first = pd.to_numeric(part.loc[both, importance], errors="coerce")
                second = pd.to_numeric(part.loc[both, state], errors="coerce")
                gap = first - second
                shown_as = (
                    shown_difference(first.mean(), second.mean(), DECIMALS) if len(gap) else None
                )
                rows.append(
                    _result(
                        item, entry, gap.astype(float), threshold, shown_as, question=text,
                        question_id=pair.importance, column=f"{importance}-{state}", round=label,
                        scale_low=low_point, scale_high=high_point, measure="gap", neutral=0.0,
                        anchor=GAP_ANCHOR,
                    )
                )  # fmt: skip
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

    Clear: the whole 95 % interval excludes the neutral point (the middle of the
    scale for a mean, 0 for a gap); rows not shown (under the threshold) never
    count. Weight: the strength of evidence
    (:func:`tilannekuva.knowledge.messages.strength`). The anchor is the generic
    survey page's chart of that question (the pair's chart for a gap).
    """
    from tilannekuva.formats import fi_interval, fi_number
    from tilannekuva.knowledge.messages import KeyMessage, strength

    if rows.empty:
        return []
    latest = rows[rows["shown"]].groupby(["survey", "column", "item"], sort=False).tail(1)
    out = []
    for r in latest.itertuples(index=False):
        gap = r.measure == "gap"
        if r.low > r.neutral:
            near = r.low
            verdict = "toteutuminen jää tärkeydestä" if gap else "tulos on hyvä"
        elif r.high < r.neutral:
            near = r.high
            verdict = "toteutuminen ylittää tärkeyden" if gap else "tulos on heikko"
        else:
            continue
        name = names.get(r.item, r.item)
        if r.measure == "gap":
            figure = (
                f"tärkeyden ja toteutumisen ero {fi_number(r.result, DECIMALS)} asteikolla "
                f"{r.scale_low}–{r.scale_high}"
            )
            who = f"n = {fi_number(r.n)} samaa vastaajaa"
        else:
            figure = (
                f"keskiarvo {fi_number(r.result, DECIMALS)} asteikolla {r.scale_low}–{r.scale_high}"
            )
            who = f"n = {fi_number(r.n)}"
        out.append(
            KeyMessage(
                title=f"{r.survey_title}: {name}",
                text=(
                    f"{r.survey_title} ({r.round}): {r.question} – {verdict}, {figure} "
                    f"(95 %:n luottamusväli {fi_interval(r.low, r.high, 2)}, {who})."
                ),
                anchor=f"25_muu_kysely--{r.survey}.html#{r.anchor}",
                kind="survey",
                weight=strength(near, r.neutral, r.scale_low, r.scale_high),
                source=r.survey,
                n=int(r.n),
            )
        )
    return out
