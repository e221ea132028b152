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
TEXT = "#222222"
# Annotations that name a colour's meaning: vermillion darkened to 6.5:1 on white
# (PALETTE[5] itself reaches only 3.9:1).
ACCENT_TEXT = "#A04000"
NOTE_TEXT = "#555555"


def _template() -> go.layout.Template:
    return go.layout.Template(
        layout=go.Layout(
            colorway=PALETTE,
            font={
                "family": "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif",
                "size": 14,
                "color": TEXT,
            },
            title={"font": {"size": 18}, "x": 0, "xanchor": "left", "automargin": True},
            paper_bgcolor="#FFFFFF",
            plot_bgcolor="#FFFFFF",
            margin={"l": 60, "r": 30, "t": 90, "b": 100},
            # separatethousands: "1 000" like fi_number, not plotly's "1000" for four digits.
            xaxis={
                "gridcolor": "#E5E5E5",
                "linecolor": "#888888",
                "zeroline": False,
                "separatethousands": True,
                "exponentformat": "none",  # "5 000", not plotly's "5k"
                "automargin": True,
            },
            yaxis={
                "gridcolor": "#E5E5E5",
                "linecolor": "#888888",
                "zeroline": False,
                "separatethousands": True,
                "exponentformat": "none",  # "5 000", not plotly's "5k"
                "automargin": True,  # long Finnish category names are never cut off
            },
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            separators=",\u00a0",  # Finnish: decimal comma, no-break space between thousands
            # Dark text on white in every hover box (plotly's default, the trace's
            # colour as background, gives white on orange at 2.3:1).
            # Toolbar icons at 7.5:1 (plotly's default grey is faint).
            modebar={"color": NOTE_TEXT, "activecolor": "#000000", "bgcolor": "#FFFFFF"},
            hoverlabel={"font": {"size": 13, "color": TEXT}, "bgcolor": "#FFFFFF"},
        )
    )


def use_house_style() -> None:
    """Register the house template and make it plotly's default."""
    pio.templates[TEMPLATE_NAME] = _template()
    pio.templates.default = TEMPLATE_NAME


NOTE_LINE_CHARACTERS = 46  # of the 12 px note beside a phone's y axis


def _note_lines(parts: list[str]) -> str:
    """Join the note's parts with " · ", starting a new line where a phone would cut it."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= NOTE_LINE_CHARACTERS:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return "<br>".join(lines)


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
        text=_note_lines(parts),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.02,
        yshift=-58,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 12, "color": NOTE_TEXT},
    )
    return fig
