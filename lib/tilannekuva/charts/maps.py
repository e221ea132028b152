"""Maps of the region's municipalities, drawn from our own geometry only.

plotly's ``geo`` and ``mapbox`` charts load their base maps (topojson, tiles)
from the internet when the page is viewed, so they are blank offline and leak
the reader's visit. These maps are ordinary cartesian traces instead:

- with boundaries (``processed/municipalities.geojson`` from ``fetch geo``): a
  choropleth, each municipality a filled polygon coloured by its value;
- without: a point map at the municipalities' reference centre points, the
  marker's area proportional to the value.

The same call (:func:`municipality_map`) draws either. Longitude and latitude
are plotted with the y axis stretched by 1/cos(latitude), so the shapes look as
on a map at this latitude.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from tilannekuva.charts.theme import PALETTE, TEXT
from tilannekuva.formats import fi_number
from tilannekuva.region import Region

COLORSCALE = "Blues"
HIGHLIGHT = PALETTE[5]  # vermillion: the municipality of the page
LABEL_PLATE = "#FFFFFF"


def _aspect(latitudes: pd.Series) -> float:
    return 1 / math.cos(math.radians(float(latitudes.mean())))


def _colour(value: float, low: float, high: float) -> str:
    position = 0.5 if high <= low else (value - low) / (high - low)
    return sample_colorscale(COLORSCALE, [0.15 + 0.85 * position])[0]


def _rings(geometry) -> list[list[tuple[float, float]]]:
    """Outer rings of a (multi)polygon as lists of (lon, lat)."""
    polygons = getattr(geometry, "geoms", [geometry])
    return [list(p.exterior.coords) for p in polygons if hasattr(p, "exterior")]


def municipality_map(
    values: pd.DataFrame,
    title: str,
    *,
    region: Region,
    value_label: str,
    decimals: int = 0,
    geometry=None,
    highlight: str | None = None,
    only: Collection[str] | None = None,
) -> go.Figure:
    """A map of one value per municipality.

    ``values``: columns ``municipality_code`` and ``value`` (others ignored).
    ``region``: the region drawn (its municipalities' names and centres).
    ``geometry``: a GeoDataFrame in WGS84 with ``municipality_code`` and
    ``geometry`` (None: the point map). ``highlight``: a municipality code to
    outline (a municipality's own page). ``only``: the municipality codes to
    draw (None: the whole region).
    """
    towns = region.municipalities[["code", "name", "lat", "lon"]].rename(
        columns={"code": "municipality_code"}
    )
    if only is not None:
        towns = towns[towns["municipality_code"].isin(set(only))]
    table = towns.merge(values[["municipality_code", "value"]], on="municipality_code", how="left")
    # The whole region's range, also when drawing a part: colours mean the same on every page.
    low, high = float(values["value"].min()), float(values["value"].max())
    fig = go.Figure()
    if geometry is not None and len(geometry):
        shapes = geometry.set_index("municipality_code")["geometry"]
        for row in table.itertuples():
            if row.municipality_code not in shapes.index:
                continue
            chosen = row.municipality_code == highlight
            for ring in _rings(shapes[row.municipality_code]):
                lons, lats = zip(*ring, strict=True)
                fig.add_trace(
                    go.Scatter(
                        x=lons,
                        y=lats,
                        mode="lines",
                        fill="toself",
                        fillcolor=_colour(row.value, low, high)
                        if not pd.isna(row.value)
                        else "#eeeeee",
                        line={
                            "color": HIGHLIGHT if chosen else "#ffffff",
                            "width": 3 if chosen else 1,
                        },
                        hoverinfo="text",
                        text=f"{row.name}: {fi_number(row.value, decimals)} {value_label}",
                        hoveron="fills",
                        showlegend=False,
                    )
                )
        # An invisible trace carries the colour bar.
        fig.add_trace(
            go.Scatter(
                x=[table["lon"].mean()],
                y=[table["lat"].mean()],
                mode="markers",
                marker={
                    "size": 0.1,
                    "color": [low],
                    "cmin": low,
                    "cmax": high,
                    "colorscale": [[0, _colour(low, low, high)], [1, _colour(high, low, high)]],
                    "colorbar": {"title": {"text": value_label}, "thickness": 12},
                },
                hoverinfo="skip",
                showlegend=False,
            )
        )
    else:
        largest = max(high, 1e-9)
        sizes = [8 + 40 * math.sqrt(max(v, 0) / largest) for v in table["value"].fillna(0)]
        fig.add_trace(
            go.Scatter(
                x=table["lon"],
                y=table["lat"],
                mode="markers",
                marker={
                    "size": sizes,
                    "color": table["value"],
                    "colorscale": COLORSCALE,
                    "cmin": low,
                    "cmax": high,
                    "line": {
                        "color": [
                            HIGHLIGHT if c == highlight else "#333333"
                            for c in table["municipality_code"]
                        ],
                        "width": [3 if c == highlight else 0.5 for c in table["municipality_code"]],
                    },
                    "colorbar": {"title": {"text": value_label}, "thickness": 12},
                },
                text=[
                    f"{n}: {fi_number(v, decimals)} {value_label}"
                    for n, v in zip(table["name"], table["value"], strict=True)
                ],
                hoverinfo="text",
                showlegend=False,
            )
        )
    # Names of the larger places, so the map can be read on paper.
    labelled = (
        table.nlargest(6, "value")
        if highlight is None
        else table[table["municipality_code"] == highlight]
    )
    # On a white plate: dark text reads on the darkest blue as on the lightest.
    for place in labelled.itertuples():
        fig.add_annotation(
            x=place.lon,
            y=place.lat,
            text=place.name,
            showarrow=False,
            yshift=14,
            font={"size": 12, "color": TEXT},
            bgcolor=LABEL_PLATE,
            borderpad=1,
        )
    fig.update_layout(title=title, height=560, margin={"l": 10, "r": 10})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=_aspect(table["lat"]))
    return fig
