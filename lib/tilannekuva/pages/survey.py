"""Kyselyn tulokset (20_kysely): the survey picture for the region, a sub-region or a group.

This module only presents. What is hidden and why, the item figures and the
development priorities come from :mod:`tilannekuva.analysis.scopes` (one
round's privacy decisions over every linked partition) and
:mod:`tilannekuva.analysis.priorities` (the one definition of a priority).
A hidden result is a :class:`~tilannekuva.pages.common.Hidden`, never ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from IPython.display import HTML

from tilannekuva.analysis import rounds
from tilannekuva.analysis.scopes import Scope, SurveyRound
from tilannekuva.charts import source_note
from tilannekuva.charts.survey import diverging_goal_bars, ipa_chart
from tilannekuva.formats import (
    fi_interval,
    fi_number,
    fi_p_value,
    shown_difference,
    shown_value,
)
from tilannekuva.pages.common import Hidden, PageData
from tilannekuva.pages.present import HIDDEN_MARKER, FigureBlock, TableBlock, WithHeading

# Readers' names of the partitions a scope may belong to.
DIMENSION_WORDS = {
    "subregion": "seutukunta",
    "org_type": "toimijatyyppi",
    "municipality_code": "kunta",
    "field": "toimiala",
}
GROUPINGS = {
    "org_type": "Toimijatyypit",
    "subregion": "Seutukunnat",
    "field": "Toimialat",
}
DECIMALS = 2
ITEM_COLUMNS = [
    "Sija",
    "Asia",
    "Kehittämisen painopiste",
    "Tärkeys",
    "Toteutuminen",
    "Ero",
    "Ero alaraja",
    "Ero yläraja",
    "n",
]


def _hidden_note(hidden: int, what_genitive: str) -> str:
    """ " Yhden asian luvut on piilotettu (tietosuoja)." for a chart's summary; "" for none."""
    if not hidden:
        return ""
    count = "Yhden" if hidden == 1 else str(hidden)
    return f" {count} {what_genitive} luvut on piilotettu (tietosuoja)."


def _shown_cell(value: object) -> str:
    return value if isinstance(value, str) else fi_number(value, DECIMALS)


def item_rows(items: pd.DataFrame) -> pd.DataFrame:
    """The items as the page and its downloads show them, one row per item.

    Columns: Sija (rank range), Asia, Kehittämisen painopiste (kyllä/ei), Tärkeys,
    Toteutuminen, Ero (the difference of the two means as shown), Ero alaraja,
    Ero yläraja (its 95 % interval), n (respondents who answered both). A hidden
    item has the marker ``piilotettu`` in place of every figure.
    """
    rows = []
    for r in items.itertuples():
        if r.suppressed:
            rows.append(("–", r.label, "–") + (HIDDEN_MARKER,) * 6)
            continue
        rows.append(
            (
                r.rank_label,
                r.label,
                "kyllä" if r.priority else "ei",
                shown_value(r.importance_mean, DECIMALS),
                shown_value(r.state_mean, DECIMALS),
                shown_difference(r.importance_mean, r.state_mean, DECIMALS),
                shown_value(r.gap_low, DECIMALS),
                shown_value(r.gap_high, DECIMALS),
                int(r.gap_n),
            )
        )
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def ipa_summary(table: pd.DataFrame) -> str:
    """The IPA chart's summary: how many items, the widest gap, the priorities."""
    shown = table[~table["suppressed"]]
    widest = shown.loc[shown["gap_mean"].idxmax()]
    gap = shown_difference(widest["importance_mean"], widest["state_mean"], DECIMALS)
    chosen = shown[shown["priority"]]
    text = (
        f"Kuviossa on {len(shown)} asiaa. Suurin ero tärkeyden ja toteutumisen välillä on "
        f"asiassa {widest['label']} ({fi_number(gap, DECIMALS)}). "
    )
    if chosen.empty:
        text += "Yksikään asia ei erotu selvästi kehittämisen painopisteeksi."
    else:
        text += (
            f"Kehittämisen painopisteitä (timantit) on {len(chosen)}: "
            + ", ".join(chosen["label"])
            + "."
        )
    hidden = int(table["suppressed"].sum())
    text += _hidden_note(hidden, "asian")
    return text


