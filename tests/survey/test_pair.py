"""The importance–state analysis of any survey whose questionnaire declares a pair."""

from __future__ import annotations

import math
import re

import pytest
import yaml
from tilannekuva.analysis import survey_questions as sq
from tilannekuva.analysis.evidence import SurveyAnswers, evidence_rows
from tilannekuva.errors import ConfigError
from tilannekuva.pages.common import Hidden, PageData
from tilannekuva.pages.generic_survey import GenericSurveyPage
from tilannekuva.paths import DataLayout
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.store import write_table
from tilannekuva.survey.catalog import survey_for

from tests.survey import pair_survey
from tests.survey.pair_survey import SPEC, frame, questionnaire

THRESHOLD = 5


def test_known_means_gaps_and_ranks_from_the_same_respondents():
    table = sq.importance_state(frame(), questionnaire(), THRESHOLD).set_index("item")
    expected = {  # importance, state, gap (by hand from pair_survey's lists)
        "tilat": (4.6, 2.4, 2.2),
        "avustukset": (4.0, 3.0, 1.0),
        "viestinta": (3.4, 3.4, 0.0),
        "koulutus": (2.4, 3.8, -1.4),
    }
    for item, (importance, state, gap) in expected.items():
        row = table.loc[item]
        assert row["importance_mean"] == pytest.approx(importance)
        assert row["state_mean"] == pytest.approx(state)
        assert row["gap_mean"] == pytest.approx(gap)
        assert row["gap_n"] == 10
        assert row["gap_low"] < row["gap_mean"] < row["gap_high"]
    assert [table.loc[i, "rank_label"] for i in expected] == ["1", "2", "3", "4"]
    assert table["priority"].to_dict() == {
        "tilat": True, "avustukset": True, "viestinta": False, "koulutus": False,
        "neuvonta": False,
    }  # fmt: skip
    # Only 4 answered both importance and state of "neuvonta": every figure hidden.
    hidden = table.loc["neuvonta"]
    assert hidden["suppressed"] and hidden["gap_n"] == 4
    assert all(math.isnan(hidden[c]) for c in ("importance_mean", "state_mean", "gap_mean"))
    assert table.attrs["grand_importance"] == pytest.approx((4.6 + 4.0 + 3.4 + 2.4) / 4)


def test_a_questionnaire_without_a_pair_has_no_table():
    spec = {k: v for k, v in SPEC.items() if k != "pair"}
    spec["questions"] = [spec["questions"][0]]
    from tilannekuva.questionnaire import Questionnaire

    assert sq.importance_state(frame(), Questionnaire.model_validate(spec), THRESHOLD) is None


@pytest.mark.parametrize(
    ("pair", "expected"),
    [
        ({"importance": "tarkeys", "state": "nothing"}, "no question 'nothing'"),
        ({"importance": "tarkeys", "state": "tarkeys"}, "two different matrix questions"),
        ({"importance": "tarkeys", "state": "muut"}, "must ask about the same rows"),
        ({"importance": "tarkeys", "state": "arvio"}, "expected a matrix question"),
        ({"importance": "tarkeys", "tila": "toteutuminen"}, "pair.tila"),
    ],
)
def test_a_bad_pair_is_named_with_file_and_line(tmp_path, pair, expected):
    spec = {**SPEC, "pair": pair}
    spec["questions"] = [
        *SPEC["questions"],
        {"id": "muut", "type": "matrix", "header": "Muut", "scale": "tila", "rows": "muut",
         "column": "muut__{row}"},
        {"id": "arvio", "type": "scale", "header": "Arvio", "scale": "tila"},
    ]  # fmt: skip
    spec["row_sets"] = {**SPEC["row_sets"], "muut": [{"id": "x", "text": "X"}]}
    path = tmp_path / "kumppanuus.yaml"
    text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("pair:"))
    with pytest.raises(ConfigError) as caught:
        load_questionnaire(path)
    message = str(caught.value)
    assert str(path) in message and f"line {line}:" in message and expected in message


def _data_dir(tmp_path):
    """A data directory with the partnership survey's questionnaire and answers."""
    data = tmp_path / "data"
    layout = DataLayout.at(data)
    path = layout.root / "config" / "surveys" / "kumppanuus.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(SPEC, allow_unicode=True, sort_keys=False), encoding="utf-8")
    table = frame()
    (layout.processed / "surveys").mkdir(parents=True)
    write_table(layout, "surveys/kumppanuus", table, [])
    return data, layout


