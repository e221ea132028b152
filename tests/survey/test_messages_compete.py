"""Key messages: the main survey's priorities and the other surveys' clear results compete
by one rule, the strength of evidence, with a cap per other survey."""

from __future__ import annotations

import pandas as pd
import pytest
from tilannekuva.analysis.evidence import SurveyAnswers, evidence_rows, survey_messages
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.messages import MAX_PER_SURVEY, key_messages, strength
from tilannekuva.pages.common import PageData
from tilannekuva.pages.generic_survey import GenericSurveyPage
from tilannekuva.questionnaire import Questionnaire
from tilannekuva.survey.catalog import Survey

from tests.survey.pair_survey import frame as pair_frame
from tests.survey.pair_survey import questionnaire as pair_questionnaire
from tests.survey.test_pair import _data_dir

THRESHOLD = 5
SCALE = {1: "huono", 2: "2", 3: "3", 4: "4", 5: "hyvä"}
ABOUT = ["i06_grants", "i12_guidance", "i08_staff", "i01_agreement"]


def _questionnaire(count: int) -> Questionnaire:
    """``count`` 1–5 scale questions q0, q1, … each about its own item."""
    return Questionnaire.model_validate(
        {
            "id": "palaute",
            "title": "Palaute",
            "scales": {"s": SCALE},
            "questions": [
                {"id": f"q{i}", "type": "scale", "header": f"Kysymys {i}", "scale": "s",
                 "about": [ABOUT[i]]}
                for i in range(count)
            ],
        }
    )  # fmt: skip


def _messages(columns: dict[str, list], survey_id: str = "palaute") -> list:
    q = _questionnaire(len(columns))
    frame = pd.DataFrame({k: pd.array(v, dtype="Int8") for k, v in columns.items()})
    frame["round"] = "2026"
    survey = Survey(survey_id, "Palaute", None, f"surveys/{survey_id}")  # type: ignore[arg-type]
    rows = evidence_rows([SurveyAnswers(survey, q, frame)], THRESHOLD)
    return survey_messages(rows, {})


def _ipa(gap_lows: list[float]) -> pd.DataFrame:
    """The main survey's priorities (ranks 1, 2, …) with these interval lower ends."""
    items = ["i02_councillors", "i03_structure", "i04_working_groups", "i05_premises"]
    return pd.DataFrame(
        [
            {"item": item, "label": f"Asia {item}", "importance_mean": 4.0,
             "state_mean": 4.0 - (low + 0.4), "gap": low + 0.4, "gap_low": low,
             "gap_high": low + 0.8, "n": 200, "rank": i + 1, "rank_label": str(i + 1),
             "priority": True}
            for i, (item, low) in enumerate(zip(items, gap_lows, strict=False))
        ]
    )  # fmt: skip


VERY_CLEAR = [5, 5, 4, 5, 5, 5, 4, 5, 5, 5] * 3  # mean 4.8
WEAK = [4, 3, 3, 4, 3, 3, 4, 3, 3, 3] * 6  # mean 3.3: the low end just above the middle


def test_strength_is_the_near_end_distance_in_five_point_units():
    assert strength(3.6, 3, 1, 5) == pytest.approx(0.6)
    assert strength(0.5, 0, 1, 5) == pytest.approx(0.5)  # a gap's lower end above 0
    assert strength(7.5, 5, 0, 10) == pytest.approx(1.0)  # 2.5 points of a 0–10 scale
    (message,) = _messages({"q0": VERY_CLEAR})
    low = message.text.split("luottamusväli ")[1].split("…")[0].replace(",", ".")
    assert message.weight == pytest.approx(float(low) - 3, abs=0.01)


def test_a_very_clear_other_survey_result_displaces_a_weak_main_survey_one():
    kb = load_knowledge_base()
    main = _ipa([1.0, 0.8, 0.1])
    (clear,) = _messages({"q0": VERY_CLEAR})
    assert clear.weight > 1.0  # stronger than every main priority
    chosen = key_messages(main, None, kb, n=3, survey_results=[clear])
    assert chosen[0] is clear
    assert [m.anchor for m in chosen[1:]] == [
        "20_kysely.html#asia-i02_councillors",
        "20_kysely.html#asia-i03_structure",
    ]  # the weakest main priority (lower end 0.1) is the one displaced
    assert clear.anchor == "25_muu_kysely--palaute.html#kuvio-q0-jakauma"