def ipa_block(
    table: pd.DataFrame,
    *,
    title: str,
    caption: str,
    n: int,
    date: str | None,
    source: str,
    scale: tuple[int, int] = (1, 5),
) -> FigureBlock:
    """The importance–state chart of an item table (``SurveyRound.items`` or any survey's pair)."""
    fig = ipa_chart(
        table, table.attrs["grand_importance"], table.attrs["grand_state"], title, scale=scale
    )
    fig = source_note(fig, n, date, source)
    data = item_rows(table)[["Asia", "Tärkeys", "Toteutuminen", "Ero", "n"]]
    return FigureBlock(
        fig,
        caption=caption,
        summary=ipa_summary(table),
        data=data,
        slug="tarkeys-ja-toteutuminen",
        numeric=("Tärkeys", "Toteutuminen", "Ero", "n"),
        n=n,
        date=date,
        decimals={"Tärkeys": DECIMALS, "Toteutuminen": DECIMALS, "Ero": DECIMALS, "n": 0},
    )


def priorities_block(
    table: pd.DataFrame, *, threshold: int, top: int, n: int, date: str | None
) -> TableBlock:
    """The ranked item table with the priorities marked (or no ranks when unrankable)."""
    frame = item_rows(table)
    shown = pd.DataFrame(
        {
            "Sija": frame["Sija"],
            "Asia": frame["Asia"],
            "Kehittämisen painopiste": [
                "painopiste" if p == "kyllä" else "" for p in frame["Kehittämisen painopiste"]
            ],
            "Tärkeys": [_shown_cell(v) for v in frame["Tärkeys"]],
            "Toteutuminen": [_shown_cell(v) for v in frame["Toteutuminen"]],
            "Ero (95 %:n luottamusväli)": [
                "–"
                if r.suppressed
                else f"{fi_number(f.Ero, DECIMALS)} "
                f"({fi_interval(r.gap_low, r.gap_high, DECIMALS)})"
                for r, f in zip(table.itertuples(), frame.itertuples(), strict=True)
            ],
            "n": [
                HIDDEN_MARKER if r.suppressed else fi_number(r.gap_n) for r in table.itertuples()
            ],
        }
    )
    if table.attrs.get("rankable"):
        caption = (
            "Kehittämisen painopisteet: tärkeyden ja toteutumisen ero samoilta vastaajilta, "
            "suurin ensin. Sija 2–4 tarkoittaa, ettei järjestystä voi erottaa sattumasta; "
            "painopisteitä ovat asiat, joiden ero on varmasti positiivinen ja jotka ovat "
            f"varmasti {top} suurimman joukossa."
        )
    else:
        caption = (
            "Vastaajia on niin vähän, ettei asioita voi luotettavasti asettaa järjestykseen: "
            "painopisteitä ei nimetä. Taulukossa keskiarvot samoilta vastaajilta."
        )
        # Ranks such as "1–13" say nothing: leave them and the priority column out.
        unranked = ["Sija", "Kehittämisen painopiste"]
        shown = shown.drop(columns=unranked)
        frame = frame.drop(columns=unranked)
    if table["suppressed"].any():
        caption += (
            " Piilotettu: vastaajia on alle "
            + str(threshold)
            + (" tai luvusta voisi päätellä pienemmän ryhmän vastauksia.")
        )
    return TableBlock(
        frame,
        caption=caption,
        slug="painopisteet",
        numeric=("Tärkeys", "Toteutuminen", "Ero", "Ero alaraja", "Ero yläraja", "n"),
        row_ids=[f"asia-{item}" for item in table["item"]],
        n=n,
        date=date,
        shown=shown,
    )