def _html(block) -> str:
    return block._repr_mimebundle_()["text/html"]


def test_generic_page_shows_the_pair_and_hides_a_row_under_the_threshold(tmp_path):
    data, _ = _data_dir(tmp_path)
    page = GenericSurveyPage(PageData(data), "kumppanuus")
    blocks = list(page.importance_state())
    assert not any(isinstance(b, Hidden) for b in blocks)
    figure, table = blocks[1], blocks[2]
    assert figure.slug == "tarkeys-ja-toteutuminen" and table.slug == "painopisteet"
    page_html = "".join(_html(b) for b in (figure, table))
    assert "Toimitilat" in page_html and "Neuvonta" in page_html
    # The hidden row's line of the table carries no figure, only the marker.
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Neuvonta.*?</tr>", page_html, re.S).group(0)
    cells = re.sub(r"<[^>]+>", " ", row)
    assert "piilotettu" in cells and not re.search(r"\d", cells)
    # The chart draws the shown rows only: the hidden one is nowhere in its traces.
    traces = figure.fig.to_dict()["data"]
    drawn = " ".join(str(t.get("hovertext", "")) + str(t.get("text", "")) for t in traces)
    assert "Toimitilat" in drawn and "Neuvonta" not in drawn
    assert "asteikolla 1–5" in figure.caption
    # The ranked table names the priorities by the one definition.
    assert table.frame.set_index("Asia").loc["Toimitilat", "Kehittämisen painopiste"] == "kyllä"


def test_generic_page_of_a_survey_without_a_pair_shows_no_section(tmp_path):
    data, layout = _data_dir(tmp_path)
    path = layout.root / "config" / "surveys" / "kumppanuus.yaml"
    spec = {k: v for k, v in SPEC.items() if k != "pair"}
    spec["questions"] = [{**SPEC["questions"][0], "id": "arvio"}, SPEC["questions"][1]]
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert list(GenericSurveyPage(PageData(data), "kumppanuus").importance_state()) == []


def test_rows_declaring_about_give_their_gap_as_evidence(tmp_path):
    _, layout = _data_dir(tmp_path)
    survey = survey_for(layout, "kumppanuus")
    rows = evidence_rows([SurveyAnswers(survey, questionnaire(), frame())], THRESHOLD)
    grants = rows[rows["item"] == "i06_grants"].set_index("measure")
    assert set(grants.index) == {"gap", "mean"}  # the gap and the state; importance alone is not
    gap = grants.loc["gap"]
    assert gap["mean"] == pytest.approx(1.0) and gap["n"] == 10 and gap["neutral"] == 0
    assert gap["anchor"] == "kuvio-tarkeys-ja-toteutuminen"
    state = grants.loc["mean"]
    assert state["column"] == "toteutuminen__avustukset"
    assert state["mean"] == pytest.approx(3.0) and state["neutral"] == 3


def test_a_gaps_shown_result_is_the_difference_of_the_means_shown_beside_it(tmp_path):
    """23/6 − 13/6: the pair's table shows 3,83 and 2,17, so the gap reads 1,66, not 1,67."""
    _, layout = _data_dir(tmp_path)
    answers = frame().iloc[:6].copy()
    answers["tarkeys__avustukset"] = [4, 4, 4, 4, 3, 4]
    answers["toteutuminen__avustukset"] = [2, 2, 2, 2, 2, 3]
    survey = survey_for(layout, "kumppanuus")
    rows = evidence_rows([SurveyAnswers(survey, questionnaire(), answers)], THRESHOLD)
    gap = rows[(rows["item"] == "i06_grants") & (rows["measure"] == "gap")].iloc[0]
    assert round(gap["mean"], 2) == pytest.approx(1.67)  # the raw mean gap
    assert gap["result"] == pytest.approx(1.66)
    table = sq.importance_state(answers, questionnaire(), THRESHOLD).set_index("item")
    shown = round(table.loc["avustukset", "importance_mean"], 2) - round(
        table.loc["avustukset", "state_mean"], 2
    )
    assert gap["result"] == pytest.approx(shown)


def test_the_default_questionnaire_keeps_its_pair():
    default = load_questionnaire()
    pair = default.importance_state
    assert (pair.importance, pair.state) == ("importance", "state")
    row = default.rows("importance")[0].id
    assert default.pair_columns(row) == (f"{row}__importance", f"{row}__state")
    assert pair_survey.questionnaire().pair_columns("tilat") == (
        "tarkeys__tilat",
        "toteutuminen__tilat",
    )
