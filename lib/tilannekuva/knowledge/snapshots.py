"""Snapshots of each build's headline figures, and what changed since an earlier one.

Every build stores ``DIR/snapshots/<YYYY-MM-DDTHHMMSS>.json`` (the build time on
its own clock; a second build within the same second replaces the first): the
headline figures, the knowledge base's statuses and the open-answer theme counts.
:func:`latest_snapshot` finds the one to compare against and :func:`compare`
says what changed.

When has a figure changed (rather than moved by chance)?

- **With intervals** (``low``/``high``, e.g. a mean's 95 % interval): it has changed
  when the new interval excludes the old value, or the two intervals do not
  overlap. When only one snapshot has an interval, that interval is used: the
  other snapshot's value must lie outside it. This is a deliberately simple,
  readable rule, not a formal test of the difference: it errs towards "unchanged"
  when both intervals are wide, and it can call a change when the old figure was
  itself uncertain and the new interval is narrow.
- **Without intervals** (counts from a register, numbers of respondents): it has
  changed when it moved by more than ``RELATIVE_THRESHOLD`` (5 %) of the old value
  and by at least ``MIN_ABSOLUTE`` (1). Register counts are not samples, so there
  is no chance to speak of; 5 % is the smallest move worth a reader's attention.
- A figure missing from one side is ``added`` or ``removed``; a figure whose value
  is missing on either side is ``not_comparable``.

Statuses: every id whose status differs (or that appears or disappears) is a
:class:`StatusMove`. Themes: ids present only in the new snapshot are new, only
in the old one vanished (counts of continuing themes are not compared).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import pandera.pandas as pa
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tilannekuva.errors import InputError, Problem
from tilannekuva.formats import fi_date, fi_number
from tilannekuva.knowledge.base import STATUS_LABELS, STATUSES, KnowledgeBase, status_rank
from tilannekuva.paths import DataLayout
from tilannekuva.store import atomic_write_bytes

RELATIVE_THRESHOLD = 0.05
MIN_ABSOLUTE = 1.0
FILE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}\.json$")
FIRST_BUILD_TEXT = (
    "Ensimmäinen koonti: aiempaa koontia ei ole, joten muutoksia ei vielä voi näyttää."
)

Verdict = Literal["changed", "unchanged", "added", "removed", "not_comparable"]
VERDICT_LABELS: dict[str, str] = {
    "changed": "muuttunut",
    "unchanged": "ennallaan",
    "added": "uusi",
    "removed": "poistunut",
    "not_comparable": "ei vertailtavissa",
}
Basis = Literal["interval", "relative", "none"]


class Figure(BaseModel):
    """One headline figure: its value, the n behind it, its interval if any, a Finnish label.

    ``decimals`` fixes how the value is shown; by default whole numbers are shown
    without decimals and others with one.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float | None
    label: str
    n: int | None = None
    low: float | None = None
    high: float | None = None
    decimals: int | None = None

    @field_validator("value", "low", "high", mode="before")
    @classmethod
    def _nan_is_missing(cls, value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return None
        return value

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None

    def shown(self, value: float | None = None, *also: float | None) -> str:
        """The value (or another number of this figure) in Finnish format.

        Without ``decimals``: no decimals when the figure has no interval and the
        value, the number shown and ``also`` (numbers shown beside it, e.g. the
        previous value) are all whole; otherwise one decimal.
        """
        number = self.value if value is None else value
        if number is None:
            return "–"
        decimals = self.decimals
        if decimals is None:
            numbers = [x for x in (self.value, number, *also) if x is not None]
            whole = not self.has_interval and all(float(x).is_integer() for x in numbers)
            decimals = 0 if whole else 1
        return fi_number(number, decimals)


def shown_pair(old: Figure | None, new: Figure | None) -> tuple[str, str]:
    """Previous and current value with the same number of decimals ("–" when absent)."""
    ref = new or old
    if ref is None:
        return "–", "–"
    old_value = old.value if old else None
    new_value = new.value if new else None
    pair = [x for x in (old_value, new_value) if x is not None]
    if ref.decimals is None and old is not None and old.has_interval and new is not None:
        ref = new.model_copy(update={"low": old.low, "high": old.high})
    return (
        ref.shown(old_value, *pair) if old_value is not None else "–",
        ref.shown(new_value, *pair) if new_value is not None else "–",
    )


class Snapshot(BaseModel):
    """What one build showed: figures, statuses of the knowledge base, theme counts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    created: dt.datetime
    figures: dict[str, Figure] = Field(default_factory=dict)
    statuses: dict[str, str] = Field(default_factory=dict)
    themes: dict[str, int] = Field(default_factory=dict)
    # Ingested documents (id → title) and logged decisions (key → "entry id: date text"):
    # a snapshot made before any were ingested has none, so all of them are new then.
    documents: dict[str, str] = Field(default_factory=dict)
    decisions: dict[str, str] = Field(default_factory=dict)

    @field_validator("statuses")
    @classmethod
    def _known_statuses(cls, value: dict[str, str]) -> dict[str, str]:
        bad = {k: v for k, v in value.items() if v not in STATUSES}
        if bad:
            raise ValueError(f"unknown status {bad}; expected one of {', '.join(STATUSES)}")
        return value

    @property
    def file_name(self) -> str:
        return self.created.strftime("%Y-%m-%dT%H%M%S") + ".json"

    @property
    def moment(self) -> dt.datetime:
        """``created`` as an aware time (a naive time is taken as local time), for ordering."""
        return _aware(self.created)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def make_snapshot(
    figures: dict[str, Figure],
    kb: KnowledgeBase | None = None,
    themes: dict[str, int] | None = None,
    created: dt.datetime | None = None,
) -> Snapshot:
    """A snapshot of this build (now, on the local clock, unless ``created`` is given)."""
    return Snapshot(
        created=created or dt.datetime.now().astimezone().replace(microsecond=0),
        figures=figures,
        statuses=kb.statuses if kb is not None else {},
        themes={k: int(v) for k, v in (themes or {}).items()},
    )


def save_snapshot(layout: DataLayout, snapshot: Snapshot) -> Path:
    """Write ``snapshots/<YYYY-MM-DDTHHMMSS>.json`` atomically; returns its path."""
    path = layout.snapshots / snapshot.file_name
    payload = snapshot.model_dump_json(indent=2).encode("utf-8")
    atomic_write_bytes(path, payload)
    return path


def load_snapshots(layout: DataLayout) -> list[Snapshot]:
    """Every snapshot of the data directory, oldest first.

    Only files named like ``2026-11-22T174800.json`` are read; a file that is not a
    valid snapshot is an :class:`InputError` naming every such file (a broken
    history should be noticed, not skipped).
    """
    if not layout.snapshots.exists():
        return []
    snapshots, problems = [], []
    for path in sorted(layout.snapshots.iterdir()):
        if not FILE_PATTERN.match(path.name):
            continue
        try:
            snapshots.append(Snapshot.model_validate(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(Problem(str(path), f"a snapshot in JSON ({exc})"))
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(
                    Problem(
                        str(path),
                        err["msg"],
                        column=".".join(str(p) for p in err["loc"]) or None,
                    )
                )
    if problems:
        raise InputError(problems)
    return sorted(snapshots, key=lambda s: s.moment)


def latest_snapshot(
    layout: DataLayout, before: dt.datetime | None = None, since: dt.date | None = None
) -> Snapshot | None:
    """The snapshot to compare a build against, or None (then it is the first build).

    Without ``since``: the latest snapshot created before ``before`` (pass the
    current build's time so that its own snapshot is not chosen; None: the latest).
    With ``since`` (``--since DATE``, e.g. the date of the last meeting): the first
    snapshot made on or after that date (on the snapshot's own clock), still
    before ``before``; None when there is none, even if older ones exist.
    """
    candidates = load_snapshots(layout)
    if before is not None:
        limit = _aware(before)
        candidates = [s for s in candidates if s.moment < limit]
    if since is not None:
        after = [s for s in candidates if s.created.date() >= since]
        return after[0] if after else None
    return candidates[-1] if candidates else None


@dataclass(frozen=True)
class StatusMove:
    """An item or goal whose status differs between two snapshots (None: absent there)."""

    id: str
    from_status: str | None
    to_status: str | None

    @property
    def progress(self) -> int:
        """Steps forward (negative: backward) on avoin → toteutunut; 0 if one side is absent."""
        if self.from_status is None or self.to_status is None:
            return 0
        return status_rank(self.to_status) - status_rank(self.from_status)


@dataclass(frozen=True)
class FigureChange:
    """One figure compared across two snapshots."""

    key: str
    label: str
    old: Figure | None
    new: Figure | None
    verdict: Verdict
    basis: Basis

    @property
    def difference(self) -> float:
        if self.old is None or self.new is None or self.old.value is None or self.new.value is None:
            return math.nan
        return self.new.value - self.old.value

    @property
    def weight(self) -> float:
        """Size of the move in units of its own threshold (> 1 means beyond it).

        Interval basis: the move divided by the distance from the value to the edge
        of the interval on the old value's side (the new interval, else the old).
        Relative basis: the relative move divided by ``RELATIVE_THRESHOLD``.
        """
        diff = self.difference
        if math.isnan(diff) or self.old is None or self.new is None:
            return 0.0
        if self.basis == "interval":
            ref = self.new if self.new.has_interval else self.old
            assert ref.low is not None and ref.high is not None and ref.value is not None
            other = self.old.value if ref is self.new else self.new.value
            assert other is not None
            edge = ref.high if other > ref.value else ref.low
            reach = abs(edge - ref.value)
            return abs(diff) / reach if reach > 0 else math.inf
        base = max(abs(self.old.value or 0.0), MIN_ABSOLUTE)
        return abs(diff) / base / RELATIVE_THRESHOLD


def _judge(old: Figure, new: Figure, relative: float) -> tuple[Verdict, Basis]:
    if old.value is None or new.value is None:
        return "not_comparable", "none"
    if old.has_interval or new.has_interval:
        outside_new = new.has_interval and not (new.low <= old.value <= new.high)  # type: ignore[operator]
        outside_old = (
            not new.has_interval and old.has_interval and not (old.low <= new.value <= old.high)  # type: ignore[operator]
        )
        disjoint = (
            old.has_interval and new.has_interval and (new.high < old.low or new.low > old.high)  # type: ignore[operator]
        )
        changed = outside_new or outside_old or disjoint
        return ("changed" if changed else "unchanged"), "interval"
    diff = abs(new.value - old.value)
    changed = diff >= MIN_ABSOLUTE and diff > relative * abs(old.value)
    return ("changed" if changed else "unchanged"), "relative"


CHANGES_SCHEMA = pa.DataFrameSchema(
    {
        "kind": pa.Column(
            str, pa.Check.isin(["figure", "status", "theme", "document", "decision"])
        ),
        "id": pa.Column(str),
        "label": pa.Column(str),
        "previous": pa.Column(str),
        "current": pa.Column(str),
        "difference": pa.Column(float, nullable=True),
        "verdict": pa.Column(str, pa.Check.isin(list(VERDICT_LABELS))),
        "verdict_label": pa.Column(str),
        "basis": pa.Column(str, pa.Check.isin(["interval", "relative", "none"])),
    },
    strict=True,
    ordered=True,
)


@dataclass(frozen=True)
class Changes:
    """What changed between the previous snapshot (None: first build) and this one."""

    previous: dt.datetime | None
    current: dt.datetime
    status_moves: tuple[StatusMove, ...] = ()
    figures: tuple[FigureChange, ...] = ()
    new_themes: dict[str, int] = field(default_factory=dict)
    vanished_themes: dict[str, int] = field(default_factory=dict)
    new_documents: dict[str, str] = field(default_factory=dict)  # id → title
    new_decisions: dict[str, str] = field(default_factory=dict)  # key → "entry id: date text"

    @property
    def first_build(self) -> bool:
        return self.previous is None

    @property
    def changed_figures(self) -> list[FigureChange]:
        return [f for f in self.figures if f.verdict == "changed"]

    @property
    def unchanged_figures(self) -> list[FigureChange]:
        return [f for f in self.figures if f.verdict == "unchanged"]

    def figure(self, key: str) -> FigureChange:
        for f in self.figures:
            if f.key == key:
                return f
        raise KeyError(key)

    def summary(self) -> str:
        """One Finnish sentence for the page: first build, or how much changed since when."""
        if self.previous is None:
            return FIRST_BUILD_TEXT
        return (
            f"Verrattu edelliseen koontiin {fi_date(self.previous)}: "
            f"muuttuneita tunnuslukuja {len(self.changed_figures)}, "
            f"ennallaan {len(self.unchanged_figures)}, "
            f"tilan muutoksia {len(self.status_moves)}, "
            f"uusia teemoja {len(self.new_themes)}"
            + (f", uusia asiakirjoja {len(self.new_documents)}" if self.new_documents else "")
            + (f", uusia päätöksiä {len(self.new_decisions)}" if self.new_decisions else "")
            + "."
        )

    def as_frame(
        self, kb: KnowledgeBase | None = None, theme_labels: dict[str, str] | None = None
    ) -> pd.DataFrame:
        """A table: every figure (changed or not), every status move, new and vanished themes.

        Columns: kind (figure/status/theme), id, label, previous, current (Finnish
        display text), difference (figures only), verdict, verdict_label (Finnish),
        basis (interval/relative/none). Empty on the first build. ``kb`` labels
        statuses with the items' short titles, ``theme_labels`` the themes.
        """
        rows = []
        for f in self.figures:
            rows.append(
                {
                    "kind": "figure",
                    "id": f.key,
                    "label": f.label,
                    "previous": shown_pair(f.old, f.new)[0],
                    "current": shown_pair(f.old, f.new)[1],
                    "difference": f.difference,
                    "verdict": f.verdict,
                    "basis": f.basis,
                }
            )
        for move in self.status_moves:
            label = kb.entry(move.id).short if kb is not None and move.id in kb else move.id
            rows.append(
                {
                    "kind": "status",
                    "id": move.id,
                    "label": label,
                    "previous": STATUS_LABELS.get(move.from_status or "", "–"),
                    "current": STATUS_LABELS.get(move.to_status or "", "–"),
                    "difference": math.nan,
                    "verdict": "added"
                    if move.from_status is None
                    else "removed"
                    if move.to_status is None
                    else "changed",
                    "basis": "none",
                }
            )
        labels = theme_labels or {}
        for themes, verdict in ((self.new_themes, "added"), (self.vanished_themes, "removed")):
            for theme, count in themes.items():
                rows.append(
                    {
                        "kind": "theme",
                        "id": theme,
                        "label": labels.get(theme, theme),
                        "previous": "–" if verdict == "added" else fi_number(count),
                        "current": fi_number(count) if verdict == "added" else "–",
                        "difference": math.nan,
                        "verdict": verdict,
                        "basis": "none",
                    }
                )
        for kind, added in (("document", self.new_documents), ("decision", self.new_decisions)):
            for key, text in added.items():
                rows.append(
                    {
                        "kind": kind,
                        "id": key,
                        "label": text,
                        "previous": "–",
                        "current": text,
                        "difference": math.nan,
                        "verdict": "added",
                        "basis": "none",
                    }
                )
        frame = pd.DataFrame(
            rows, columns=[c for c in CHANGES_SCHEMA.columns if c != "verdict_label"]
        )
        text_columns = ["kind", "id", "label", "previous", "current", "verdict", "basis"]
        frame = frame.astype(dict.fromkeys(text_columns, "str") | {"difference": float})
        frame.insert(7, "verdict_label", frame["verdict"].map(VERDICT_LABELS).astype(str))
        return CHANGES_SCHEMA.validate(frame)


def compare(
    old: Snapshot | None, new: Snapshot, relative_threshold: float = RELATIVE_THRESHOLD
) -> Changes:
    """What changed from ``old`` to ``new`` (``old`` None: the first build, no changes)."""
    if old is None:
        return Changes(previous=None, current=new.created)
    figures = []
    for key in [*old.figures, *(k for k in new.figures if k not in old.figures)]:
        before, after = old.figures.get(key), new.figures.get(key)
        label = (after or before).label  # type: ignore[union-attr]
        if before is None:
            figures.append(FigureChange(key, label, None, after, "added", "none"))
        elif after is None:
            figures.append(FigureChange(key, label, before, None, "removed", "none"))
        else:
            verdict, basis = _judge(before, after, relative_threshold)
            figures.append(FigureChange(key, label, before, after, verdict, basis))
    moves = []
    for entry_id in [*old.statuses, *(k for k in new.statuses if k not in old.statuses)]:
        before_status, after_status = old.statuses.get(entry_id), new.statuses.get(entry_id)
        if before_status != after_status:
            moves.append(StatusMove(entry_id, before_status, after_status))
    return Changes(
        previous=old.created,
        current=new.created,
        status_moves=tuple(moves),
        figures=tuple(figures),
        new_themes={k: v for k, v in new.themes.items() if k not in old.themes},
        vanished_themes={k: v for k, v in old.themes.items() if k not in new.themes},
        new_documents={k: v for k, v in new.documents.items() if k not in old.documents},
        new_decisions={k: v for k, v in new.decisions.items() if k not in old.decisions},
    )