@dataclass
class SurveyScope:
    data: PageData
    subregion: str | None = None
    org_type: str | None = None
    municipality: str | None = None  # 3-digit code (municipality cards)

    @cached_property
    def round(self) -> SurveyRound:
        return self.data.survey_round()

    @property
    def questionnaire(self):
        return self.data.questionnaire

    @property
    def threshold(self) -> int:
        return self.data.threshold

    @property
    def rounds(self) -> list[str]:
        return self.data.survey_rounds

    @cached_property
    def scope(self) -> Scope:
        if self.subregion:
            return Scope("subregion", self.subregion)
        if self.org_type:
            return Scope("org_type", self.org_type)
        if self.municipality:
            return Scope("municipality_code", self.municipality)
        return Scope()

    @property
    def dimension(self) -> tuple[str, str] | None:
        if self.scope.dimension is None:
            return None
        return self.scope.dimension, str(self.scope.member)

    @property
    def frame(self) -> pd.DataFrame:
        """This scope's respondents of the latest round."""
        return self.round.scope_frame(self.scope)

    @property
    def title(self) -> str:
        region = self.data.region
        if self.subregion:
            names = dict(
                zip(
                    region.subregions["subregion_code"], region.subregions["subregion"], strict=True
                )
            )
            return names.get(self.subregion, self.subregion)
        if self.org_type:
            return self.questionnaire.option_label("org_type", self.org_type)
        if self.municipality:
            towns = region.municipalities
            return dict(zip(towns["code"], towns["name"], strict=True)).get(
                self.municipality, self.municipality
            )
        return region.name

    @property
    def n(self) -> int:
        return self.round.n(self.scope)

    @property
    def hidden_reason(self) -> str | None:
        """``small``, ``protects`` or None (see :mod:`tilannekuva.analysis.scopes`)."""
        return self.round.hidden_reason(self.scope)

    @property
    def hidden_scope(self) -> bool:
        return self.hidden_reason is not None

    @property
    def too_few(self) -> bool:
        return self.hidden_scope

    def why_hidden(self) -> str:
        """The true reason, in Finnish, why this scope's results are not shown."""
        if self.hidden_reason == "small":
            return (
                f"{self.title}: kyselyyn vastanneita on alle {self.threshold}, joten tuloksia "
                "ei näytetä (tietosuoja)."
            )
        return (
            f"{self.title}: tuloksia ei näytetä, jotta pienemmän ryhmän vastauksia ei voisi "
            "päätellä tämän ja muiden sivujen luvuista (tietosuoja)."
        )

    def _hidden(self) -> Hidden:
        # The headline says it once; the sections stay empty and their headings are dropped.
        return Hidden(self.why_hidden(), quiet=True)

    @property
    def items(self) -> pd.DataFrame:
        """The item table (``analysis.ipa.item_summary`` columns plus ``priority``)."""
        return self.round.items(self.scope)

    def data_date(self) -> str | None:
        return self.data.data_date("survey")

    # --- what the page shows ---

    def headline(self) -> HTML:
        if self.hidden_scope:
            return HTML(f'<p class="tk-hidden"><b>{self.why_hidden()}</b></p>')
        return HTML(
            f"<p>Vastaajia: <b>{fi_number(self.n)}</b> (kierros {self.rounds[-1]}). "
            f"Luvut, joiden taustalla on alle {self.threshold} vastausta, on piilotettu, samoin "
            "luvut, joista pienemmän ryhmän vastaukset voisi päätellä.</p>"
        )

    def item_table(self) -> pd.DataFrame:
        """The items as the page and its downloads show them (see :func:`item_rows`)."""
        return item_rows(self.items)

    def ipa_figure(self) -> FigureBlock | Hidden:
        if self.hidden_scope:
            return self._hidden()
        table = self.items
        if table["suppressed"].all():
            return Hidden(
                f"Yhdenkään asian lukuja ei voi näyttää: vastauksia on alle {self.threshold}."
            )
        return ipa_block(
            table,
            title=f"Tärkeys ja toteutuminen: {self.title}",
            caption=f"Yhteistyöasioiden tärkeys ja toteutuminen: {self.title} "
            "(keskiarvot asteikolla 1–5 samoilta vastaajilta)",
            n=self.n,
            date=self.data_date(),
            source="kysely",
        )

    def priorities(self) -> TableBlock | Hidden:
        if self.hidden_scope:
            return self._hidden()
        return priorities_block(
            self.items, threshold=self.threshold, top=self.round.top, n=self.n,
            date=self.data_date(),
        )  # fmt: skip

    def goal_table(self) -> pd.DataFrame:
        """The goals' answer distribution as the page and its downloads show it.

        Columns: Tavoite, Vastaus (scale point with its label, or "en osaa sanoa"),
        Vastauksia (count), Osuus (%) (share of those who answered on the scale),
        n (answered on the scale). A hidden goal has the marker ``piilotettu``.
        """
        dist = self.round.goal_distribution(self.scope)
        rows = []
        for r in dist.itertuples():
            if r.suppressed:
                rows.append((r.label, r.point_label) + (HIDDEN_MARKER,) * 3)
                continue
            share = None if pd.isna(r.share) else shown_value(100 * float(r.share), 1)
            rows.append((r.label, r.point_label, int(r.count), share, int(r.n)))
        return pd.DataFrame(rows, columns=["Tavoite", "Vastaus", "Vastauksia", "Osuus (%)", "n"])

    def goals_figure(self) -> FigureBlock | Hidden:
        if self.hidden_scope:
            return self._hidden()
        dist = self.round.goal_distribution(self.scope)
        if dist["suppressed"].all():
            return Hidden(
                f"Tavoitteiden lukuja ei voi näyttää: vastauksia on alle {self.threshold}."
            )
        scale = self.questionnaire.scales[self.questionnaire.question("goals").scale or "state"]
        plotted = dist.assign(share=dist["share"].astype(float))
        fig = diverging_goal_bars(
            plotted, scale, f"Tavoitteiden eteneminen: {self.title}", threshold=self.threshold
        )
        fig = source_note(fig, self.n, self.data_date(), "kysely")
        return FigureBlock(
            fig,
            caption=f"Vaikuttamistyön tavoitteiden eteneminen vastaajien arvioimana: {self.title}",
            summary=self._goals_summary(),
            data=self.goal_table(),
            slug="tavoitteet",
            numeric=("Vastauksia", "Osuus (%)", "n"),
            n=self.n,
            date=self.data_date(),
            decimals={"Vastauksia": 0, "Osuus (%)": 1, "n": 0},
        )

    def _goals_summary(self) -> str:
        means = self.round.goal_means(self.scope)
        shown = means[~means["suppressed"]]
        parts = [f"{r.label} {fi_number(float(r.mean), DECIMALS)}" for r in shown.itertuples()]
        text = (
            "Tavoitteiden arvioiden keskiarvot asteikolla 1–5: " + "; ".join(parts) + "."
            if parts
            else ""
        )
        hidden = int(means["suppressed"].sum())
        text += _hidden_note(hidden, "tavoitteen")
        return text.strip()

    def group_differences(self, by: str) -> WithHeading | HTML | Hidden:
        """Items where the groups of ``by`` differ more than chance (region page only)."""
        if self.dimension is not None:
            return Hidden("Ryhmien väliset erot näytetään koko alueen sivulla.", quiet=True)
        from tilannekuva.analysis import groups

        grouping = GROUPINGS.get(by, by)
        columns = [c.column for c in self.questionnaire.scale_columns]
        tests = groups.group_tests(self.frame, by, columns, min_n=self.threshold)
        labels = {
            c.column: f"{c.row.display} ({'tärkeys' if c.question == 'importance' else 'toteutuminen' if c.question == 'state' else 'tavoite'})"
            for c in self.questionnaire.scale_columns
        }
        rows, download = [], []
        for test in tests[tests["differs"]].itertuples():
            means = self.round.group_means(by, test.column)
            present = [r for r in means.itertuples() if r.suppressed or r.n]
            shown = ", ".join(
                f"{self._group_label(by, r.group)} "
                f"{'–' if r.suppressed else fi_number(r.mean, DECIMALS)}"
                for r in present
            )
            rows.append((labels[test.column], shown, fi_p_value(test.p_adjusted)))
            download += [
                (
                    labels[test.column],
                    self._group_label(by, r.group),
                    HIDDEN_MARKER if r.suppressed else shown_value(r.mean, DECIMALS),
                    HIDDEN_MARKER if r.suppressed else int(r.n),
                    shown_value(test.p_adjusted, 3),
                )
                for r in present
            ]
        heading = f'<h3 id="erot-{by}">{grouping}</h3>'
        if not rows:
            return HTML(
                f"{heading}<p>{grouping}: ryhmien välillä ei ole sattumaa suurempia eroja "
                "(Kruskal–Wallis, Holmin korjaus, 5 %).</p>"
            )
        table = TableBlock(
            pd.DataFrame(download, columns=["Kysymys", "Ryhmä", "Keskiarvo", "n", "p (korjattu)"]),
            caption=f"{grouping}: erot, jotka ovat sattumaa suurempia (Kruskal–Wallis, "
            "Holmin korjaus, 5 %). Piilotetun ryhmän keskiarvo on –.",
            slug=f"erot-{by.replace('_', '-')}",
            numeric=("Keskiarvo", "n", "p (korjattu)"),
            n=self.n,
            date=self.data_date(),
            shown=pd.DataFrame(rows, columns=["Kysymys", "Ryhmien keskiarvot", "p (korjattu)"]),
        )
        return WithHeading(heading, table)

    def _group_label(self, by: str, value: str) -> str:
        if by == "subregion":
            subregions = self.data.region.subregions
            names = dict(zip(subregions["subregion_code"], subregions["subregion"], strict=True))
            return names.get(value, value)
        return self.questionnaire.option_label(by, value)

    def round_changes(self) -> TableBlock | HTML | Hidden:
        if self.hidden_scope:
            return self._hidden()
        if len(self.rounds) < 2:
            return HTML(
                f"<p>Aineistossa on yksi kyselykierros ({self.rounds[-1]}); muutosta edelliseen "
                "ei voi vielä laskea.</p>"
            )
        previous = self.data.survey_round(self.rounds[-2])
        if previous.hidden_reason(self.scope) is not None:
            return HTML(
                f"<p>Edellisellä kierroksella ({self.rounds[-2]}) tämän ryhmän vastauksia ei "
                "näytetä (tietosuoja), joten muutosta ei voi esittää.</p>"
            )
        survey = pd.concat([previous.scope_frame(self.scope), self.frame])
        columns = [
            c.column
            for c in self.questionnaire.scale_columns
            if not self.round.hides(self.scope, f"answers:{c.column}")
            and not previous.hides(self.scope, f"answers:{c.column}")
        ]
        change = rounds.round_change(survey, columns)
        labels = {c.column: c.row.display for c in self.questionnaire.scale_columns}
        rows, download = [], []
        for r in change.itertuples():
            difference = shown_difference(r.mean_current, r.mean_previous, DECIMALS)
            rows.append(
                (
                    labels[r.column],
                    fi_number(r.mean_previous, DECIMALS),
                    fi_number(r.mean_current, DECIMALS),
                    f"{fi_number(difference, DECIMALS)} ({fi_interval(r.low, r.high, DECIMALS)})",
                    "kyllä" if r.changed else "ei",
                )
            )
            download.append(
                (
                    labels[r.column],
                    shown_value(r.mean_previous, DECIMALS),
                    shown_value(r.mean_current, DECIMALS),
                    difference,
                    shown_value(r.low, DECIMALS),
                    shown_value(r.high, DECIMALS),
                    "kyllä" if r.changed else "ei",
                )
            )
        shown = pd.DataFrame(
            rows,
            columns=[
                "Kysymys",
                "Edellinen",
                "Nyt",
                "Muutos (95 %:n luottamusväli)",
                "Sattumaa suurempi",
            ],
        )
        frame = pd.DataFrame(
            download,
            columns=[
                "Kysymys",
                "Edellinen",
                "Nyt",
                "Muutos",
                "Muutos alaraja",
                "Muutos yläraja",
                "Sattumaa suurempi",
            ],
        )
        return TableBlock(
            frame,
            caption=f"Muutos kierroksesta {self.rounds[-2]} kierrokseen {self.rounds[-1]}",
            slug="muutos-kierroksittain",
            numeric=("Edellinen", "Nyt", "Muutos", "Muutos alaraja", "Muutos yläraja"),
            n=self.n,
            date=self.data_date(),
            shown=shown,
        )


def load_scope(
    data_dir: str, subregion: str | None = None, org_type: str | None = None
) -> SurveyScope:
    return SurveyScope(PageData(data_dir), subregion, org_type)
