"""One visual style for every chart: a plotly template and the n/date note.

Palette: Okabe–Ito, distinguishable with the common colour-vision deficiencies
and in greyscale print when paired with the order it is used in. Fonts and
sizes stay readable when a page is printed on A4.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from tilannekuva.formats import fi_date, fi_number

TEMPLATE_NAME = "tilannekuva"

# Okabe & Ito (2008), "Color Universal Design".
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",
]
# Diverging pair for scales (poor → good) and a neutral for "don't know".
SCALE_COLOURS = ["#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2"]
NEUTRAL = "#999999"


def _template() -> go.layout.Template:
    return go.layout.Template(
        layout=go.Layout(
            colorway=PALETTE,
            font={
                "family": "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif",
                "size": 14,
                "color": "#222222",
            },
            title={"font": {"size": 18}, "x": 0, "xanchor": "left"},
            paper_bgcolor="white",
            plot_bgcolor="white",
            margin={"l": 60, "r": 30, "t": 90, "b": 100},
            xaxis={"gridcolor": "#E5E5E5", "linecolor": "#888888", "zeroline": False},
            yaxis={
                "gridcolor": "#E5E5E5",
                "linecolor": "#888888",
                "zeroline": False,
                "automargin": True,  # long Finnish category names are never cut off
            },
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            separators=", ",  # Finnish: decimal comma, space between thousands
            hoverlabel={"font": {"size": 13}},
        )
    )


def use_house_style() -> None:
    """Register the house template and make it plotly's default."""
    pio.templates[TEMPLATE_NAME] = _template()
    pio.templates.default = TEMPLATE_NAME


def source_note(
    fig: go.Figure, n: int | None, data_date: object, source: str | None = None
) -> go.Figure:
    """Write ``n = … · Aineisto: <source>, <date>`` under the chart (report.md: every chart states n and date)."""
    parts = []
    if n is not None:
        parts.append(f"n = {fi_number(n)}")
    if source:
        parts.append(f"Lähde: {source}")
    if data_date is not None:
        parts.append(f"Aineiston päiväys {fi_date(data_date)}")
    fig.add_annotation(
        text=" · ".join(parts),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.02,
        yshift=-58,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": 12, "color": "#555555"},
    )
    return fig
