"""Any questionnaire's results: distributions, groups and evidence, with the privacy rules."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from tilannekuva.analysis import survey_questions as sq
from tilannekuva.analysis.evidence import SurveyAnswers, evidence_rows
from tilannekuva.questionnaire import Questionnaire
from tilannekuva.survey.catalog import Survey

THRESHOLD = 5

Q = Questionnaire.model_validate(
    {
        "id": "palaute",
        "title": "Palaute",
        "scales": {"s": {1: "huono", 2: "2", 3: "3", 4: "4", 5: "hyvä"}},
        "questions": [
            {
                "id": "who",
                "type": "single",
                "header": "Kuka?",
                "group": True,
                "options": [
                    {"id": "a", "label": "A"},
                    {"id": "b", "label": "B"},
                    {"id": "c", "label": "C"},
                    {"id": "d", "label": "D"},
                ],
            },
            {
                "id": "m",
                "type": "matrix",
                "header": "Miten?",
                "scale": "s",
                "rows": "m",
                "column": "m__{row}",
            },
            {"id": "overall", "type": "scale", "header": "Arvosana", "scale": "s"},
            {
                "id": "parts",
                "type": "multiple",
                "header": "Osat",
                "options": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}],
            },
        ],
        "row_sets": {
            "m": [
                {"id": "grants", "text": "Avustukset", "about": ["i06_grants"]},
                {"id": "other", "text": "Muu"},
            ]
        },
    }
)


def _frame() -> pd.DataFrame:
    # 20 A, 12 B, 8 C and a group of 4 D; A rates row "grants" low, B high.
    who = ["a"] * 20 + ["b"] * 12 + ["c"] * 8 + ["d"] * 4
    grants = [1, 2] * 10 + [5, 4] * 6 + [3] * 8 + [3] * 4
    other = [3, 4] * 22
    overall = [4] * 40 + [None] * 4
    return pd.DataFrame(
        {
            "round": "2026-syksy",
            "respondent": [f"r{i}" for i in range(44)],
            "who": who,
            "m__grants": pd.array(grants, dtype="Int8"),
            "m__other": pd.array(other, dtype="Int8"),
            "overall": pd.array(overall, dtype="Int8"),
            "parts__x": pd.array([True] * 30 + [False] * 12 + [None] * 2, dtype="boolean"),
            "parts__y": pd.array([False] * 39 + [True] * 3 + [None] * 2, dtype="boolean"),
        }
    )


def test_single_choice_hides_a_group_of_four_and_one_more():
    dist = sq.choice_distribution(_frame(), Q, "who", THRESHOLD)
    table = dist.table.set_index("option")
    assert dist.answered == 44
    assert table.loc["d", "suppressed"] and table.loc["d", "small"]
    assert pd.isna(table.loc["d", "n"])
    # The hidden one could be computed from the total: the next smallest is hidden too.
    assert table.loc["c", "suppressed"] and not table.loc["c", "small"]
    assert table.loc["a", "n"] == 20 and table.loc["a", "share"] == pytest.approx(20 / 44)


def test_multiple_choice_counts_chosen_among_those_who_answered():
    dist = sq.choice_distribution(_frame(), Q, "parts", THRESHOLD)
    table = dist.table.set_index("option")
    assert dist.answered == 42
    assert table.loc["x", "n"] == 30
    assert table.loc["y", "suppressed"] and pd.isna(table.loc["y", "n"])  # 3 chose it


def test_scale_means_have_intervals_and_their_own_n():
    frame = _frame()
    columns = sq.scale_columns(Q)
    assert [c.column for c in columns] == ["m__grants", "m__other", "overall"]
    table = sq.scale_summary(frame, columns, THRESHOLD).set_index("column")
    values = frame["m__grants"].astype(float)
    assert table.loc["m__grants", "mean"] == pytest.approx(values.mean())
    half = 2.0167 * values.std(ddof=1) / math.sqrt(44)  # t(0.975, 43)
    assert table.loc["m__grants", "high"] - table.loc["m__grants", "mean"] == pytest.approx(
        half, rel=1e-3
    )
    assert table.loc["overall", "n"] == 40
    small = sq.scale_summary(frame.head(4), columns, THRESHOLD)
    assert not small["shown"].any() and small["mean"].isna().all()


def test_groupings_hide_small_groups_and_test_differences():
    frame = _frame()
    (grouping,) = sq.groupings(frame, Q, {}, THRESHOLD)
    assert grouping.hidden["d"] == "small"
    assert "c" in grouping.hidden  # protects d: the total is published
    assert grouping.shown_members() == ["a", "b"]
    means, tests = sq.group_comparison(frame, grouping, sq.scale_columns(Q), THRESHOLD)
    assert set(means["group"]) == {"a", "b"}
    differs = tests.set_index("column")["differs"]
    assert differs["m__grants"]  # 1.5 against 4.5
    assert not differs["m__other"]  # the same answers in both groups


def test_quotes_only_from_groups_at_the_threshold():
    frame = _frame()
    (grouping,) = sq.groupings(frame, Q, {}, THRESHOLD)
    assert sq.quote_groups(grouping, len(frame), THRESHOLD) == {"a", "b"}
    assert sq.quote_groups(None, 4, THRESHOLD) == set()
    assert sq.quote_groups(None, 44, THRESHOLD) is None


def test_evidence_rows_follow_about_per_round_with_their_own_n():
    frame = _frame()
    later = frame.head(3).assign(round="2027-kevät", respondent=["s1", "s2", "s3"])
    survey = Survey("palaute", "Palaute", None, "surveys/palaute")  # type: ignore[arg-type]
    rows = evidence_rows([SurveyAnswers(survey, Q, pd.concat([frame, later]))], THRESHOLD)
    assert list(rows["item"].unique()) == ["i06_grants"]
    first = rows[rows["round"] == "2026-syksy"].iloc[0]
    assert first["n"] == 44 and first["shown"]
    assert first["mean"] == pytest.approx(np.mean([float(v) for v in frame["m__grants"]]))
    small = rows[rows["round"] == "2027-kevät"].iloc[0]
    assert small["n"] == 3 and not small["shown"] and math.isnan(small["mean"])
    assert (first["scale_low"], first["scale_high"]) == (1, 5)


def test_clear_results_become_key_messages_that_fill_the_list():
    from tilannekuva.analysis.evidence import survey_messages
    from tilannekuva.knowledge.base import load_knowledge_base
    from tilannekuva.knowledge.messages import key_messages

    frame = _frame().assign(m__grants=pd.array([1, 2, 3] * 14 + [2, 2], dtype="Int8"))
    survey = Survey("palaute", "Palaute", None, "surveys/palaute")  # type: ignore[arg-type]
    rows = evidence_rows([SurveyAnswers(survey, Q, frame)], THRESHOLD)
    (message,) = survey_messages(rows, {"i06_grants": "Avustusperiaatteet"})
    mean = float(frame["m__grants"].astype(float).mean())
    assert rows.iloc[0]["high"] < 3  # the interval lies under the scale's middle
    assert "heikko" in message.text and f"{mean:.2f}".replace(".", ",") in message.text
    assert message.anchor == "25_muu_kysely--palaute.html#kuvio-m-keskiarvot"
    # A mean whose interval crosses the middle is no clear result.
    middle = frame.assign(m__grants=pd.array([2, 4] * 22, dtype="Int8"))
    rows = evidence_rows([SurveyAnswers(survey, Q, middle)], THRESHOLD)
    assert survey_messages(rows, {}) == []
    # With nothing else to say, the survey's result is a key message.
    chosen = key_messages(None, None, load_knowledge_base(), 5, survey_results=[message])
    assert chosen == [message]
