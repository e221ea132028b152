"""Järjestökenttä (10_jarjestokentta): the field of associations in the region or one municipality.

Register counts are public facts and are not suppressed (privacy.md). When the
processed table holds both a register extract and YTJ rows, the extract is the
picture of the field (it covers every registered association); YTJ rows alone
are shown as "associations with a business ID", never as the whole field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from tilannekuva.charts import PALETTE, source_note
from tilannekuva.charts.maps import municipality_map
from tilannekuva.formats import fi_number, fi_percent
from tilannekuva.pages.common import PageData, html_table
from tilannekuva.region import current, municipalities, subregions
from tilannekuva.registry import aggregates

MAX_BARS = 40  # more municipalities than this: a sub-region's bars, not the whole region's

SOURCE_LABELS = {
    "registry-extract": "yhdistysrekisteri",
    "ytj": "YTJ (yhdistykset, joilla on Y-tunnus)",
}


def field_view(associations: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The rows that picture the field, and the name of their source for chart notes."""
    sources = set(associations["source"].dropna().unique())
    for source in ("registry-extract", "ytj"):
        if source in sources:
            return associations[associations["source"] == source], SOURCE_LABELS[source]
    chosen = sorted(sources)[0] if sources else "registry-extract"
    return associations[associations["source"] == chosen], chosen


