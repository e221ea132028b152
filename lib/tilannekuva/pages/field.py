"""Järjestökenttä (10_jarjestokentta): the field of associations in the region or one municipality.

Register counts are public facts and are not suppressed (privacy.md). When the
processed table holds both a register extract and YTJ rows, the extract is the
picture of the field (it covers every registered association); YTJ rows alone
are shown as "associations with a business ID", never as the whole field.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from tilannekuva.charts import PALETTE, source_note
from tilannekuva.charts.maps import municipality_map
from tilannekuva.formats import fi_number, fi_percent
from tilannekuva.pages.common import PageData
from tilannekuva.pages.present import FigureBlock, TableBlock
from tilannekuva.registry import aggregates
from tilannekuva.registry.view import SOURCE_LABELS, field_view

MAX_BARS = 40  # more municipalities than this: a sub-region's bars, not the whole region's


@dataclass
class ComparisonWithPicker:
    """The side-by-side table followed by the second-municipality picker."""

    table: TableBlock
    picker: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.table._repr_mimebundle_()
        return {**bundle, "text/html": bundle["text/html"] + self.picker}


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
            return self.data.region.name
        towns = self.data.region.municipalities.set_index("code")["name"]
        if self.municipality not in towns.index:
            raise ValueError(
                f"municipality code '{self.municipality}' is not in {self.data.region.name}"
            )
        return str(towns[self.municipality])

    @cached_property
    def per_inhabitants(self) -> pd.DataFrame:
        from tilannekuva.sources.population import latest_population

        # The same table on every field page and card: computed once per kernel.
        return self.data.shared(
            ("per-inhabitants",),
            lambda: aggregates.per_inhabitants(
                self.associations, latest_population(self.data.layout), region=self.data.region
            ),
        )

    @cached_property
    def by_field(self) -> pd.DataFrame:
        """Active associations per municipality × field (every page's source of shares)."""
        return self.data.shared(
            ("by-municipality-field",),
            lambda: aggregates.by_municipality_field(self.associations, region=self.data.region),
        )

    def shares(self, municipality_code: str | None = None) -> pd.DataFrame:
        return aggregates.shares_from(self.by_field, municipality_code)

    def _row(self, code: str) -> pd.Series:
        table = self.per_inhabitants
        return table[table["municipality_code"] == code].iloc[0]

    @property
    def own(self) -> pd.Series:
        return self._row(self.municipality or self.data.region.code)

    @property
    def region(self) -> pd.Series:
        return self._row(self.data.region.code)

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
                f" Koko {self.data.region.name_inessive} luku on {fi_number(self.region['per_1000'], 1)} "
                "tuhatta asukasta kohden."
            )
        text += "</p>"
        if self.only_business_ids:
            text += (
                "<p><i>Luvut perustuvat YTJ:n avoimeen dataan: mukana ovat vain yhdistykset, "
                "joilla on Y-tunnus, eivät kaikki rekisteröidyt yhdistykset.</i></p>"
            )
        return HTML(text)

    def field_figure(self) -> FigureBlock:
        """Associations by field; a municipality's shares beside the region's."""
        labels = aggregates.field_labels()
        region = self.shares()
        fig = go.Figure()
        if self.municipality:
            own = self.shares(self.municipality)
            for table, name, colour in (
                (own, self.name, PALETTE[0]),
                (region, self.data.region.name, PALETTE[1]),
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
                        cliponaxis=False,  # a label past the last gridline is drawn whole
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
                    cliponaxis=False,  # a label past the last gridline is drawn whole
                    hovertemplate="%{y}: %{text}<extra></extra>",
                )
            )
            fig.update_layout(xaxis={"title": "yhdistyksiä", "range": [0, region["n"].max() * 1.3]})
            n = int(region["n"].sum())
        fig.update_layout(
            title=f"Yhdistykset toimialoittain: {self.name}",
            height=460,
            # automargin: room for the longest field name, no more (a phone keeps its bars).
            yaxis={"autorange": "reversed", "automargin": True},
            margin={"l": 10},
        )
        fig = source_note(fig, n, self.date(), self.source_label)
        data = pd.DataFrame({"Toimiala": [labels[f] for f in region["field"]]})
        if self.municipality:
            own_by_field = own.set_index("field")
            data[f"{self.name}: yhdistyksiä"] = [
                int(own_by_field.loc[f, "n"]) for f in region["field"]
            ]
            data[f"{self.name}: osuus, %"] = [
                round(float(own_by_field.loc[f, "share"]) * 100, 1) for f in region["field"]
            ]
        data[f"{self.data.region.name}: yhdistyksiä"] = [int(v) for v in region["n"]]
        data[f"{self.data.region.name}: osuus, %"] = [
            round(float(v) * 100, 1) for v in region["share"]
        ]
        largest = data.iloc[int(data[data.columns[1]].to_numpy().argmax())]
        summary = (
            f"Suurin toimiala {self.name if self.municipality else self.data.region.name_inessive}: "
            f"{largest['Toimiala']} ({fi_number(largest[data.columns[1]])} yhdistystä)."
        )
        return FigureBlock(
            fig,
            f"Yhdistykset toimialoittain: {self.name}",
            summary,
            data,
            "toimialat",
            numeric=tuple(data.columns[1:]),
            n=n,
            date=self.date(),
        )

    def per_1000_figure(self) -> FigureBlock:
        """Associations per 1 000 inhabitants in every municipality, this one highlighted.

        A region of more than MAX_BARS municipalities (a national site) shows,
        on a municipality's page, the municipalities of its sub-region, and on
        the region's page the sub-regions: 300 bars would be unreadable.
        """
        table = self.per_inhabitants
        towns = table[table["municipality_code"] != self.data.region.code]
        title = "Yhdistyksiä tuhatta asukasta kohden"
        if len(towns) > MAX_BARS:
            names = dict(
                zip(
                    self.data.region.subregions["subregion_code"],
                    self.data.region.subregions["subregion"],
                    strict=True,
                )
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
                cliponaxis=False,  # a label past the last gridline is drawn whole
                customdata=towns[["n", "population"]],
                hovertemplate="%{y}: %{text} / 1 000 asukasta (%{customdata[0]} yhdistystä)"
                "<extra></extra>",
            )
        )
        fig.add_vline(
            x=float(self.region["per_1000"]),
            line_dash="dash",
            line_color="#555555",
            annotation_text=f"{self.data.region.name} {fi_number(self.region['per_1000'], 1)}",
            annotation_position="top",
        )
        fig.update_layout(
            title=title,
            height=min(640, 40 * len(towns) + 200) if len(towns) <= 30 else 18 * len(towns) + 100,
            xaxis={
                "title": "yhdistyksiä / 1 000 asukasta",
                "range": [0, max(towns["per_1000"].max(), self.region["per_1000"]) * 1.15],
            },
            margin={"l": 10},
            yaxis_automargin=True,
        )
        note = f"{self.source_label}; väestö vuodelta {self.region['population_year']}"
        fig = source_note(fig, int(self.region["n"]), self.date(), note)
        data = self._per_1000_table(towns)
        top = towns.iloc[-1]
        summary = (
            f"Eniten yhdistyksiä asukaslukuun nähden: {top['municipality']} "
            f"({fi_number(top['per_1000'], 1)} / 1 000 asukasta); "
            f"{self.data.region.name} keskimäärin {fi_number(self.region['per_1000'], 1)}."
        )
        if self.municipality:
            summary += f" {self.name}: {fi_number(self.own['per_1000'], 1)}."
        return FigureBlock(
            fig,
            title,
            summary,
            data,
            "per-1000-asukasta",
            numeric=tuple(data.columns[1:]),
            n=int(self.region["n"]),
            date=self.date(),
        )

    def _per_1000_table(self, towns: pd.DataFrame) -> pd.DataFrame:
        rows = towns.sort_values("per_1000", ascending=False)
        return pd.DataFrame(
            {
                "Alue": [*rows["municipality"], self.data.region.name],
                "Yhdistyksiä": [int(v) for v in rows["n"]] + [int(self.region["n"])],
                "Asukkaita": [int(v) for v in rows["population"]]
                + [int(self.region["population"])],
                "Yhdistyksiä / 1 000 asukasta": [round(float(v), 1) for v in rows["per_1000"]]
                + [round(float(self.region["per_1000"]), 1)],
            }
        )

    def map_figure(self) -> FigureBlock:
        from tilannekuva.sources.geo import municipality_geometry

        table = self.per_inhabitants
        values = table[table["municipality_code"] != self.data.region.code].rename(
            columns={"per_1000": "value"}
        )
        title, only = "Yhdistyksiä tuhatta asukasta kohden kunnittain", None
        if self.municipality and len(values) > MAX_BARS:
            # A large region: the municipality among its sub-region, not a whole
            # country's boundaries on each of 300 pages.
            own = values.loc[values["municipality_code"] == self.municipality, "subregion"]
            only = values.loc[values["subregion"] == own.iloc[0], "municipality_code"].tolist()
            names = dict(
                zip(
                    self.data.region.subregions["subregion_code"],
                    self.data.region.subregions["subregion"],
                    strict=True,
                )
            )
            title += f": {names.get(own.iloc[0], own.iloc[0])}"
        fig = municipality_map(
            values,
            title,
            region=self.data.region,
            value_label="/ 1 000 as.",
            decimals=1,
            geometry=self.data.shared(
                ("geometry",), lambda: municipality_geometry(self.data.layout)
            ),
            highlight=self.municipality,
            only=only,
        )
        fig = source_note(fig, int(self.region["n"]), self.date(), self.source_label)
        shown = values if only is None else values[values["municipality_code"].isin(only)]
        data = self._per_1000_table(shown.rename(columns={"value": "per_1000"}))
        low, high = data.iloc[-2], data.iloc[0]  # the last row is the region
        summary = (
            f"Kartan kunnista eniten yhdistyksiä asukaslukuun nähden on kunnassa {high['Alue']} "
            f"({fi_number(high['Yhdistyksiä / 1 000 asukasta'], 1)}), vähiten kunnassa "
            f"{low['Alue']} ({fi_number(low['Yhdistyksiä / 1 000 asukasta'], 1)} / 1 000 asukasta)."
        )
        return FigureBlock(
            fig,
            title,
            summary,
            data,
            "kartta",
            numeric=tuple(data.columns[1:]),
            n=int(self.region["n"]),
            date=self.date(),
        )

    def per_year_figure(self) -> FigureBlock:
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
        fig = source_note(fig, n, self.date(), self.source_label)
        data = pd.DataFrame(
            {
                "Vuosi": [int(v) for v in table["year"]],
                "Rekisteröity": [int(v) for v in table["registered"]],
                "Lakannut": [int(v) for v in table["ended"]],
            }
        )
        if len(data):
            summary = (
                f"Vuosina {data['Vuosi'].min()}–{data['Vuosi'].max()} rekisteröitiin "
                f"{fi_number(data['Rekisteröity'].sum())} ja lakkasi "
                f"{fi_number(data['Lakannut'].sum())} yhdistystä ({self.name})."
            )
        else:
            summary = f"Ei rekisteröintejä eikä lakkaamisia ({self.name})."
        return FigureBlock(
            fig,
            f"Rekisteröidyt ja lakanneet yhdistykset vuosittain: {self.name}",
            summary,
            data,
            "vuosittain",
            numeric=("Rekisteröity", "Lakannut"),
            n=n,
            date=self.date(),
        )

    def _subregion_code(self) -> str:
        towns = self.data.region.municipalities.set_index("code")
        return str(towns.loc[self.municipality, "subregion_code"])

    def _figures(self, codes: list[str]) -> tuple[int, int, pd.Series]:
        """Associations, inhabitants and field shares of a set of municipalities."""
        table = self.per_inhabitants
        rows = table[table["municipality_code"].isin(codes)]
        n, population = int(rows["n"].sum()), int(rows["population"].sum())
        counts = self.by_field[self.by_field["municipality_code"].isin(codes)]
        by_field = counts.groupby("field")["n"].sum().reindex(list(aggregates.FIELDS), fill_value=0)
        total = int(by_field.sum())
        return n, population, by_field / total if total else by_field * 0.0

    def comparison(self) -> TableBlock | ComparisonWithPicker:
        """The municipality beside its sub-region and the region (for the region: the sub-regions),
        and on a municipality's page a picker for a second municipality."""
        labels = aggregates.field_labels()
        if self.municipality is None:
            table = self.per_inhabitants
            towns = table[table["municipality_code"] != self.data.region.code]
            grouped = towns.groupby("subregion", as_index=False)[["n", "population"]].sum()
            names = dict(
                zip(
                    self.data.region.subregions["subregion_code"],
                    self.data.region.subregions["subregion"],
                    strict=True,
                )
            )
            frame = pd.DataFrame(
                {
                    "Seutukunta": [names.get(c, c) for c in grouped["subregion"]]
                    + [self.data.region.name],
                    "Yhdistyksiä": [int(v) for v in grouped["n"]] + [int(self.region["n"])],
                    "Asukkaita": [int(v) for v in grouped["population"]]
                    + [int(self.region["population"])],
                    "Yhdistyksiä / 1 000 as.": [
                        round(n / p * 1000, 1)
                        for n, p in zip(grouped["n"], grouped["population"], strict=True)
                    ]
                    + [round(float(self.region["per_1000"]), 1)],
                }
            )
            return TableBlock(
                frame,
                f"Seutukunnat ja koko {self.data.region.name}",
                "seutukunnat",
                numeric=tuple(frame.columns[1:]),
                n=int(self.region["n"]),
                date=self.date(),
            )
        towns = self.data.region.municipalities
        sub_code = self._subregion_code()
        sub_name = str(towns.loc[towns["subregion_code"] == sub_code, "subregion"].iloc[0])
        scopes = [
            (self.name, [self.municipality]),
            (sub_name, list(towns.loc[towns["subregion_code"] == sub_code, "code"])),
            (self.data.region.name, list(towns["code"])),
        ]
        frame = pd.DataFrame(
            {
                "Tunnusluku": ["Yhdistyksiä", "Asukkaita", "Yhdistyksiä / 1 000 asukasta"]
                + [f"Osuus: {labels[f]}, %" for f in aggregates.FIELDS]
            }
        )
        for name, codes in scopes:
            n, population, shares = self._figures(codes)
            per_1000 = round(n / population * 1000, 1) if population else None
            frame[name] = [n, population, per_1000, *(round(float(v) * 100, 1) for v in shares)]
        block = TableBlock(
            frame,
            f"{self.name}, {sub_name} ja koko {self.data.region.name} rinnakkain",
            "vertailu",
            numeric=tuple(frame.columns[1:]),
            n=None,  # each column has its own n: the row "Yhdistyksiä"
            date=self.date(),
        )
        return ComparisonWithPicker(block, self.picker_html(list(frame["Tunnusluku"])))

    def picker_html(self, row_labels: list[str]) -> str:
        """A static picker: choose another municipality, see its figures beside this one's.

        Every municipality's figures travel in the page (a few numbers each), so it
        works from the file system without a server.
        """
        table = self.per_inhabitants.set_index("municipality_code")
        counts = (
            self.by_field.pivot_table(
                index="municipality_code", columns="field", values="n", aggfunc="sum"
            )
            .reindex(columns=list(aggregates.FIELDS))
            .fillna(0)
        )
        shares = counts.div(counts.sum(axis=1).where(lambda v: v > 0, 1), axis=0) * 100
        towns = self.data.region.municipalities.sort_values("name")
        if len(towns) > MAX_BARS:  # a large region: the sub-region's municipalities
            towns = towns[towns["subregion_code"] == self._subregion_code()]

        def cells(code: str) -> list[str]:
            row = table.loc[code]
            return [
                fi_number(row["n"]),
                fi_number(row["population"]),
                fi_number(row["per_1000"], 1),
                *(fi_number(v, 1) for v in shares.loc[code]),
            ]

        options = "".join(
            f'<option value="{html.escape(json.dumps(cells(r.code)))}">{html.escape(r.name)}</option>'
            for r in towns.itertuples()
            if r.code != self.municipality and r.code in table.index
        )
        own = cells(self.municipality)
        rows = "".join(
            f'<tr><th scope="row">{html.escape(label)}</th><td class="num">{value}</td>'
            '<td class="num tk-compare-other">–</td></tr>'
            for label, value in zip(row_labels, own, strict=True)
        )
        return (
            '<figure class="tk-compare"><figcaption>Vertaa toiseen kuntaan</figcaption>'
            '<label for="tk-compare-select">Valitse kunta: </label>'
            f'<select id="tk-compare-select"><option value="">Valitse kunta…</option>{options}</select>'
            '<div class="tk-table-scroll" tabindex="0" role="region" aria-label="Kuntavertailu">'
            '<table class="tk-table" aria-live="polite"><thead><tr><th scope="col">Tunnusluku</th>'
            f'<th scope="col">{html.escape(self.name)}</th>'
            '<th scope="col" class="tk-compare-name">Valittu kunta</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div></figure>"
            "<script>(function () {"
            'var s = document.getElementById("tk-compare-select");'
            's.addEventListener("change", function () {'
            "var v = s.value ? JSON.parse(s.value) : null;"
            'document.querySelector(".tk-compare-name").textContent ='
            ' v ? s.options[s.selectedIndex].text : "Valittu kunta";'
            'document.querySelectorAll(".tk-compare-other").forEach(function (td, i) {'
            'td.textContent = v ? v[i] : "–"; }); }); })();</script>'
        )
