"""Key messages: chosen by the documented rules from known data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.messages import key_messages
from tilannekuva.knowledge.snapshots import Figure, Snapshot, compare

TZ = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def ipa(rows: list[tuple[str, float, float, int, int, str]]) -> pd.DataFrame:
    """(item, gap, gap_low, n, rank, rank_label) → an importance–performance table."""
    return pd.DataFrame(
        [
            {
                "item": item,
                "label": f"Asia {item}",
                "importance_mean": 4.0,
                "state_mean": 4.0 - gap,
                "gap": gap,
                "gap_low": low,
                "gap_high": gap + (gap - low),
                "n": n,
                "rank": rank,
                "rank_label": label,
            }
            for item, gap, low, n, rank, label in rows
        ]
    )


KNOWN = ipa(
    [
        ("i06_grants", 2.3, 2.1, 236, 1, "1–2"),
        ("i12_guidance", 2.2, 2.0, 233, 2, "1–2"),
        ("i08_staff", 1.8, 1.6, 233, 3, "3–5"),
        ("i01_agreement", 1.7, 1.5, 230, 4, "3–5"),
        ("i02_councillors", 1.4, 1.2, 232, 5, "3–5"),
        # large gap but too few answers: never a message
        ("i03_structure", 2.9, 0.5, 4, 6, "1–13"),
        # gap not beyond chance (interval reaches zero): never a message
        ("i04_working_groups", 0.3, -0.1, 240, 7, "6–13"),
    ]
)


def snapshot(day: int, statuses: dict[str, str], figures=None, themes=None) -> Snapshot:
    return Snapshot(
        created=dt.datetime(2026, 11, day, 12, tzinfo=TZ),
        statuses=statuses,
        figures=figures or {},
        themes=themes or {},
    )


def test_first_build_gives_the_clear_gaps_in_rank_order_filled_to_five(kb):
    chosen = key_messages(KNOWN, None, kb)
    assert [m.kind for m in chosen] == ["gap"] * 5
    # Each links to its own row of the survey page's priority table.
    assert [m.anchor for m in chosen] == [
        f"20_kysely.html#asia-{m.title.rsplit(' ', 1)[-1]}" for m in chosen
    ]
    titles = [m.title for m in chosen]
    assert titles[0].endswith("Asia i06_grants")
    assert titles[4].endswith("Asia i02_councillors")
    assert not any("i03_structure" in t or "i04_working_groups" in t for t in titles)
    # The honest rank range is in the text.
    assert "sijoilla 1–2" in chosen[0].text and "n = 236" in chosen[0].text


def test_status_moves_changes_and_themes_take_turns_with_gaps(kb):
    old = snapshot(
        1,
        {"i07_coordinator": "avoin", "i01_agreement": "avoin", "g1_role": "avoin"},
        {"respondents": Figure(value=100, label="Vastaajia")},
        {"rahoitus": 30},
    )
    new = snapshot(
        20,
        {"i07_coordinator": "sovittu", "i01_agreement": "valmistelussa", "g1_role": "avoin"},
        {"respondents": Figure(value=160, label="Vastaajia")},
        {"rahoitus": 31, "tilat": 12, "harvinainen": 2},
    )
    chosen = key_messages(KNOWN, compare(old, new), kb)
    assert [m.kind for m in chosen] == ["gap", "status", "change", "theme", "gap"]
    # The larger status move (two steps) comes first and links to the tracker row.
    assert chosen[1].anchor == "40_painopisteet.html#i07_coordinator"
    assert "avoin → sovittu" in chosen[1].text
    assert "nousi" in chosen[2].title and "100" in chosen[2].text and "160" in chosen[2].text
    # A new theme under the small-cell threshold is not a message.
    assert chosen[3].anchor == "30_avoimet.html#teemat" and "12 mainintaa" in chosen[3].text
    assert not any("harvinainen" in m.title for m in chosen)


def test_unchanged_figures_make_no_message_and_n_limits_the_list(kb):
    old = snapshot(1, {}, {"associations": Figure(value=5300, label="Yhdistyksiä")})
    new = snapshot(20, {}, {"associations": Figure(value=5310, label="Yhdistyksiä")})
    chosen = key_messages(KNOWN, compare(old, new), kb, n=3)
    assert [m.kind for m in chosen] == ["gap", "gap", "gap"]
    assert key_messages(None, compare(old, new), kb) == []
