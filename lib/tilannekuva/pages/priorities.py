"""Kehittämisen painopisteet (40_painopisteet): the tracker of the cooperation's open questions.

For each of the 13 items and 4 goals of the knowledge base: its status and
owner, the last decision, the status history as a timeline, and beside it what
the survey says (region means with 95 % intervals, through the privacy layer).
Each entry's row has the entry id as its HTML id, so key messages link to it.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from tilannekuva.charts import source_note
from tilannekuva.formats import fi_date, fi_interval, fi_number, shown_difference
from tilannekuva.knowledge.base import STATUS_LABELS, STATUSES, KnowledgeBase, load_knowledge_base
from tilannekuva.knowledge.comparison import load_comparison
from tilannekuva.pages.common import PageData
from tilannekuva.pages.survey import SurveyScope
from tilannekuva.store import has_table

# Status colours: from "open" (vermillion) to "in place" (bluish green), Okabe–Ito.
STATUS_COLOURS = {
    "avoin": "#D55E00",
    "valmistelussa": "#E69F00",
    "sovittu": "#56B4E9",
    "toteutunut": "#009E73",
}


def status_badge(status: str) -> str:
    return f'<span class="tk-status tk-status-{status}">{STATUS_LABELS[status]}</span>'


@dataclass
class Tracker:
    data: PageData
    today: dt.date | None = None

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_knowledge_base(self.data.layout)

    @cached_property
    def scope(self) -> SurveyScope:
        return SurveyScope(self.data)

    @cached_property
    def item_evidence(self) -> dict[str, str]:
        """Survey evidence per questionnaire row id, as Finnish text (hidden: the reason)."""
        scope = self.scope
        out: dict[str, str] = {}
        if not has_table(self.data.layout, "survey") or scope.hidden_scope:
            return out
        threshold = self.data.threshold
        for row in scope.items.itertuples():
            if row.suppressed:
                out[row.item] = f"alle {threshold} vastausta tai piilotettu tietosuojan vuoksi"
                continue
            gap = shown_difference(row.importance_mean, row.state_mean, 1)
            text = (
                f"tärkeys {fi_number(row.importance_mean, 1)}, toteutuminen "
                f"{fi_number(row.state_mean, 1)}, ero {fi_number(gap, 1)} "
                f"(95 %:n luottamusväli {fi_interval(row.gap_low, row.gap_high, 1)}); "
                f"kehittämistarpeissa sija {row.rank_label} (n = {fi_number(row.gap_n)})"
            )
            if row.priority:
                text += "; kehittämisen painopiste"
            out[row.item] = text
        for row in scope.round.goal_means(scope.scope).itertuples():
            if row.suppressed:
                out[row.goal] = f"alle {threshold} vastausta tai piilotettu tietosuojan vuoksi"
            else:
                out[row.goal] = (
                    f"keskiarvo {fi_number(row.mean, 1)} "
                    f"(95 %:n luottamusväli {fi_interval(row.low, row.high, 1)}, "
                    f"n = {fi_number(row.n)})"
                )
        return out

    def summary(self) -> HTML:
        counts = pd.Series([e.status for e in self.kb.entries]).value_counts()
        parts = [
            f"{status_badge(s)} {fi_number(int(counts.get(s, 0)))}"
            for s in STATUSES
            if counts.get(s, 0)
        ]
        changes = load_comparison(self.data.layout).changes
        moves = [m for m in changes.status_moves if m.from_status and m.to_status]
        text = f"<p>Yhteistyöasioita ja tavoitteita {len(self.kb.entries)}: " + ", ".join(parts)
        text += ".</p>"
        if changes.first_build:
            text += "<p>Edellistä koontia ei ole, joten tilan muutoksia ei vielä näytetä.</p>"
        elif moves:
            listed = "".join(
                f"<li>{html.escape(self.kb.entry(m.id).short if m.id in self.kb else m.id)}: "
                f"{status_badge(m.from_status)} → {status_badge(m.to_status)}</li>"
                for m in moves
            )
            text += (
                f"<p>Tilan muutokset edellisen koonnin ({fi_date(changes.previous)}) jälkeen:</p>"
                f"<ul>{listed}</ul>"
            )
        else:
            text += (
                f"<p>Tiloissa ei ole muutoksia edellisen koonnin ({fi_date(changes.previous)}) "
                "jälkeen.</p>"
            )
        return HTML(text)

    def table(self, kind: str) -> HTML:
        """The tracker table of items (``item``) or goals (``goal``)."""
        rows = []
        for entry in (e for e in self.kb.entries if e.kind == kind):
            last = entry.last
            decision = f"{fi_date(last.date)}: {html.escape(last.text)}"
            if last.reference:
                decision += f" <i>({html.escape(last.reference)})</i>"
            evidence = [
                f"<b>{html.escape(self._title(row_id))}</b>: "
                f"{html.escape(self.item_evidence.get(row_id, 'ei kyselyaineistoa'))}"
                for row_id in entry.evidence.survey
            ]
            documents = [
                f'<a href="{html.escape(d.url)}">{html.escape(d.title)}</a>'
                if d.url
                else html.escape(f"{d.title} ({d.path})")
                for d in entry.evidence.documents
            ]
            rows.append(
                f'<tr id="{html.escape(entry.id)}"><td><b>{html.escape(entry.title)}</b></td>'
                f"<td>{status_badge(entry.status)}</td><td>{html.escape(entry.owner)}</td>"
                f"<td>{decision}</td><td>{'<br>'.join(evidence + documents) or '–'}</td></tr>"
            )
        head = "".join(
            f"<th>{h}</th>"
            for h in ("Asia", "Tila", "Vastuutaho", "Viimeisin kirjaus", "Kyselyn näyttö")
        )
        return HTML(
            f'<table class="tk-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _title(self, row_id: str) -> str:
        return self.kb.entry(row_id).short if row_id in self.kb else row_id

    def timeline_figure(self) -> go.Figure:
        """Each entry's status over time, from its first history date until today."""
        today = self.today or dt.date.today()
        timeline = self.kb.timeline()
        order = [e.id for e in self.kb.entries]
        shorts = {e.id: e.short for e in self.kb.entries}
        segments: dict[str, tuple[list, list, list]] = {s: ([], [], []) for s in STATUSES}
        for entry_id in order:
            steps = timeline[timeline["id"] == entry_id].sort_values("date")
            dates = [d.date() for d in steps["date"]] + [max(today, steps["date"].max().date())]
            for (step, start), end in zip(
                zip(steps.itertuples(), dates[:-1], strict=True), dates[1:], strict=True
            ):
                xs, ys, texts = segments[step.status]
                label = shorts[entry_id]
                xs += [start.isoformat(), end.isoformat(), None]
                ys += [label, label, None]
                texts += [f"{fi_date(start)}: {step.text}", f"{fi_date(start)}: {step.text}", None]
        fig = go.Figure()
        for status in STATUSES:
            xs, ys, texts = segments[status]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": STATUS_COLOURS[status], "width": 14},
                    name=STATUS_LABELS[status],
                    text=texts,
                    hovertemplate="%{y}<br>%{text}<extra>" + STATUS_LABELS[status] + "</extra>",
                    connectgaps=False,
                )
            )
        decisions = timeline.assign(short=timeline["id"].map(shorts))
        fig.add_trace(
            go.Scatter(
                x=[d.date().isoformat() for d in decisions["date"]],
                y=decisions["short"],
                mode="markers",
                marker={"symbol": "line-ns", "size": 16, "line": {"width": 2, "color": "#222"}},
                name="kirjaus",
                hoverinfo="skip",
            )
        )
        fig.update_layout(
            title="Yhteistyöasioiden tila ajan mittaan",
            height=120 + 28 * len(order),
            yaxis={
                "categoryorder": "array",
                "categoryarray": list(reversed([shorts[i] for i in order])),
            },
            xaxis={"type": "date", "tickformat": "%-d.%-m.%Y"},
        )
        return source_note(fig, None, today, "asiantuntijaryhmän tietopohja")
