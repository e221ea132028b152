"""Kuntakortti (50_kuntakortti): one printable page per municipality.

The municipality's associations (public register counts) against the region,
and what its respondents say, only when the privacy layer lets the
municipality's answers be shown (:mod:`tilannekuva.analysis.scopes`: at least
the threshold of respondents, and not derivable from the region, the
sub-region and the other cards). When they are hidden the card says truly
why and shows no survey figure of the municipality, not even its number; when
they are too few to rank, it says so and shows the region's priorities.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from IPython.display import HTML

from tilannekuva.analysis.priorities import priorities
from tilannekuva.formats import fi_interval, fi_number, shown_difference, shown_value
from tilannekuva.pages.common import Hidden, PageData
from tilannekuva.pages.field import FieldScope
from tilannekuva.pages.present import TableBlock, WithHeading
from tilannekuva.pages.survey import ITEM_COLUMNS, SurveyScope
from tilannekuva.store import has_table


@dataclass
class MunicipalityCard:
    data: PageData
    municipality: str

    @cached_property
    def field(self) -> FieldScope:
        return FieldScope(self.data, self.municipality)

    @cached_property
    def survey(self) -> SurveyScope | None:
        if not has_table(self.data.layout, "survey"):
            return None
        return SurveyScope(self.data, municipality=self.municipality)

    @cached_property
    def region_survey(self) -> SurveyScope | None:
        return SurveyScope(self.data) if self.survey is not None else None

    @property
    def shows_survey(self) -> bool:
        return self.survey is not None and not self.survey.hidden_scope

    @cached_property
    def subregion(self) -> str:
        towns = self.data.region.municipalities.set_index("code")
        return str(towns.loc[self.municipality, "subregion"])

    def header(self) -> HTML:
        own, region = self.field.own, self.field.region
        name = self.data.region.name
        text = (
            f'<div class="tk-card"><p><b>{self.field.name}</b> ({self.subregion}) · '
            f"asukkaita {fi_number(own['population'])} ({own['population_year']}) · "
            f"rekisteröityjä yhdistyksiä {fi_number(own['n'])}, "
            f"{fi_number(own['per_1000'], 1)} tuhatta asukasta kohden "
            f"({name}: {fi_number(region['per_1000'], 1)}).</p>"
        )
        if self.survey is None:
            text += "<p>Kyselyaineistoa ei ole.</p>"
        elif self.shows_survey:
            text += (
                f"<p>Kyselyyn vastasi kunnasta {fi_number(self.survey.n)} toimijaa "
                f"(kierros {self.survey.rounds[-1]}).</p>"
            )
        else:
            text += (
                f"<p><b>{html.escape(self.survey.why_hidden())}</b> Alla olevat kyselyluvut "
                f"ovat koko {self.data.region.name_genitive}.</p>"
            )
        return HTML(text + "</div>")

    def priorities(self) -> WithHeading | HTML | Hidden:
        """The development priorities: the municipality's when they can be named, else the region's."""
        if self.survey is None:
            return HTML("<p>Kyselyaineistoa ei ole.</p>")
        region_scope = self.region_survey
        own = self.survey.items if self.shows_survey else None
        note = ""
        if own is not None and own.attrs.get("rankable"):
            scope, table = self.survey, own
        else:
            if own is not None:
                note = (
                    f"<p>Kunnan vastaajia on niin vähän, ettei asioita voi luotettavasti asettaa "
                    f"järjestykseen, joten kunnan painopisteitä ei nimetä. Alla koko "
                    f"{self.data.region.name_genitive} painopisteet.</p>"
                )
            if region_scope is None or region_scope.hidden_scope:
                return HTML(note + "<p>Kyselyn tuloksia ei näytetä.</p>")
            scope, table = region_scope, region_scope.items
        chosen = priorities(table)
        if chosen.empty:
            return HTML(
                note + f"<p>{html.escape(scope.title)}: yksikään asia ei erotu selvästi "
                "kehittämisen painopisteeksi.</p>"
            )
        compare = region_scope.items.set_index("item") if scope is self.survey else None
        rows, download = [], []
        for r in chosen.itertuples():
            gap = shown_difference(r.importance_mean, r.state_mean, 1)
            download.append(
                [
                    r.rank_label,
                    r.label,
                    shown_value(r.importance_mean, 1),
                    shown_value(r.state_mean, 1),
                    gap,
                    shown_value(r.gap_low, 1),
                    shown_value(r.gap_high, 1),
                    int(r.gap_n),
                ]
            )
            row = [
                r.rank_label,
                r.label,
                fi_number(r.importance_mean, 1),
                fi_number(r.state_mean, 1),
                f"{fi_number(gap, 1)} ({fi_interval(r.gap_low, r.gap_high, 1)})",
                fi_number(r.gap_n),
            ]
            if compare is not None:
                other = compare.loc[r.item]
                region_gap = (
                    None
                    if other["suppressed"]
                    else shown_difference(other["importance_mean"], other["state_mean"], 1)
                )
                row.append(fi_number(region_gap, 1) if region_gap is not None else "–")
                download[-1].append(region_gap if region_gap is not None else "piilotettu")
            rows.append(row)
        columns = ["Sija", "Asia", "Tärkeys", "Toteutuminen", "Ero (95 %:n luottamusväli)", "n"]
        if compare is not None:
            columns.append(f"Ero, {self.data.region.name}")
        caption = f"Kehittämisen painopisteet: {scope.title}"
        download_columns = [c for c in ITEM_COLUMNS if c != "Kehittämisen painopiste"] + (
            [f"Ero, {self.data.region.name}"] if compare is not None else []
        )
        block = TableBlock(
            pd.DataFrame(download, columns=download_columns),
            caption=caption,
            slug="painopisteet",
            numeric=tuple(c for c in download_columns if c not in ("Asia", "Sija")),
            # The municipality's own rows can be told from the region's (privacy tests).
            row_ids=[f"kunta-asia-{i}" for i in chosen["item"]] if compare is not None else None,
            n=scope.n,
            date=scope.data_date(),
            shown=pd.DataFrame(rows, columns=columns),
        )
        return WithHeading(note, block)
