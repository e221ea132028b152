"""The build's comparison: prepared once, compared with the previous *different* build."""

from __future__ import annotations

import datetime as dt
import re
import shutil

from tilannekuva.knowledge.comparison import load_comparison, prepare, record
from tilannekuva.knowledge.snapshots import load_snapshots
from tilannekuva.paths import PROJECT_DATA, DataLayout

TZ = dt.timezone(dt.timedelta(hours=2))


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 12, tzinfo=TZ)


def layout_with_own_kb(tmp_path) -> DataLayout:
    layout = DataLayout.at(tmp_path / "data")
    (layout.root / "config").mkdir(parents=True)
    shutil.copy(PROJECT_DATA / "config" / "knowledge_base.yaml", layout.root / "config")
    return layout


def move_status(layout: DataLayout, item: str, day: str, status: str) -> None:
    path = layout.root / "config" / "knowledge_base.yaml"
    text = path.read_text(encoding="utf-8")
    marker = f"  {item}:\n"
    head, tail = text.split(marker, 1)
    entry, rest = tail.split("    evidence:", 1)
    entry = re.sub(r"(?m)^    status: \w+\n", "", entry)  # the entry's own status line
    entry += (
        f"      - date: {day}\n        status: {status}\n"
        "        text: Asiantuntijaryhmä sopi asiasta.\n"
    )
    path.write_text(head + marker + entry + "    evidence:" + rest, encoding="utf-8")


def test_first_build_then_unchanged_rebuild_then_a_status_move(tmp_path):
    layout = layout_with_own_kb(tmp_path)

    first = prepare(layout, now=at(1))
    assert first.previous is None and first.changes.first_build
    assert record(layout, first) is not None
    assert len(load_snapshots(layout)) == 1

    # Same data again: no duplicate snapshot, and still nothing to compare with.
    again = prepare(layout, now=at(2))
    assert again.previous is None
    assert again.current.created == first.current.created
    assert record(layout, again) is None
    assert len(load_snapshots(layout)) == 1

    move_status(layout, "i07_coordinator", "2026-11-10", "sovittu")
    third = prepare(layout, now=at(20))
    assert third.previous is not None and third.previous.created == at(1)
    moves = {m.id: (m.from_status, m.to_status) for m in third.changes.status_moves}
    assert moves == {"i07_coordinator": ("avoin", "sovittu")}
    record(layout, third)

    # A rebuild of the same data still compares with the state before the move.
    fourth = prepare(layout, now=at(21))
    assert fourth.previous is not None and fourth.previous.created == at(1)
    assert len(fourth.changes.status_moves) == 1
    # Pages read what the build prepared.
    assert load_comparison(layout).current == fourth.current


def test_since_picks_the_first_snapshot_on_or_after_the_date(tmp_path):
    layout = layout_with_own_kb(tmp_path)
    record(layout, prepare(layout, now=at(1)))
    move_status(layout, "i01_agreement", "2026-11-05", "valmistelussa")
    record(layout, prepare(layout, now=at(6)))
    move_status(layout, "i01_agreement", "2026-11-15", "sovittu")
    latest = prepare(layout, now=at(16))
    assert latest.previous.created == at(6)
    since = prepare(layout, since=dt.date(2026, 11, 1), now=at(16))
    assert since.previous.created == at(1)
    moves = {m.id: (m.from_status, m.to_status) for m in since.changes.status_moves}
    assert moves == {"i01_agreement": ("avoin", "sovittu")}


def test_the_prepared_file_is_reused_while_its_key_holds(tmp_path):
    layout = layout_with_own_kb(tmp_path)
    prepared = prepare(layout, now=at(1), key="k1")
    # The knowledge base changes but the key says nothing did: the file is reused.
    move_status(layout, "i01_agreement", "2026-11-05", "valmistelussa")
    reused = prepare(layout, now=at(2), key="k1")
    assert reused.current == prepared.current
    fresh = prepare(layout, now=at(3), key="k2")
    assert fresh.current.statuses["i01_agreement"] == "valmistelussa"
