"""Kuntakortti (50_kuntakortti): one printable page per municipality.

The municipality's associations (public register counts) against the region,
and what its respondents say, only when the privacy layer lets the
municipality's answers be shown: at least the threshold of respondents, and
not recoverable from the other municipalities' counts (secondary suppression
over the partition of the region's respondents by municipality, with "Koko
maakunta" answers as the unpublished remainder). When the respondents are too
few, the card shows no survey figure at all, not even their number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from IPython.display import HTML

from tilannekuva.formats import fi_number
from tilannekuva.pages.common import PageData, html_table
from tilannekuva.pages.field import FieldScope
from tilannekuva.pages.survey import SurveyScope
from tilannekuva.region import current, municipalities
from tilannekuva.store import has_table

TOP = 5


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
        towns = municipalities().set_index("code")
        return str(towns.loc[self.municipality, "subregion"])

    def header(self) -> HTML:
        own, region = self.field.own, self.field.region
        text = (
            f'<div class="tk-card"><p><b>{self.field.name}</b> ({self.subregion}) · '
            f"asukkaita {fi_number(own['population'])} ({own['population_year']}) · "
            f"rekisteröityjä yhdistyksiä {fi_number(own['n'])}, "
            f"{fi_number(own['per_1000'], 1)} tuhatta asukasta kohden "
            f"({current().name}: {fi_number(region['per_1000'], 1)}).</p>"
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
                f"<p><b>Kunnasta on kyselyssä liian vähän vastaajia (alle "
                f"{self.survey.threshold} tai niin vähän, että luvut voisi päätellä muista "
                "kunnista), joten kunnan kyselytuloksia ei näytetä (tietosuoja).</b> "
                f"Alla olevat kyselyluvut ovat koko {current().name_genitive}.</p>"
            )
        return HTML(text + "</div>")

    def priorities(self) -> HTML:
        """Top development priorities: the municipality's when shown, else the region's."""
        scope = self.survey if self.shows_survey else self.region_survey
        if scope is None or scope.too_few:
            return HTML("<p>Kyselyn tuloksia ei näytetä.</p>")
        table = scope.items[~scope.items["suppressed"]].sort_values(["rank", "item"]).head(TOP)
        region = self.region_survey.items.set_index("item") if self.shows_survey else None
        rows = []
        for r in table.itertuples():
            row = [
                r.rank_label,
                r.label,
                fi_number(r.importance_mean, 1),
                fi_number(r.state_mean, 1),
                f"{fi_number(r.gap_mean, 1)} ({fi_number(r.gap_low, 1)}–{fi_number(r.gap_high, 1)})",
                fi_number(r.gap_n),
            ]
            if region is not None:
                other = region.loc[r.item]
                row.append("–" if other["suppressed"] else fi_number(float(other["gap_mean"]), 1))
            rows.append(row)
        columns = ["Sija", "Asia", "Tärkeys", "Toteutuminen", "Ero (95 % lv)", "n"]
        if region is not None:
            columns.append(f"Ero, {current().name}")
        caption = (
            f"Kehittämisen painopisteet: {scope.title}"
            if self.shows_survey
            else f"Kehittämisen painopisteet koko {current().name_inessive}"
        )
        return html_table(
            pd.DataFrame(rows, columns=columns),
            numeric=tuple(c for c in columns if c not in ("Asia", "Sija")),
            caption=caption,
        )