@dataclass
class FieldScope:
    data: PageData
    municipality: str | None = None

    @cached_property
    def _view(self) -> tuple[pd.DataFrame, str]:
        return self.data.shared(("field-view",), lambda: field_view(self.data.associations))

    @property
    def associations(self) -> pd.DataFrame:
        return self._view[0]

    @property
    def source_label(self) -> str:
        return self._view[1]

    @property
    def only_business_ids(self) -> bool:
        return self.source_label == SOURCE_LABELS["ytj"]

    @cached_property
    def name(self) -> str:
        if self.municipality is None:
            return current().name
        towns = municipalities().set_index("code")["name"]
        if self.municipality not in towns.index:
            raise ValueError(f"municipality code '{self.municipality}' is not in {current().name}")
        return str(towns[self.municipality])

    @cached_property
    def per_inhabitants(self) -> pd.DataFrame:
        from tilannekuva.sources.population import latest_population

        # The same table on every field page and card: computed once per kernel.
        return self.data.shared(
            ("per-inhabitants",),
            lambda: aggregates.per_inhabitants(
                self.associations, latest_population(self.data.layout)
            ),
        )

    @cached_property
    def by_field(self) -> pd.DataFrame:
        """Active associations per municipality × field (every page's source of shares)."""
        return self.data.shared(
            ("by-municipality-field",), lambda: aggregates.by_municipality_field(self.associations)
        )

    def shares(self, municipality_code: str | None = None) -> pd.DataFrame:
        return aggregates.shares_from(self.by_field, municipality_code)

    def _row(self, code: str) -> pd.Series:
        table = self.per_inhabitants
        return table[table["municipality_code"] == code].iloc[0]

    @property
    def own(self) -> pd.Series:
        return self._row(self.municipality or current().code)

    @property
    def region(self) -> pd.Series:
        return self._row(current().code)

    def date(self) -> str | None:
        return self.data.data_date("associations")

    # --- what the page shows ---

    def intro(self) -> HTML:
        own = self.own
        text = (
            f"<p><b>{self.name}</b>: {fi_number(own['n'])} rekisteröityä yhdistystä, "
            f"{fi_number(own['per_1000'], 1)} yhdistystä tuhatta asukasta kohden "
            f"(väkiluku {fi_number(own['population'])}, vuosi {own['population_year']})."
        )
        if self.municipality:
            text += (
                f" Koko {current().name_inessive} luku on {fi_number(self.region['per_1000'], 1)} "
                "tuhatta asukasta kohden."
            )
        text += "</p>"
        if self.only_business_ids:
            text += (
                "<p><i>Luvut perustuvat YTJ:n avoimeen dataan: mukana ovat vain yhdistykset, "
                "joilla on Y-tunnus, eivät kaikki rekisteröidyt yhdistykset.</i></p>"
            )
        return HTML(text)

    def field_figure(self) -> go.Figure:
        """Associations by field; a municipality's shares beside the region's."""
        labels = aggregates.field_labels()
        region = self.shares()
        fig = go.Figure()
        if self.municipality:
            own = self.shares(self.municipality)
            for table, name, colour in (
                (own, self.name, PALETTE[0]),
                (region, current().name, PALETTE[1]),
            ):
                fig.add_trace(
                    go.Bar(
                        y=[labels[f] for f in table["field"]],
                        x=table["share"] * 100,
                        name=name,
                        orientation="h",
                        marker_color=colour,
                        text=[
                            f"{fi_percent(s)} ({fi_number(n)})"
                            for s, n in zip(table["share"], table["n"], strict=True)
                        ],
                        textposition="outside",
                        hovertemplate="%{y}: %{text}<extra>" + name + "</extra>",
                    )
                )
            top = max(own["share"].max(), region["share"].max()) * 100
            fig.update_layout(
                barmode="group",
                xaxis={"title": "osuus yhdistyksistä, %", "range": [0, top * 1.35]},
            )
            n = int(own["n"].sum())
        else:
            fig.add_trace(
                go.Bar(
                    y=[labels[f] for f in region["field"]],
                    x=region["n"],
                    orientation="h",
                    marker_color=PALETTE[0],
                    text=[
                        f"{fi_number(n)} ({fi_percent(s)})"
                        for n, s in zip(region["n"], region["share"], strict=True)
                    ],
                    textposition="outside",
                    hovertemplate="%{y}: %{text}<extra></extra>",
                )
            )
            fig.update_layout(xaxis={"title": "yhdistyksiä", "range": [0, region["n"].max() * 1.3]})
            n = int(region["n"].sum())
        fig.update_layout(
            title=f"Yhdistykset toimialoittain: {self.name}",
            height=460,
            yaxis={"autorange": "reversed"},
            margin={"l": 210},
        )
        return source_note(fig, n, self.date(), self.source_label)

    def per_1000_figure(self) -> go.Figure:
        """Associations per 1 000 inhabitants in every municipality, this one highlighted.

        A region of more than MAX_BARS municipalities (a national site) shows,
        on a municipality's page, the municipalities of its sub-region, and on
        the region's page the sub-regions: 300 bars would be unreadable.
        """
        table = self.per_inhabitants
        towns = table[table["municipality_code"] != current().code]
        title = "Yhdistyksiä tuhatta asukasta kohden"
        if len(towns) > MAX_BARS:
            names = dict(
                zip(subregions()["subregion_code"], subregions()["subregion"], strict=True)
            )
            if self.municipality:
                own = towns.loc[towns["municipality_code"] == self.municipality, "subregion"]
                towns = towns[towns["subregion"] == own.iloc[0]]
                title += f": {names.get(own.iloc[0], own.iloc[0])}"
            else:
                towns = towns.groupby("subregion", as_index=False)[["n", "population"]].sum()
                towns["municipality_code"] = towns["subregion"]
                towns["municipality"] = towns["subregion"].map(names)
                towns["per_1000"] = towns["n"] / towns["population"] * 1000
                title += " seutukunnittain"
        towns = towns.sort_values("per_1000")
        colours = [
            PALETTE[5] if code == self.municipality else PALETTE[0]
            for code in towns["municipality_code"]
        ]
        fig = go.Figure(
            go.Bar(
                x=towns["per_1000"],
                y=towns["municipality"],
                orientation="h",
                marker_color=colours,
                text=[fi_number(v, 1) for v in towns["per_1000"]],
                textposition="outside",
                customdata=towns[["n", "population"]],
                hovertemplate="%{y}: %{text} / 1 000 asukasta (%{customdata[0]} yhdistystä)"
                "<extra></extra>",
            )
        )
        fig.add_vline(
            x=float(self.region["per_1000"]),
            line_dash="dash",
            line_color="#555555",
            annotation_text=f"{current().name} {fi_number(self.region['per_1000'], 1)}",
            annotation_position="top",
        )
        fig.update_layout(
            title=title,
            height=min(640, 40 * len(towns) + 200) if len(towns) <= 30 else 18 * len(towns) + 100,
            xaxis={
                "title": "yhdistyksiä / 1 000 asukasta",
                "range": [0, max(towns["per_1000"].max(), self.region["per_1000"]) * 1.15],
            },
            margin={"l": 110},
        )
        note = f"{self.source_label}; väestö vuodelta {self.region['population_year']}"
        return source_note(fig, int(self.region["n"]), self.date(), note)

    def map_figure(self) -> go.Figure:
        from tilannekuva.sources.geo import municipality_geometry

        table = self.per_inhabitants
        values = table[table["municipality_code"] != current().code].rename(
            columns={"per_1000": "value"}
        )
        title, only = "Yhdistyksiä tuhatta asukasta kohden kunnittain", None
        if self.municipality and len(values) > MAX_BARS:
            # A large region: the municipality among its sub-region, not a whole
            # country's boundaries on each of 300 pages.
            own = values.loc[values["municipality_code"] == self.municipality, "subregion"]
            only = values.loc[values["subregion"] == own.iloc[0], "municipality_code"].tolist()
            names = dict(
                zip(subregions()["subregion_code"], subregions()["subregion"], strict=True)
            )
            title += f": {names.get(own.iloc[0], own.iloc[0])}"
        fig = municipality_map(
            values,
            title,
            value_label="/ 1 000 as.",
            decimals=1,
            geometry=self.data.shared(
                ("geometry",), lambda: municipality_geometry(self.data.layout)
            ),
            highlight=self.municipality,
            only=only,
        )
        return source_note(fig, int(self.region["n"]), self.date(), self.source_label)

    def per_year_figure(self) -> go.Figure:
        table = aggregates.registered_per_year(self.associations, self.municipality)
        table = table[table["year"] >= table["year"].max() - 29] if len(table) else table
        fig = go.Figure(
            [
                go.Bar(
                    x=table["year"],
                    y=table["registered"],
                    name="rekisteröity",
                    marker_color=PALETTE[0],
                    hovertemplate="%{x}: %{y} rekisteröity<extra></extra>",
                ),
                go.Bar(
                    x=table["year"],
                    y=-table["ended"],
                    name="lakannut",
                    marker_color=PALETTE[5],
                    customdata=table["ended"],
                    hovertemplate="%{x}: %{customdata} lakannut<extra></extra>",
                ),
            ]
        )
        fig.update_layout(
            title=f"Rekisteröidyt ja lakanneet yhdistykset vuosittain: {self.name}",
            barmode="relative",
            height=420,
            yaxis_title="yhdistyksiä",
            xaxis_title=None,
        )
        n = int(table["registered"].sum() + table["ended"].sum())
        return source_note(fig, n, self.date(), self.source_label)

    def comparison(self) -> HTML:
        """The municipality against the region (for the region: the sub-regions)."""
        labels = aggregates.field_labels()
        region_shares = self.shares().set_index("field")
        if self.municipality is None:
            table = self.per_inhabitants
            towns = table[table["municipality_code"] != current().code]
            grouped = towns.groupby("subregion", as_index=False)[["n", "population"]].sum()
            names = dict(
                zip(subregions()["subregion_code"], subregions()["subregion"], strict=True)
            )
            rows = [
                (
                    names.get(r.subregion, r.subregion),
                    fi_number(r.n),
                    fi_number(r.population),
                    fi_number(r.n / r.population * 1000, 1),
                )
                for r in grouped.itertuples()
            ]
            rows.append(
                (
                    current().name,
                    fi_number(self.region["n"]),
                    fi_number(self.region["population"]),
                    fi_number(self.region["per_1000"], 1),
                )
            )
            frame = pd.DataFrame(
                rows, columns=["Seutukunta", "Yhdistyksiä", "Asukkaita", "Yhdistyksiä / 1 000 as."]
            )
            return html_table(frame, numeric=tuple(frame.columns[1:]))
        own = self.shares(self.municipality).set_index("field")
        rows = [
            (
                "Yhdistyksiä",
                fi_number(self.own["n"]),
                fi_number(self.region["n"]),
            ),
            (
                "Yhdistyksiä / 1 000 asukasta",
                fi_number(self.own["per_1000"], 1),
                fi_number(self.region["per_1000"], 1),
            ),
        ]
        rows += [
            (
                f"Osuus: {labels[f]}",
                fi_percent(own.loc[f, "share"]),
                fi_percent(region_shares.loc[f, "share"]),
            )
            for f in aggregates.FIELDS
        ]
        frame = pd.DataFrame(rows, columns=["Tunnusluku", self.name, current().name])
        return html_table(frame, numeric=(self.name, current().name))
