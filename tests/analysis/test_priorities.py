"""One definition of a development priority: the chart, the table, the key messages and the cards agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tilannekuva.analysis import ipa
from tilannekuva.analysis.priorities import mark_priorities, priorities, rankable
from tilannekuva.analysis.scopes import Scope, latest_round
from tilannekuva.charts.survey import PRIORITY_NAME, ipa_chart
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.messages import key_messages
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.settings import Settings

Q = load_questionnaire()
ITEMS = [r.id for r in ipa.items(Q)]


def survey_with_gaps(gaps: dict[str, float], n: int, seed: int = 3) -> pd.DataFrame:
    """n respondents; each item's state 1–2 and importance state + its gap (± noise)."""
    rng = np.random.default_rng(seed)
    columns = {}
    for item in ITEMS:
        state = rng.integers(1, 3, n)
        noise = rng.integers(-1, 2, n)
        importance = np.clip(state + round(gaps.get(item, 0)) + noise, 1, 5)
        columns[f"{item}__importance"] = importance.astype(float)
        columns[f"{item}__state"] = state.astype(float)
    return pd.DataFrame(columns)


def test_priorities_are_the_clear_top_gaps_and_honest_ties():
    gaps = {ITEMS[0]: 3, ITEMS[1]: 3, ITEMS[2]: 2}
    table = mark_priorities(ipa.item_summary(survey_with_gaps(gaps, 200), Q))
    chosen = priorities(table)
    assert set(chosen["item"]) == {ITEMS[0], ITEMS[1], ITEMS[2]}
    # The two equal gaps cannot be ordered: they share the range 1–2.
    assert set(table.set_index("item").loc[[ITEMS[0], ITEMS[1]], "rank_label"]) == {"1–2"}
    assert table.attrs["rankable"]


def test_a_small_scope_is_too_uncertain_to_rank():
    gaps = {ITEMS[0]: 1, ITEMS[1]: 1, ITEMS[2]: 1}
    table = mark_priorities(ipa.item_summary(survey_with_gaps(gaps, 6, seed=5), Q))
    assert not rankable(table)
    assert not table["priority"].any()


def test_chart_table_and_key_messages_name_the_same_items(demo_data):
    settings = Settings.from_data_dir(demo_data)
    survey = latest_round(pd.read_parquet(demo_data / "processed" / "survey.parquet"), settings)
    table = survey.items(Scope())
    expected = priorities(table)["item"].tolist()
    assert expected, "the demo region has clear priorities"
    labels = dict(zip(table["item"], table["label"], strict=True))
    fig = ipa_chart(table, table.attrs["grand_importance"], table.attrs["grand_state"], "t")
    marked = {
        label
        for trace in fig.data
        if trace.name == PRIORITY_NAME and trace.text is not None
        for label in trace.text
    }
    assert marked == {labels[i] for i in expected}
    messages = key_messages(table[~table["suppressed"]], None, load_knowledge_base(), 5)
    named = [m.anchor.rsplit("asia-", 1)[-1] for m in messages if m.kind == "gap"]
    assert named == expected[: len(named)] and len(named) == min(5, len(expected))


@pytest.mark.parametrize("code", ["179", "410"])
def test_a_cards_priorities_are_its_scopes_marked_items(demo_data, code):
    settings = Settings.from_data_dir(demo_data)
    survey = latest_round(pd.read_parquet(demo_data / "processed" / "survey.parquet"), settings)
    scope = Scope("municipality_code", code)
    if survey.hidden_reason(scope):
        pytest.skip("hidden in the demo")
    table = survey.items(scope)
    assert set(priorities(table)["item"]) == set(table[table["priority"]]["item"])
    assert not table.loc[table["suppressed"], "priority"].any()
