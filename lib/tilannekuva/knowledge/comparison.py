"""This build's headline figures, and the comparison with an earlier build, prepared once.

The build computes the headline figures (:func:`current_snapshot`) once, before
any page runs, and writes them with the snapshot to compare against to
``DIR/build/shared/comparison.json`` (:func:`prepare`); the pages read that file
(:func:`load_comparison`) rather than each recomputing it. After a successful
build the snapshot is stored under ``DIR/snapshots/`` (:func:`record`).

Which snapshot is "the previous one"? The latest stored snapshot **whose
contents differ from this build's**: rebuilding twice with the same data must
not make the second build compare with the first and report that nothing
changed. For the same reason a build whose figures, statuses and themes equal
the latest snapshot's stores no new snapshot. ``--since DATE`` picks instead the
first snapshot made on or after that date (e.g. the previous meeting's).

Headline figures (keys): ``associations`` (active associations, register),
``respondents`` (latest round), ``importance:<item>``, ``state:<item>``,
``gap:<item>`` (region means with 95 % t intervals), ``goal:<goal>``. Survey
means are taken only when the privacy layer shows them on the survey page (n at
or above the threshold); a suppressed figure is left out of the snapshot.
Documents and decisions: the ingested documents' ids and titles and the logged
decisions, so that a build can say which are new since the previous one.
Theme counts: the open-answer themes with at least the small-cell threshold of
mentions (smaller counts are never shown, so a theme is "new" when it first
reaches the threshold).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tilannekuva.paths import DataLayout
from tilannekuva.store import atomic_write_bytes, has_table

if TYPE_CHECKING:
    from tilannekuva.knowledge.base import KnowledgeBase
    from tilannekuva.knowledge.snapshots import Changes, Figure, Snapshot

# The knowledge base and snapshot modules (pydantic models, pandera schemas) are
# imported where they are used: an unchanged rebuild only checks the prepared
# file's key (:func:`is_prepared`) and should not pay for them.

COMPARISON_FILE = "comparison.json"


def comparison_path(layout: DataLayout) -> Path:
    return layout.build / "shared" / COMPARISON_FILE


def headline_figures(layout: DataLayout) -> dict[str, Figure]:
    """The figures a snapshot keeps (see the module's docstring)."""
    from tilannekuva.analysis.scopes import Scope, latest_round
    from tilannekuva.knowledge.snapshots import Figure
    from tilannekuva.registry.aggregates import active
    from tilannekuva.registry.view import field_view
    from tilannekuva.settings import Settings
    from tilannekuva.store import read_table

    settings = Settings.from_data_dir(layout.root)
    figures: dict[str, Figure] = {}
    if has_table(layout, "associations"):
        view, source = field_view(read_table(layout, "associations"))
        figures["associations"] = Figure(
            value=len(active(view)), label=f"Yhdistyksiä ({source})", decimals=0
        )
    if has_table(layout, "survey"):
        survey_round = latest_round(read_table(layout, "survey"), settings)
        figures["respondents"] = Figure(
            value=survey_round.n(Scope()), label="Kyselyn vastaajia (viimeisin kierros)", decimals=0
        )
        if survey_round.hidden_reason(Scope()) is None:
            for row in survey_round.items().itertuples():
                if row.suppressed:
                    continue
                for part, name in (
                    ("importance", "tärkeys"),
                    ("state", "toteutuminen"),
                    ("gap", "ero (tärkeys − toteutuminen)"),
                ):
                    figures[f"{part}:{row.item}"] = Figure(
                        value=float(getattr(row, f"{part}_mean")),
                        low=float(getattr(row, f"{part}_low")),
                        high=float(getattr(row, f"{part}_high")),
                        n=int(getattr(row, f"{part}_n")),
                        label=f"{row.label}: {name}",
                        decimals=2,
                    )
            for row in survey_round.goal_means().itertuples():
                if not row.suppressed:
                    figures[f"goal:{row.goal}"] = Figure(
                        value=float(row.mean),
                        low=float(row.low),
                        high=float(row.high),
                        n=int(row.n),
                        label=f"Tavoite: {row.label}",
                        decimals=2,
                    )
    return figures


def theme_counts(layout: DataLayout) -> dict[str, int]:
    if not has_table(layout, "survey"):
        return {}
    from tilannekuva.analysis import text
    from tilannekuva.analysis.scopes import latest_round
    from tilannekuva.settings import Settings
    from tilannekuva.store import read_table

    settings = Settings.from_data_dir(layout.root)
    survey_round = latest_round(read_table(layout, "survey"), settings)
    result = text.analyse(survey_round.frame, text.load_themes(layout), "open_priority", "org_type")
    # Only counts the open-answers page may show: a smaller one would be a small cell.
    threshold = settings.min_group_size
    return {str(r.theme): int(r.n) for r in result.counts.itertuples() if r.n >= threshold}


def _contents(snapshot: Snapshot) -> dict:
    return snapshot.model_dump(mode="json", exclude={"created"})


def current_snapshot(
    layout: DataLayout, kb: KnowledgeBase | None = None, now: dt.datetime | None = None
) -> Snapshot:
    """This build's snapshot (not stored)."""
    from tilannekuva.knowledge.base import load_knowledge_base
    from tilannekuva.knowledge.snapshots import make_snapshot

    kb = kb or load_knowledge_base(layout)
    snapshot = make_snapshot(headline_figures(layout), kb, theme_counts(layout), created=now)
    return snapshot.model_copy(update=knowledge_records(layout))


def knowledge_records(layout: DataLayout) -> dict[str, dict[str, str]]:
    """The ingested documents and logged decisions a snapshot keeps (for "what is new")."""
    from tilannekuva.knowledge.decisions import load_decisions
    from tilannekuva.knowledge.documents import stored_documents

    documents = {}
    if has_table(layout, "documents"):
        stored, _ = stored_documents(layout)
        documents = {str(r.id): str(r.title) for r in stored.itertuples()}
    decisions = {
        str(r.key): f"{r.entry_id}: {r.date.date().isoformat()} {r.text}"
        for r in load_decisions(layout).itertuples()
    }
    return {"documents": documents, "decisions": decisions}


def previous_snapshot(
    layout: DataLayout, current: Snapshot, since: dt.date | None = None
) -> Snapshot | None:
    """The snapshot to compare ``current`` with (see the module's docstring)."""
    from tilannekuva.knowledge.snapshots import latest_snapshot, load_snapshots

    if since is not None:
        return latest_snapshot(layout, before=current.created, since=since)
    for snapshot in reversed(load_snapshots(layout)):
        if snapshot.moment < current.moment and _contents(snapshot) != _contents(current):
            return snapshot
    return None


@dataclass(frozen=True)
class Comparison:
    current: Snapshot
    previous: Snapshot | None

    @property
    def changes(self) -> Changes:
        from tilannekuva.knowledge.snapshots import compare

        return compare(self.previous, self.current)


def prepare(
    layout: DataLayout,
    since: dt.date | None = None,
    now: dt.datetime | None = None,
    key: str | None = None,
) -> Comparison:
    """Compute this build's snapshot and its comparison base; write the shared file.

    When the latest stored snapshot has the same contents, the current snapshot
    takes its time, so the shared file (and the pages that read it) stay
    unchanged between builds of unchanged data. ``key`` names everything the
    result depends on (inputs, code, stored snapshots): when the shared file
    was written with the same key it is reused, so an unchanged rebuild does
    not pay for the analysis again.
    """
    from tilannekuva.knowledge.snapshots import load_snapshots

    path = comparison_path(layout)
    if key is not None:
        if is_prepared(layout, key, since):
            return load_comparison(layout)
        key = _full_key(key, since)
    current = current_snapshot(layout, now=now)
    stored = load_snapshots(layout)
    if stored and _contents(stored[-1]) == _contents(current):
        current = stored[-1]
    previous = previous_snapshot(layout, current, since)
    payload = {
        "current": current.model_dump(mode="json"),
        "previous": previous.model_dump(mode="json") if previous else None,
        "since": since.isoformat() if since else None,
    }
    atomic_write_bytes(
        path, json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    )
    if key is not None:
        atomic_write_bytes(_key_file(layout), key.encode())
    return Comparison(current, previous)


def _key_file(layout: DataLayout) -> Path:
    # The key lives beside the file, not in it: pages hash the file, and a new
    # key with the same result must not rebuild them.
    return comparison_path(layout).with_suffix(".key")


def _full_key(key: str, since: dt.date | None) -> str:
    return f"{key}:{since.isoformat() if since else ''}"


def is_prepared(layout: DataLayout, key: str, since: dt.date | None = None) -> bool:
    """The shared file was prepared with this key (``preparation_key``) and ``since``."""
    key_file = _key_file(layout)
    return (
        comparison_path(layout).exists()
        and key_file.exists()
        and key_file.read_text() == _full_key(key, since)
    )


def record(layout: DataLayout, comparison: Comparison, code: str | None = None) -> Path | None:
    """Store the build's snapshot unless the latest stored one has the same contents.

    With ``code`` (the build's code version), the prepared file's key is renewed:
    the new snapshot does not change what the next build would prepare (its
    contents equal this build's), so an unchanged rebuild reuses the file.
    """
    from tilannekuva.knowledge.snapshots import load_snapshots, save_snapshot

    stored = load_snapshots(layout)
    if stored and _contents(stored[-1]) == _contents(comparison.current):
        return None
    path = save_snapshot(layout, comparison.current)
    key_file = comparison_path(layout).with_suffix(".key")
    if code is not None and key_file.exists():
        since = key_file.read_text().rsplit(":", 1)[-1]
        atomic_write_bytes(key_file, f"{preparation_key(layout, code)}:{since}".encode())
    return path


def preparation_key(layout: DataLayout, code: str) -> str:
    """What :func:`prepare` depends on: processed inputs, code and configuration, snapshots."""
    import hashlib

    from tilannekuva.provenance import sha256_file

    parts = [code]
    if layout.processed.exists():
        parts += [f"{p.name}:{sha256_file(p)}" for p in sorted(layout.processed.glob("*.parquet"))]
    if layout.snapshots.exists():
        parts += sorted(p.name for p in layout.snapshots.glob("*.json"))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_comparison(layout: DataLayout) -> Comparison:
    """The build's prepared comparison; computed here when a notebook runs on its own."""
    from tilannekuva.knowledge.snapshots import Snapshot

    path = comparison_path(layout)
    if path.exists():
        payload = json.loads(path.read_text(encoding="utf-8"))
        previous = payload.get("previous")
        return Comparison(
            Snapshot.model_validate(payload["current"]),
            Snapshot.model_validate(previous) if previous else None,
        )
    current = current_snapshot(layout)
    return Comparison(current, previous_snapshot(layout, current))
