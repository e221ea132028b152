"""The key messages of a round (Yleiskuva): a few Finnish sentences derived from the data.

Candidates come in four kinds, each kind ordered by its own rule:

1. ``survey`` – clear survey results, from every survey alike: the development
   priorities of the main survey's importance–performance table (by the one
   definition in :mod:`tilannekuva.analysis.priorities`, the ``priority``
   column; a table without it falls back to a gap positive beyond chance; kind
   ``gap``) and the other surveys' clear results on an item or goal
   (:func:`tilannekuva.analysis.evidence.survey_messages`: a mean whose 95 %
   interval excludes the scale's middle, or a pair's gap whose interval
   excludes zero; kind ``survey``), each with n at least ``min_n``. They are
   ranked by one rule, the **strength of evidence**: the distance of the 95 %
   interval's near end from the neutral point (0 for a gap, the scale's middle
   for a mean) in points of a five-point scale (``× 4 / the scale's span``),
   larger first; ties by larger n, then title. Another survey gives at most
   ``MAX_PER_SURVEY`` messages, so the main survey keeps places when its
   results are clear; at most 3 take turns with the other kinds, the rest fill
   up when the other kinds are too few.
2. ``status`` – status moves of the knowledge base since the previous snapshot
   (ids present on both sides); ordered by the size of the move (steps on
   avoin → toteutunut, backward moves count as much as forward ones), then
   knowledge-base order; at most 3.
3. ``change`` – headline figures that changed beyond chance (see
   :mod:`tilannekuva.knowledge.snapshots`), n at least ``min_n`` on both sides when
   known; ordered by :attr:`FigureChange.weight` (the move in units of its own
   threshold), then key; at most 3.
4. ``theme`` – themes of the open answers new since the previous snapshot, with at
   least ``min_n`` mentions (a smaller count would be a small cell); ordered by
   count, then id; at most 2.

Selection is round-robin over the kinds in that order (the strongest survey
result, the best status move, the best change, the best new theme, then the
second of each, …) until ``n`` messages are chosen, so that one kind cannot
crowd out the others and the strongest survey result always comes first. When
the kinds give fewer than ``n`` (the first build has no changes), further
clear survey results beyond the third fill the list in the same order (still
at most ``MAX_PER_SURVEY`` from each other survey); nothing else is added to
fill it.

Each message has an ``anchor``: the page file and the element id of the chart or
entry behind it (``ANCHORS``); the pages must carry those ids.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import pandera.pandas as pa

from tilannekuva.errors import ConfigError
from tilannekuva.formats import fi_date, fi_interval, fi_number, fi_percent, shown_difference
from tilannekuva.knowledge.base import STATUS_LABELS, KnowledgeBase
from tilannekuva.knowledge.snapshots import Changes, FigureChange, StatusMove, shown_pair

MessageKind = Literal["gap", "status", "change", "theme", "survey"]
KIND_ORDER: tuple[str, ...] = ("survey", "status", "change", "theme")
MAX_PER_KIND: dict[str, int] = {"survey": 3, "status": 3, "change": 3, "theme": 2}
MAX_PER_SURVEY = 2  # messages from any one survey other than the main one
MAIN_SURVEY = ""  # the ``source`` of the main survey's messages
MIN_N = 5
MAIN_SCALE = (1, 5)  # the main questionnaire's importance and state scale

# Where each kind of message points; ``{id}`` is the item, goal, figure or theme id.
ANCHORS: dict[str, str] = {
    "gap": "20_kysely.html#asia-{id}",
    "status": "40_painopisteet.html#{id}",
    "change": "00_yleiskuva.html#tunnusluvut",
    "theme": "30_avoimet.html#teemat",
}

IPA_SCHEMA = pa.DataFrameSchema(
    {
        "item": pa.Column(str),
        "label": pa.Column(str),
        "importance_mean": pa.Column(float, nullable=True),
        "state_mean": pa.Column(float, nullable=True),
        "gap": pa.Column(float, nullable=True),
        "gap_low": pa.Column(float, nullable=True),
        "gap_high": pa.Column(float, nullable=True),
        "n": pa.Column(int),
        "rank": pa.Column(int),
        "rank_label": pa.Column(str),
        "priority": pa.Column(bool, required=False),
    },
    coerce=True,
)


@dataclass(frozen=True)
class KeyMessage:
    """One key message: a short title, a Finnish sentence or two, and where to read more."""

    title: str
    text: str
    anchor: str
    kind: MessageKind
    weight: float
    source: str = ""  # the survey a survey result comes from ("" for the default survey)
    n: int = 0  # the result's own n (breaks ties between equally strong results)


def _ipa_frame(ipa: pd.DataFrame) -> pd.DataFrame:
    """Accept the brief's columns or :func:`tilannekuva.analysis.ipa.item_summary`'s
    (``gap_mean``, ``gap_n``) and validate."""
    renamed = ipa.rename(
        columns={
            k: v
            for k, v in {"gap_mean": "gap", "gap_n": "n"}.items()
            if k in ipa.columns and v not in ipa.columns
        }
    )
    return IPA_SCHEMA.validate(renamed)


def _one(value: float) -> str:
    return fi_number(value, 1)


def _finite(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def gap_messages(
    ipa: pd.DataFrame | None,
    kb: KnowledgeBase,
    min_n: int = MIN_N,
    scale: tuple[int, int] = MAIN_SCALE,
) -> list[KeyMessage]:
    """Development priorities: gap clearly above zero, best ranks first (all candidates).

    Weight: the strength of evidence (the interval's lower end above zero, in
    points of a five-point scale; ``scale`` is the answer scale's ends).
    """
    if ipa is None or ipa.empty:
        return []
    table = _ipa_frame(ipa)
    total = len(table)
    clear = table["gap_low"].notna() & (table["gap_low"] > 0) & table["gap"].notna()
    if "priority" in table.columns:
        clear = table["priority"].astype(bool)
    chosen = table[clear & (table["n"] >= min_n)]
    chosen = chosen.sort_values(["rank", "gap", "item"], ascending=[True, False, True])
    out = []
    for row in chosen.itertuples(index=False):
        places = "sijoilla" if "–" in row.rank_label else "sijalla"
        gap = shown_difference(row.importance_mean, row.state_mean, 1)
        text = (
            f"{row.label}: tärkeyden keskiarvo {_one(row.importance_mean)}, "
            f"toteutumisen {_one(row.state_mean)}. Ero on {_one(gap)} "
            f"(95 %:n luottamusväli {fi_interval(row.gap_low, row.gap_high, 1)}, "
            f"n = {fi_number(row.n)} samaa vastaajaa), ja asia on kehittämistarpeiden "
            f"järjestyksessä {places} {row.rank_label} ({fi_number(total)} asiasta)."
        )
        if row.item in kb:
            entry = kb.entry(row.item)
            text += (
                f" Tietopohjassa tila on ”{entry.status_label.lower()}”, vastuutaho: {entry.owner}."
            )
        out.append(
            KeyMessage(
                title=f"Kehittämistarve: {row.label}",
                text=text,
                anchor=ANCHORS["gap"].format(id=row.item),
                kind="gap",
                weight=strength(float(row.gap_low), 0.0, *scale),
                source=MAIN_SURVEY,
                n=int(row.n),
            )
        )
    return out


def strength(near_end: float, neutral: float, scale_low: float, scale_high: float) -> float:
    """The strength of a survey result: its 95 % interval's near end's distance from the
    neutral point, in points of a five-point scale (× 4 / the scale's span)."""
    return abs(near_end - neutral) * 4 / (scale_high - scale_low)


def survey_candidates(
    gaps: list[KeyMessage], others: list[KeyMessage], min_n: int = MIN_N
) -> list[KeyMessage]:
    """Every survey's clear results in the one order (strength, then n, then title), with
    at most ``MAX_PER_SURVEY`` from each survey other than the main one."""
    pool = [*gaps, *(m for m in others if m.n >= min_n)]
    pool.sort(key=lambda m: (-m.weight, -m.n, m.title))
    taken: dict[str, int] = {}
    out = []
    for message in pool:
        if message.source != MAIN_SURVEY:
            if taken.get(message.source, 0) >= MAX_PER_SURVEY:
                continue
            taken[message.source] = taken.get(message.source, 0) + 1
        out.append(message)
    return out


def _status_message(move: StatusMove, kb: KnowledgeBase, since: str) -> KeyMessage:
    before = STATUS_LABELS[move.from_status or ""].lower()
    after = STATUS_LABELS[move.to_status or ""].lower()
    if move.id in kb:
        entry = kb.entry(move.id)
        what = "Tavoitteen" if entry.kind == "goal" else "Kohteen"
        text = f"{what} ”{entry.title}” tila on muuttunut {since}: {before} → {after}."
        last = entry.last
        if last.status == move.to_status:
            text += f" Viimeisin kirjaus {fi_date(last.date)}: {last.text}"
            if last.reference:
                text += f" ({last.reference})"
            if not text.endswith("."):
                text += "."
        text += f" Vastuutaho: {entry.owner}."
        name = entry.short
    else:
        name = move.id
        text = f"Kohteen {move.id} tila on muuttunut {since}: {before} → {after}."
    return KeyMessage(
        title=f"{name}: {before} → {after}",
        text=text,
        anchor=ANCHORS["status"].format(id=move.id),
        kind="status",
        weight=float(abs(move.progress)),
    )


def _order_in(kb: KnowledgeBase, entry_id: str) -> int:
    ids = [e.id for e in kb.entries]
    return ids.index(entry_id) if entry_id in ids else len(ids)


def status_messages(changes: Changes | None, kb: KnowledgeBase) -> list[KeyMessage]:
    """Status moves since the previous snapshot, largest moves first."""
    if changes is None or changes.first_build:
        return []
    since = _since(changes)
    moves = [m for m in changes.status_moves if m.from_status and m.to_status]
    moves.sort(key=lambda m: (-abs(m.progress), _order_in(kb, m.id), m.id))
    return [_status_message(m, kb, since) for m in moves]


def _since(changes: Changes) -> str:
    return f"edellisen koonnin ({fi_date(changes.previous)}) jälkeen"


def _large_enough(change: FigureChange, min_n: int) -> bool:
    return all(f is None or f.n is None or f.n >= min_n for f in (change.old, change.new))


def change_messages(changes: Changes | None, min_n: int = MIN_N) -> list[KeyMessage]:
    """Headline figures that moved beyond chance, largest moves (in threshold units) first."""
    if changes is None or changes.first_build:
        return []
    chosen = [c for c in changes.changed_figures if _large_enough(c, min_n)]
    chosen.sort(key=lambda c: (-c.weight, c.key))
    out = []
    for c in chosen:
        old, new = c.old, c.new
        assert old is not None and new is not None and old.value is not None
        verb = "nousi" if c.difference > 0 else "laski"
        text = (
            f"{c.label} {verb} edellisen koonnin ({fi_date(changes.previous)}) arvosta "
            f"{shown_pair(old, new)[0]} arvoon {shown_pair(old, new)[1]}"
        )
        text += f" (n = {fi_number(new.n)})." if new.n is not None else "."
        if c.basis == "interval" and new.has_interval:
            text += (
                f" Muutos on sattumaa suurempi: uusi 95 %:n luottamusväli "
                f"{new.shown(new.low)}…{new.shown(new.high)} ei kata aiempaa arvoa."
            )
        elif c.basis == "interval":
            text += (
                f" Muutos on sattumaa suurempi: aiempi 95 %:n luottamusväli "
                f"{old.shown(old.low)}…{old.shown(old.high)} ei kata uutta arvoa."
            )
        else:
            share = abs(c.difference) / abs(old.value) if old.value else math.nan
            if _finite(share):
                text += f" Muutos on {fi_percent(share)} edellisestä arvosta."
        out.append(
            KeyMessage(
                title=f"{c.label} {verb}",
                text=text,
                anchor=ANCHORS["change"].format(id=c.key),
                kind="change",
                weight=float(c.weight),
            )
        )
    return out


def _project_theme_labels() -> dict[str, str]:
    from tilannekuva.analysis.text import load_themes

    try:
        return {k: t.label for k, t in load_themes().themes.items()}
    except ConfigError:
        return {}


def theme_messages(
    changes: Changes | None, theme_labels: dict[str, str] | None = None, min_n: int = MIN_N
) -> list[KeyMessage]:
    """Themes new since the previous snapshot, with at least ``min_n`` mentions."""
    if changes is None or changes.first_build:
        return []
    labels = _project_theme_labels() if theme_labels is None else theme_labels
    chosen = sorted(
        ((k, v) for k, v in changes.new_themes.items() if v >= min_n),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return [
        KeyMessage(
            title=f"Uusi teema avoimissa vastauksissa: {labels.get(theme, theme)}",
            text=(
                f"Avoimissa vastauksissa nousi esiin teema ”{labels.get(theme, theme)}”, "
                f"jota edellisessä koonnissa ({fi_date(changes.previous)}) ei ollut: "
                f"{fi_number(count)} mainintaa."
            ),
            anchor=ANCHORS["theme"].format(id=theme),
            kind="theme",
            weight=float(count),
        )
        for theme, count in chosen
    ]


def key_messages(
    ipa: pd.DataFrame | None,
    changes: Changes | None,
    kb: KnowledgeBase,
    n: int = 5,
    *,
    theme_labels: dict[str, str] | None = None,
    min_n: int = MIN_N,
    survey_results: list[KeyMessage] | None = None,
    scale: tuple[int, int] = MAIN_SCALE,
) -> list[KeyMessage]:
    """The key messages of this build, at most ``n``, chosen by the module's rules.

    ``ipa``: the importance–performance table (columns item, label,
    importance_mean, state_mean, gap, gap_low, gap_high, n, rank, rank_label;
    ``gap_mean``/``gap_n`` are accepted for gap/n). ``changes``: from
    :func:`~tilannekuva.knowledge.snapshots.compare`, None or first build for no
    changes. ``theme_labels``: Finnish theme names (default: the project's theme
    dictionary). ``min_n``: the small-cell threshold. ``survey_results``: clear results
    of other surveys on an item or goal (``analysis.evidence.survey_messages``); they
    compete with the main survey's priorities by the strength of evidence.
    ``scale``: the main survey's importance and state scale.
    """
    if n <= 0:
        return []
    pools: dict[str, list[KeyMessage]] = {
        "survey": survey_candidates(
            gap_messages(ipa, kb, min_n, scale), survey_results or [], min_n
        ),
        "status": status_messages(changes, kb),
        "change": change_messages(changes, min_n),
        "theme": theme_messages(changes, theme_labels, min_n),
    }
    capped = {kind: pool[: MAX_PER_KIND[kind]] for kind, pool in pools.items()}
    chosen: list[KeyMessage] = []
    for position in range(max(MAX_PER_KIND.values())):
        for kind in KIND_ORDER:
            if position < len(capped[kind]) and len(chosen) < n:
                chosen.append(capped[kind][position])
    # Too few (e.g. the first build has no changes): further clear survey results fill up.
    for message in pools["survey"][MAX_PER_KIND["survey"] :]:
        if len(chosen) >= n:
            break
        chosen.append(message)
    return chosen


def messages_frame(messages: list[KeyMessage]) -> pd.DataFrame:
    """The messages as a table: title, text, anchor, kind, weight (in selection order)."""
    return pd.DataFrame(
        [vars(m) for m in messages], columns=["title", "text", "anchor", "kind", "weight"]
    )
