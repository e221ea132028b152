"""Analysis functions against hand-computed answers on small frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from tilannekuva.analysis import goals, groups, ipa, rounds, text
from tilannekuva.analysis.stats import holm, mean_ci
from tilannekuva.questionnaire import load_questionnaire

Q = load_questionnaire()
ITEMS = [r.id for r in Q.rows("importance")]


def survey(importance: dict[str, list], state: dict[str, list], n: int, **extra) -> pd.DataFrame:
    frame = {"round": ["2026-syksy"] * n, "respondent": [f"r{i}" for i in range(n)]}
    for item in ITEMS:
        frame[f"{item}__importance"] = pd.array(importance.get(item, [3] * n), dtype="Int8")
        frame[f"{item}__state"] = pd.array(state.get(item, [3] * n), dtype="Int8")
    for goal in Q.rows("goals"):
        frame[goal.id] = pd.array(extra.pop(goal.id, [None] * n), dtype="Int8")
    frame.update(extra)
    return pd.DataFrame(frame)


def test_mean_and_t_interval_by_hand():
    mean, low, high, n = mean_ci([1, 2, 3, 4, 5, None])
    assert n == 5 and mean == 3
    half = stats.t.ppf(0.975, 4) * math.sqrt(2.5) / math.sqrt(5)  # sd² = 2.5
    assert low == pytest.approx(3 - half) and high == pytest.approx(3 + half)
    assert math.isnan(mean_ci([4])[1]) and mean_ci([4])[3] == 1


def test_ipa_figures_come_from_the_same_paired_respondents():
    imp = {"i01_agreement": [5, 5, 4, None, 5], "i02_councillors": [3, 3, 3, 3, 3]}
    st = {"i01_agreement": [1, 2, None, 2, 1], "i02_councillors": [3, 3, 3, 3, 3]}
    table = ipa.item_summary(survey(imp, st, 5), Q).set_index("item")
    row = table.loc["i01_agreement"]
    # Only respondents 0, 1, 4 answered both: importance 5, 5, 5; state 1, 2, 1; gaps 4, 3, 4.
    assert row["importance_mean"] == pytest.approx(5) and row["importance_n"] == 3
    assert row["state_mean"] == pytest.approx(4 / 3) and row["state_n"] == 3
    assert row["gap_n"] == 3 and row["gap_mean"] == pytest.approx(11 / 3)
    # The gap is exactly the difference of the two means shown beside it.
    assert row["gap_mean"] == pytest.approx(row["importance_mean"] - row["state_mean"])
    assert row["quadrant"] == "Kehitettävä" and row["rank"] == 1
    assert table.loc["i02_councillors", "gap_mean"] == 0


def test_hidden_items_take_no_part_in_ranks_or_grand_means():
    imp = {"i01_agreement": [5] * 6, "i02_councillors": [4] * 6, "i03_structure": [1] * 6}
    st = {"i01_agreement": [1] * 6, "i02_councillors": [2] * 6, "i03_structure": [1] * 6}
    table = ipa.item_summary(survey(imp, st, 6), Q, hidden={"i01_agreement"}).set_index("item")
    hidden = table.loc["i01_agreement"]
    assert hidden["suppressed"] and pd.isna(hidden["gap_mean"]) and pd.isna(hidden["rank"])
    assert table.loc["i02_councillors", "rank"] == 1
    shown = table[~table["suppressed"]]
    assert table.attrs["grand_importance"] == pytest.approx(shown["importance_mean"].mean())


def test_ranking_says_when_items_cannot_be_told_apart():
    rng = np.random.default_rng(1)
    n = 60
    imp, st = {}, {}
    # i01 and i02 have the same clear gap; i03 a clearly smaller one; the rest none.
    for item, gap in (("i01_agreement", 2), ("i02_councillors", 2), ("i03_structure", 1)):
        base = rng.integers(1, 3, n)
        st[item] = base.tolist()
        imp[item] = np.clip(base + gap + rng.integers(-1, 2, n) * 0, 1, 5).tolist()
    imp["i02_councillors"][0] = min(5, imp["i02_councillors"][0])
    table = ipa.item_summary(survey(imp, st, n), Q).set_index("item")
    assert table.loc["i01_agreement", "rank_label"] == "1–2"
    assert table.loc["i02_councillors", "rank_label"] == "1–2"
    assert table.loc["i03_structure", "rank_label"] == "3"
    assert table.loc["i13_health_promotion", "rank_low"] == 4


def test_goal_distribution_counts_and_dont_know_apart():
    frame = survey({}, {}, 6, g1_role=[1, 2, 2, 5, None, None])
    dist = goals.distribution(frame, Q)
    g1 = dist[dist["goal"] == "g1_role"].set_index("point")
    assert g1.loc[2, "count"] == 2 and g1.loc[2, "share"] == pytest.approx(0.5)
    assert g1.loc[0, "count"] == 2 and g1.loc[0, "n"] == 4
    means = goals.goal_means(frame, Q).set_index("goal")
    assert means.loc["g1_role", "mean"] == pytest.approx(2.5) and means.loc["g1_role", "n"] == 4


def test_group_test_finds_a_real_difference_and_not_a_null_one():
    rng = np.random.default_rng(7)
    n = 90
    org = np.repeat(["volunteer", "staffed", "parish"], 30)
    real = np.where(org == "staffed", rng.integers(1, 3, n), rng.integers(3, 6, n))
    null = rng.integers(1, 6, n)
    frame = survey(
        {}, {"i01_agreement": real.tolist(), "i02_councillors": null.tolist()}, n, org_type=org
    )
    tests = groups.group_tests(
        frame, "org_type", ["i01_agreement__state", "i02_councillors__state"]
    )
    tests = tests.set_index("column")
    assert bool(tests.loc["i01_agreement__state", "differs"])
    assert not bool(tests.loc["i02_councillors__state", "differs"])
    means = groups.group_means(frame, "org_type", ["i01_agreement__state"])
    assert set(means["group"]) == {"volunteer", "staffed", "parish"} and means["n"].sum() == n


def test_small_groups_are_not_tested_but_kept():
    org = ["a"] * 10 + ["b"] * 10 + ["c"] * 3
    frame = survey({}, {"i01_agreement": [1] * 10 + [5] * 10 + [3] * 3}, 23, org_type=org)
    tests = groups.group_tests(frame, "org_type", ["i01_agreement__state"], min_n=5)
    assert tests.loc[0, "groups_tested"] == 2
    assert "c" in set(groups.group_means(frame, "org_type", ["i01_agreement__state"])["group"])


def test_holm_by_hand():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_round_change():
    a = survey({}, {"i01_agreement": [2, 2, 3, 2, 2, 3, 2, 2]}, 8)
    b = survey({}, {"i01_agreement": [4, 4, 5, 4, 4, 5, 4, 4]}, 8)
    b["round"] = "2027-kevät"
    change = rounds.round_change(
        pd.concat([b, a]), ["i01_agreement__state", "i02_councillors__state"]
    )
    row = change.set_index("column").loc["i01_agreement__state"]
    assert (row["previous"], row["current"]) == ("2026-syksy", "2027-kevät")
    assert row["change"] == pytest.approx(2.0) and row["changed"]
    assert not change.set_index("column").loc["i02_councillors__state", "changed"]
    assert rounds.round_change(a, ["i01_agreement__state"]).empty


@pytest.mark.parametrize(
    "sentence,theme",
    [
        ("Yhdistyksille tarvitaan lisää avustuksia", "rahoitus"),
        ("Hyvinvointialueen työntekijät eivät tunne järjestöjä", "henkilosto"),
        ("Kuntien tilat pitäisi saada maksutta käyttöön", "tilat"),
        ("Järjestöavustusten periaatteet", "rahoitus"),
        ("Kokoontumistiloja ei ole", "tilat"),
        ("Ei ole mitään rahoitusta", "rahoitus"),  # negation left alone
        ("Koordinaattorille selkeä työnkuva", "koordinaatio"),
    ],
)
def test_theme_matching_on_inflected_finnish(sentence, theme):
    assert theme in text.themes_of(sentence, text.load_themes())


def test_no_false_theme_from_a_short_prefix():
    assert "tilat" not in text.themes_of("Tilanne on parantunut", text.load_themes())


def test_theme_counts_quotes_and_unmatched_share():
    frame = pd.DataFrame(
        {
            "respondent": list("abcd"),
            "open_priority": ["Avustukset ja tilat", "Rahoitus", "Kiitos kyselystä", None],
        }
    )
    result = text.analyse(frame, text.load_themes())
    counts = result.counts.set_index("theme")
    assert result.total == 3 and counts.loc["rahoitus", "n"] == 2
    assert result.unmatched_share == pytest.approx(1 / 3)
    assert text.representative_quotes(result, "rahoitus") == ["Rahoitus", "Avustukset ja tilat"]
