"""Kyselyn tulokset (20_kysely): the survey picture for the region, a sub-region or a group.

Every figure passes through the privacy layer. A scope (sub-region or
respondent group) with fewer respondents than the threshold shows nothing.
Within a scope, an item's means are hidden when its answers are too few, or
when the same item is hidden in another part of the same partition so that
the region's figure minus the shown parts would reveal it (secondary
suppression across sub-regions and across groups).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from tilannekuva.analysis import goals, groups, ipa, rounds
from tilannekuva.charts import source_note
from tilannekuva.charts.survey import diverging_goal_bars, ipa_chart
from tilannekuva.formats import fi_number
from tilannekuva.pages.common import PageData, html_table
from tilannekuva.privacy.suppress import hidden_groups, min_group_size
from tilannekuva.questionnaire import Questionnaire, load_questionnaire
from tilannekuva.region import current, municipalities, subregions

MEANS = [
    "importance_mean",
    "importance_low",
    "importance_high",
    "state_mean",
    "state_low",
    "state_high",
    "gap_mean",
    "gap_low",
    "gap_high",
]


@dataclass
class SurveyScope:
    data: PageData
    subregion: str | None = None
    org_type: str | None = None
    municipality: str | None = None  # 3-digit code (municipality cards)

    @cached_property
    def questionnaire(self) -> Questionnaire:
        return load_questionnaire(layout=self.data.layout)

    @cached_property
    def threshold(self) -> int:
        return min_group_size(self.data.layout)

    @cached_property
    def rounds(self) -> list[str]:
        return rounds.ordered_rounds(self.data.survey)

    @cached_property
    def latest(self) -> pd.DataFrame:
        """All respondents of the latest round (the region)."""
        survey = self.data.survey
        return survey[survey["round"] == self.rounds[-1]]

    @property
    def dimension(self) -> tuple[str, str] | None:
        if self.subregion:
            return "subregion", self.subregion
        if self.org_type:
            return "org_type", self.org_type
        if self.municipality:
            return "municipality_code", self.municipality
        return None

    @cached_property
    def frame(self) -> pd.DataFrame:
        if self.dimension is None:
            return self.latest
        column, value = self.dimension
        return self.latest[self.latest[column] == value]

    @property
    def title(self) -> str:
        if self.subregion:
            names = dict(
                zip(subregions()["subregion_code"], subregions()["subregion"], strict=True)
            )
            return names.get(self.subregion, self.subregion)
        if self.org_type:
            return self.questionnaire.option_label("org_type", self.org_type)
        if self.municipality:
            names = dict(zip(municipalities()["code"], municipalities()["name"], strict=True))
            return names.get(self.municipality, self.municipality)
        return current().name

    @property
    def n(self) -> int:
        return len(self.frame)

    @property
    def too_few(self) -> bool:
        return self.hidden_scope

    @cached_property
    def hidden_scope(self) -> bool:
        """The whole scope is hidden (primary or secondary) among its partition."""
        if self.dimension is None:
            return self.n < self.threshold
        column, value = self.dimension
        counts = self.latest[column].fillna("__none__").value_counts()
        members = self._members(column)
        names = [*members, "__rest__"]
        n = [int(counts.get(m, 0)) for m in members] + [
            int(len(self.latest) - sum(counts.get(m, 0) for m in members))
        ]
        hide = hidden_groups(n, self.threshold, True, [False] * len(members) + [True])
        return dict(zip(names, hide, strict=True))[value]

    def _members(self, column: str) -> list[str]:
        if column == "subregion":
            return subregions()["subregion_code"].tolist()
        if column == "municipality_code":
            # "Koko maakunta" answers are the unpublished remainder of this partition.
            return municipalities()["code"].tolist()
        return [o.id for o in self.questionnaire.question(column).options]

    def _hidden_items(self, table: pd.DataFrame) -> set[str]:
        """Items whose answers in this scope are too few, or recoverable from the partition."""
        if self.dimension is None:
            return {
                row.item
                for row in table.itertuples()
                if min(row.importance_n, row.state_n) < self.threshold
            }
        dim, value = self.dimension
        hidden_members = self.data.shared(
            ("hidden-members", dim, self.threshold), lambda: self._hidden_members(dim)
        )
        return {row.item for row in table.itertuples() if value in hidden_members[row.item]}

    def _hidden_members(self, dim: str) -> dict[str, set[str]]:
        """For each item: the members of ``dim`` whose figures of it are hidden.

        The same for every page of the partition (each municipality's card, each
        sub-region's page), so computed once and shared.
        """
        members = self._members(dim)
        unpublished = [False] * len(members) + [True]
        out: dict[str, set[str]] = {}
        for item in ipa.items(self.questionnaire):
            hidden: set[str] = set()
            for suffix in ("importance", "state"):
                answered = self.latest[self.latest[f"{item.id}__{suffix}"].notna()]
                counts = answered[dim].value_counts()
                n = [int(counts.get(m, 0)) for m in members]
                rest = len(answered) - sum(n)
                hide = hidden_groups([*n, rest], self.threshold, True, unpublished)
                hidden.update(m for m, h in zip(members, hide, strict=False) if h)
            out[item.id] = hidden
        return out

    @cached_property
    def items(self) -> pd.DataFrame:
        """The IPA table of this scope, hidden items' figures set to NA (``suppressed``)."""
        key = ("survey-items", self.subregion, self.org_type, self.municipality, self.threshold)
        return self.data.shared(key, self._items)

    def _items(self) -> pd.DataFrame:
        table = ipa.item_summary(self.frame, self.questionnaire)
        hidden = self._hidden_items(table)
        table["suppressed"] = table["item"].isin(hidden)
        for column in MEANS:
            table[column] = table[column].astype("Float64").mask(table["suppressed"])
        return table

    def data_date(self) -> str | None:
        return self.data.data_date("survey")

    # --- what the page shows ---

    def headline(self) -> HTML:
        if self.too_few:
            return HTML(
                f"<p><b>{self.title}: vastaajia on alle {self.threshold}, joten tuloksia ei näytetä "
                "(tietosuoja).</b></p>"
            )
        return HTML(
            f"<p>Vastaajia: <b>{fi_number(self.n)}</b> (kierros {self.rounds[-1]}). "
            f"Luvut, joiden taustalla on alle {self.threshold} vastausta, on piilotettu.</p>"
        )

    def ipa_figure(self) -> go.Figure | None:
        if self.too_few:
            return None
        table = self.items
        attrs = table.attrs
        fig = ipa_chart(
            table,
            attrs["grand_importance"],
            attrs["grand_state"],
            f"Tärkeys ja toteutuminen: {self.title}",
        )
        return source_note(fig, self.n, self.data_date(), "kysely")

    def priorities(self) -> HTML | None:
        if self.too_few:
            return None
        table = self.items.sort_values(["rank", "item"])
        rows = []
        for r in table.itertuples():
            if r.suppressed:
                rows.append((r.rank_label, r.label, "–", "–", "–", f"<{self.threshold}"))
                continue
            rows.append(
                (
                    r.rank_label,
                    r.label,
                    f"{fi_number(r.gap_mean, 2)} ({fi_number(r.gap_low, 2)}…{fi_number(r.gap_high, 2)})",
                    fi_number(r.importance_mean, 2),
                    fi_number(r.state_mean, 2),
                    fi_number(r.gap_n),
                )
            )
        frame = pd.DataFrame(
            rows, columns=["Sija", "Asia", "Ero (95 % lv)", "Tärkeys", "Toteutuminen", "n"]
        )
        return html_table(
            frame,
            numeric=("Tärkeys", "Toteutuminen", "n"),
            caption="Kehittämisen painopisteet: tärkeyden ja toteutumisen ero, suurin ensin. "
            "Sija 2–4 tarkoittaa, ettei järjestystä voi erottaa sattumasta.",
        )

    def goals_figure(self) -> go.Figure | None:
        if self.too_few:
            return None
        dist = goals.distribution(self.frame, self.questionnaire)
        small = dist.groupby("goal")["n"].first() < self.threshold
        dist.loc[dist["goal"].isin(small[small].index), "share"] = float("nan")
        scale = self.questionnaire.scales[self.questionnaire.question("goals").scale or "state"]
        fig = diverging_goal_bars(dist, scale, f"Tavoitteiden eteneminen: {self.title}")
        missing = int(dist[dist["point"] == 0]["count"].sum())
        fig.add_annotation(
            text=f"'En osaa sanoa' tai ei vastausta: {fi_number(missing)} vastausta (ei mukana osuuksissa)",
            xref="paper",
            yref="paper",
            x=1,
            y=-0.3,
            xanchor="right",
            showarrow=False,
            font={"size": 11, "color": "#555"},
        )
        return source_note(fig, self.n, self.data_date(), "kysely")

    def group_differences(self, by: str) -> HTML | None:
        """Items where groups differ more than chance (region page only)."""
        if self.dimension is not None:
            return None
        columns = [c.column for c in self.questionnaire.scale_columns]
        tests = groups.group_tests(self.latest, by, columns, min_n=self.threshold)
        means = groups.group_means(self.latest, by, columns)
        labels = {
            c.column: f"{c.row.display} ({'tärkeys' if c.question == 'importance' else 'toteutuminen' if c.question == 'state' else 'tavoite'})"
            for c in self.questionnaire.scale_columns
        }
        rows = []
        for test in tests[tests["differs"]].itertuples():
            part = means[means["column"] == test.column].copy()
            hide = hidden_groups(part["n"].tolist(), self.threshold, True)
            shown = ", ".join(
                f"{self._group_label(by, g)} {'–' if h else fi_number(m, 2)}"
                for g, m, h in zip(part["group"], part["mean"], hide, strict=True)
            )
            rows.append((labels[test.column], shown, fi_number(test.p_adjusted, 3)))
        if not rows:
            return HTML(
                "<p>Ryhmien välillä ei ole sattumaa suurempia eroja (Kruskal–Wallis, Holmin korjaus).</p>"
            )
        frame = pd.DataFrame(rows, columns=["Kysymys", "Ryhmien keskiarvot", "p (korjattu)"])
        return html_table(
            frame,
            numeric=("p (korjattu)",),
            caption="Erot, jotka ovat sattumaa suurempia (Kruskal–Wallis, Holmin korjaus, 5 %).",
        )

    def _group_label(self, by: str, value: str) -> str:
        if by == "subregion":
            names = dict(
                zip(subregions()["subregion_code"], subregions()["subregion"], strict=True)
            )
            return names.get(value, value)
        return self.questionnaire.option_label(by, value)

    def round_changes(self) -> HTML:
        if len(self.rounds) < 2 or self.too_few:
            return HTML(
                f"<p>Aineistossa on yksi kyselykierros ({self.rounds[-1]}); muutosta edelliseen ei voi vielä laskea.</p>"
            )
        survey = self.data.survey
        if self.dimension is not None:
            column, value = self.dimension
            survey = survey[survey[column] == value]
        columns = [c.column for c in self.questionnaire.scale_columns]
        change = rounds.round_change(survey, columns)
        change = change[
            (change["n_previous"] >= self.threshold) & (change["n_current"] >= self.threshold)
        ]
        labels = {c.column: c.row.display for c in self.questionnaire.scale_columns}
        rows = [
            (
                labels[r.column],
                fi_number(r.mean_previous, 2),
                fi_number(r.mean_current, 2),
                f"{fi_number(r.change, 2)} ({fi_number(r.low, 2)}…{fi_number(r.high, 2)})",
                "kyllä" if r.changed else "ei",
            )
            for r in change.itertuples()
        ]
        frame = pd.DataFrame(
            rows, columns=["Kysymys", "Edellinen", "Nyt", "Muutos (95 % lv)", "Sattumaa suurempi"]
        )
        return html_table(
            frame,
            numeric=("Edellinen", "Nyt"),
            caption=f"Muutos kierroksesta {change['previous'].iloc[0] if len(change) else ''}",
        )


def load_scope(
    data_dir: str, subregion: str | None = None, org_type: str | None = None
) -> SurveyScope:
    return SurveyScope(PageData(data_dir), subregion, org_type)
