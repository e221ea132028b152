"""Snapshots: stored atomically, the right one chosen, compared with the documented rules."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from tilannekuva.errors import InputError
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.snapshots import (
    FIRST_BUILD_TEXT,
    Figure,
    Snapshot,
    compare,
    latest_snapshot,
    load_snapshots,
    make_snapshot,
    save_snapshot,
)
from tilannekuva.paths import DataLayout

HELSINKI = dt.timezone(dt.timedelta(hours=2))


def _at(day: int, month: int = 11, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, 0, tzinfo=HELSINKI)


def _old() -> Snapshot:
    return Snapshot(
        created=_at(1, 10),
        figures={
            # a mean whose new interval excludes the old value: changed
            "mean_i07": Figure(value=2.1, low=1.9, high=2.3, n=50, label="Koordinaattori"),
            # a mean that moved within its interval: unchanged
            "mean_i01": Figure(value=3.0, low=2.7, high=3.3, n=50, label="Sopimus"),
            # a register count that moved 2 %: unchanged
            "associations": Figure(value=2500, label="Yhdistyksiä"),
            # a count that moved 25 %: changed
            "respondents": Figure(value=40, label="Vastaajia"),
            "dropped": Figure(value=7, label="Poistunut luku"),
        },
        statuses={"i07_coordinator": "avoin", "i01_agreement": "avoin", "g1_role": "avoin"},
        themes={"rahoitus": 12, "tilat": 6},
    )


def _new() -> Snapshot:
    return Snapshot(
        created=_at(20),
        figures={
            "mean_i07": Figure(value=2.8, low=2.5, high=3.1, n=60, label="Koordinaattori"),
            "mean_i01": Figure(value=3.2, low=2.9, high=3.5, n=60, label="Sopimus"),
            "associations": Figure(value=2550, label="Yhdistyksiä"),
            "respondents": Figure(value=50, label="Vastaajia"),
            "added": Figure(value=1.5, label="Uusi luku"),
        },
        statuses={"i07_coordinator": "sovittu", "i01_agreement": "avoin", "g1_role": "avoin"},
        themes={"rahoitus": 15, "koordinaatio": 8},
    )


def test_compare_two_hand_made_snapshots():
    changes = compare(_old(), _new())
    assert not changes.first_build
    assert [(m.id, m.from_status, m.to_status) for m in changes.status_moves] == [
        ("i07_coordinator", "avoin", "sovittu")
    ]
    assert changes.status_moves[0].progress == 2
    verdicts = {f.key: (f.verdict, f.basis) for f in changes.figures}
    assert verdicts == {
        "mean_i07": ("changed", "interval"),
        "mean_i01": ("unchanged", "interval"),
        "associations": ("unchanged", "relative"),
        "respondents": ("changed", "relative"),
        "dropped": ("removed", "none"),
        "added": ("added", "none"),
    }
    assert changes.figure("mean_i07").difference == pytest.approx(0.7)
    assert changes.figure("mean_i07").weight > 1 > changes.figure("mean_i01").weight
    assert changes.figure("respondents").weight == pytest.approx(0.25 / 0.05)
    assert changes.new_themes == {"koordinaatio": 8}
    assert changes.vanished_themes == {"tilat": 6}


def test_changes_as_frame_and_summary():
    kb = load_knowledge_base()
    changes = compare(_old(), _new())
    frame = changes.as_frame(
        kb=kb, theme_labels={"koordinaatio": "Koordinaattori ja yhteyshenkilö"}
    )
    assert frame["kind"].value_counts().to_dict() == {"figure": 6, "theme": 2, "status": 1}
    status = frame[frame["kind"] == "status"].iloc[0]
    assert (status["label"], status["previous"], status["current"]) == (
        "Koordinaattori",
        "Avoin",
        "Sovittu",
    )
    row = frame.set_index("id").loc["mean_i07"]
    assert (row["previous"], row["current"], row["verdict_label"]) == ("2,1", "2,8", "muuttunut")
    assert frame.set_index("id").loc["associations", "current"] == "2\xa0550"
    theme = frame.set_index("id").loc["koordinaatio"]
    assert (theme["label"], theme["verdict_label"]) == ("Koordinaattori ja yhteyshenkilö", "uusi")
    assert math.isnan(frame.set_index("id").loc["tilat", "difference"])
    assert changes.summary().startswith("Verrattu edelliseen koontiin 1.10.2026")
    assert "muuttuneita tunnuslukuja 2" in changes.summary()


def test_first_build_has_no_changes_and_says_so():
    changes = compare(None, _new())
    assert changes.first_build
    assert changes.summary() == FIRST_BUILD_TEXT
    assert "Ensimmäinen koonti" in changes.summary()
    assert changes.as_frame().empty
    assert list(changes.as_frame().columns)[:3] == ["kind", "id", "label"]


@pytest.mark.parametrize(
    ("old", "new", "verdict"),
    [
        # only the new figure has an interval: it must exclude the old value
        (Figure(value=3.0, label="x"), Figure(value=3.5, low=3.1, high=3.9, label="x"), "changed"),
        (
            Figure(value=3.2, label="x"),
            Figure(value=3.5, low=3.1, high=3.9, label="x"),
            "unchanged",
        ),
        # only the old one has an interval: the new value must lie outside it
        (Figure(value=3.0, low=2.5, high=3.5, label="x"), Figure(value=3.6, label="x"), "changed"),
        # disjoint intervals
        (
            Figure(value=2.0, low=1.0, high=2.9, label="x"),
            Figure(value=4.0, low=3.0, high=5.0, label="x"),
            "changed",
        ),
        # a missing value cannot be compared
        (Figure(value=None, label="x"), Figure(value=3.0, label="x"), "not_comparable"),
        (Figure(value=math.nan, label="x"), Figure(value=3.0, label="x"), "not_comparable"),
        # small counts: at least one whole unit and more than 5 %
        (Figure(value=0, label="x"), Figure(value=1, label="x"), "changed"),
        (Figure(value=10, label="x"), Figure(value=10.4, label="x"), "unchanged"),
        (Figure(value=100, label="x"), Figure(value=105, label="x"), "unchanged"),
        (Figure(value=100, label="x"), Figure(value=94, label="x"), "changed"),
    ],
)
def test_figure_rules(old, new, verdict):
    a = Snapshot(created=_at(1), figures={"f": old})
    b = Snapshot(created=_at(2), figures={"f": new})
    assert compare(a, b).figure("f").verdict == verdict


def test_save_and_load_round_trip(tmp_path):
    layout = DataLayout.at(tmp_path)
    path = save_snapshot(layout, _new())
    assert path == layout.snapshots / "2026-11-20T120000.json"
    assert [p.name for p in layout.snapshots.iterdir()] == ["2026-11-20T120000.json"]
    (loaded,) = load_snapshots(layout)
    assert loaded == _new()
    assert json.loads(path.read_text(encoding="utf-8"))["statuses"]["i07_coordinator"] == "sovittu"


def test_make_snapshot_takes_statuses_from_the_knowledge_base():
    kb = load_knowledge_base()
    snap = make_snapshot({"n": Figure(value=3, label="n")}, kb=kb, themes={"tilat": 4})
    assert snap.statuses == kb.statuses
    assert snap.created.tzinfo is not None
    assert snap.themes == {"tilat": 4}


def _store(layout: DataLayout, *moments: dt.datetime) -> None:
    for moment in moments:
        save_snapshot(layout, Snapshot(created=moment, figures={}))


def test_latest_snapshot_choice(tmp_path):
    layout = DataLayout.at(tmp_path)
    assert latest_snapshot(layout) is None
    _store(layout, _at(1, 9), _at(15, 10), _at(1, 11, 9), _at(1, 11, 18), _at(20, 11))
    (layout.snapshots / "notes.txt").write_text("not a snapshot")
    assert latest_snapshot(layout).created == _at(20, 11)
    # the current build's own snapshot is excluded by `before`
    assert latest_snapshot(layout, before=_at(20, 11)).created == _at(1, 11, 18)
    assert latest_snapshot(layout, before=_at(1, 9)) is None
    # --since: the first snapshot on or after the date
    assert latest_snapshot(layout, since=dt.date(2026, 10, 16)).created == _at(1, 11, 9)
    assert latest_snapshot(layout, since=dt.date(2026, 10, 15)).created == _at(15, 10)
    assert latest_snapshot(layout, since=dt.date(2026, 11, 21)) is None
    assert (
        latest_snapshot(layout, before=_at(20, 11), since=dt.date(2026, 11, 2)) is None
    )  # nothing between the date and this build


def test_naive_and_aware_times_order_together(tmp_path):
    layout = DataLayout.at(tmp_path)
    naive = dt.datetime(2026, 11, 3, 8, 0, 0)
    _store(layout, _at(1), naive)
    assert latest_snapshot(layout).created == naive
    assert latest_snapshot(layout, before=dt.datetime(2026, 11, 2)).created == _at(1)


def test_broken_snapshot_files_are_named(tmp_path):
    layout = DataLayout.at(tmp_path)
    _store(layout, _at(1))
    (layout.snapshots / "2026-11-02T120000.json").write_text("{not json", encoding="utf-8")
    bad = _new().model_dump(mode="json")
    bad["statuses"]["i07_coordinator"] = "valmis"
    (layout.snapshots / "2026-11-03T120000.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(InputError) as info:
        latest_snapshot(layout)
    message = str(info.value)
    assert "2026-11-02T120000.json" in message
    assert "2026-11-03T120000.json" in message
    assert "valmis" in message