def test_a_weak_other_survey_result_does_not_displace_the_main_survey():
    kb = load_knowledge_base()
    main = _ipa([1.0, 0.8, 0.3])
    (weak,) = _messages({"q0": WEAK})
    assert 0 < weak.weight < 0.3
    chosen = key_messages(main, None, kb, n=3, survey_results=[weak])
    assert [m.kind for m in chosen] == ["gap", "gap", "gap"]
    # With room left, it follows them.
    chosen = key_messages(main, None, kb, n=5, survey_results=[weak])
    assert chosen[-1] is weak and len(chosen) == 4


def test_another_survey_gives_at_most_its_cap_and_the_main_survey_keeps_places():
    kb = load_knowledge_base()
    main = _ipa([0.6, 0.5, 0.4])
    others = _messages({f"q{i}": VERY_CLEAR for i in range(4)})
    assert len(others) == 4 and all(m.weight > 0.6 for m in others)
    chosen = key_messages(main, None, kb, n=5, survey_results=others)
    assert sum(m.kind == "survey" for m in chosen) == MAX_PER_SURVEY
    assert sum(m.kind == "gap" for m in chosen) == 3
    # A second survey has its own cap.
    second = _messages({f"q{i}": VERY_CLEAR for i in range(2)}, survey_id="toinen")
    chosen = key_messages(main, None, kb, n=5, survey_results=[*others, *second])
    assert sum(m.kind == "survey" for m in chosen) == 4 and chosen[-1].kind == "gap"


def test_a_hidden_result_never_becomes_a_message():
    kb = load_knowledge_base()
    # Four respondents, all at the top of the scale: as clear as can be, but under the threshold.
    assert _messages({"q0": [5, 5, 5, 5]}) == []
    # Likewise a pair's row with four pairs (pair_survey's "neuvonta", if it spoke to an item).
    q = pair_questionnaire()
    rows = q.row_sets["asiat"]
    spec = q.model_dump()
    spec["row_sets"]["asiat"] = [
        {**r.model_dump(), "about": ["i12_guidance"] if r.id == "neuvonta" else r.about}
        for r in rows
    ]
    survey = Survey("kumppanuus", "Kumppanuus", None, "surveys/kumppanuus")  # type: ignore[arg-type]
    evidence = evidence_rows(
        [SurveyAnswers(survey, Questionnaire.model_validate(spec), pair_frame())], THRESHOLD
    )
    guidance = evidence[evidence["item"] == "i12_guidance"]
    assert not guidance.empty and not guidance["shown"].any()
    messages = survey_messages(evidence, {})
    assert not any("i12_guidance" in m.title or "Neuvonta" in m.text for m in messages)
    chosen = key_messages(None, None, kb, 5, survey_results=messages)
    assert all("Neuvonta" not in m.text for m in chosen)


def test_a_pair_gap_message_links_to_the_chart_on_the_survey_page(tmp_path):
    data, _ = _data_dir(tmp_path)
    survey = Survey("kumppanuus", "Kumppanuus", None, "surveys/kumppanuus")  # type: ignore[arg-type]
    rows = evidence_rows([SurveyAnswers(survey, pair_questionnaire(), pair_frame())], THRESHOLD)
    gap = next(m for m in survey_messages(rows, {}) if "ero" in m.text)
    assert "toteutuminen jää tärkeydestä" in gap.text and "n = 10 samaa vastaajaa" in gap.text
    page_file, anchor = gap.anchor.split("#")
    assert page_file == "25_muu_kysely--kumppanuus.html"
    blocks = list(GenericSurveyPage(PageData(data), "kumppanuus").importance_state())
    ids = [b._repr_mimebundle_()["text/html"] for b in blocks if hasattr(b, "slug")]
    assert any(f'id="{anchor}"' in h for h in ids)
