"""The band above a chart's plot area, laid out so that it fits a phone.

plotly places the title in the top margin and a horizontal legend just above
the plot, growing upwards; the toolbar floats over the top right corner. At
390 px a long title runs under the toolbar and a legend that wraps into
several rows climbs over the title. This lays the band out top-down in pixels
instead (the figures have a fixed height): the toolbar's row, the title
(wrapped), its subtitle, then the legend growing downwards, and the top
margin ends below what a 390 px screen needs. A desktop gets the same band,
with the legend on one row and some air below it.
"""

from __future__ import annotations

import base64
import textwrap

import numpy as np

DEFAULT_HEIGHT = 460  # plotly's own, used by the renderer too
PHONE_WIDTH = 390 - 2 * 8  # the narrowest screen we lay out for, less the page's margins
TOOLBAR_PX = 30
TITLE_LINE_PX = 24
MULTILINE_LIFT_PX = 16
SUBTITLE_PX = 20
LEGEND_ROW_PX = 24
GAP_PX = 10
TITLE_CHARACTERS = 40  # of the house title font at 18 px on a phone line
LEGEND_CHAR_PX = 7.5  # of the 14 px legend font
LEGEND_SYMBOL_PX = 46  # the sample and the gap after an entry


def wrap_title(text: str) -> str:
    """Break a long title into lines a phone can show (plotly does not wrap)."""
    if "<br>" in text or len(text) <= TITLE_CHARACTERS:
        return text
    return "<br>".join(textwrap.wrap(text, TITLE_CHARACTERS, break_on_hyphens=False))


def legend_entries(fig: dict) -> list[str]:
    """Names of the traces plotly lists in the legend."""
    layout = fig.get("layout", {})
    traces = fig.get("data", [])
    if layout.get("showlegend") is False or any(t.get("type") == "pie" for t in traces):
        return []
    named = [t for t in traces if t.get("showlegend", True) is not False]
    if len(named) < 2 and not any(t.get("showlegend") is True for t in named):
        return []
    return [str(t.get("name") or "") for t in named]


def legend_rows(entries: list[str], width: float = PHONE_WIDTH) -> int:
    """Rows a horizontal legend of these entries takes at ``width`` pixels."""
    rows, used = 0, width
    for name in entries:
        entry = LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * len(name)
        if used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def lay_out_top(fig: dict) -> dict:
    """Place title, subtitle and legend top-down and set the top margin (in place)."""
    layout = fig.setdefault("layout", {})
    height = float(layout.get("height") or DEFAULT_HEIGHT)
    title = layout.get("title")
    if isinstance(title, str):
        title = {"text": title}
    top = TOOLBAR_PX
    if title and title.get("text"):
        text = wrap_title(str(title["text"]))
        lines = text.count("<br>") + 1
        layout["title"] = {
            **title,
            "text": text,
            "yref": "container",
            # plotly lifts a title of several lines by part of a line each (seen in Chromium).
            "y": 1 - (top + MULTILINE_LIFT_PX * (lines - 1)) / height,
            "yanchor": "top",
            "automargin": False,
        }
        top += TITLE_LINE_PX * lines + MULTILINE_LIFT_PX * (lines - 1)
        if (title.get("subtitle") or {}).get("text"):
            top += SUBTITLE_PX
    legend = layout.get("legend") or {}
    entries = legend_entries(fig)
    if entries and "y" not in legend and legend.get("orientation", "h") == "h":
        top += GAP_PX / 2
        layout["legend"] = {
            **legend,
            "orientation": "h",
            "yref": "container",
            "y": 1 - top / height,
            "yanchor": "top",
            "x": 0,
        }
        top += LEGEND_ROW_PX * legend_rows(entries)
    margin = layout.setdefault("margin", {})
    margin["t"] = max(int(margin.get("t") or 0), int(top + GAP_PX))
    return fig


def _values(values: object) -> np.ndarray | None:
    """A trace's coordinates as floats; plotly's figure dicts carry arrays as base64."""
    if isinstance(values, dict) and "bdata" in values:
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
        return array.astype(float) if array.ndim == 1 else None
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return array if array.ndim == 1 else None


def keep_years_ungrouped(fig: dict) -> dict:
    """Axes of years show ``2020``, not ``2 020`` (in place).

    The house template separates thousands also in four-digit numbers
    (``1 000``, as :func:`formats.fi_number`). An axis whose every value is a
    whole number from 1000 to 2999 is taken as years and formatted as integers
    without grouping, ticks and hover alike, unless the figure formats it itself.
    """
    layout = fig.setdefault("layout", {})
    verdicts: dict[str, bool] = {}
    for trace in fig.get("data", []):
        for letter in ("x", "y"):
            if trace.get(letter) is None:
                continue
            axis = str(trace.get(f"{letter}axis") or letter).replace(letter, f"{letter}axis", 1)
            values = _values(trace[letter])
            if values is not None:
                values = values[~np.isnan(values)]
            years = (
                values is not None
                and values.size > 0
                and bool(np.all(values == np.round(values)))
                and bool(np.all((values >= 1000) & (values <= 2999)))
            )
            verdicts[axis] = verdicts.get(axis, True) and years
    for axis, years in verdicts.items():
        if years:
            settings = layout.setdefault(axis, {})
            settings.setdefault("tickformat", "d")
            settings.setdefault("hoverformat", "d")
    return fig


def keep_outside_labels(fig: dict) -> dict:
    """Room for the labels of horizontal bars written outside their ends ("2 180").

    plotly clips them at the plot's edge, and on a phone the longest bar's
    label is cut ("2" instead of 2 180). Such bars' labels are drawn unclipped
    and the value axis reaches a fifth beyond the longest bar.
    """
    longest = 0.0
    for trace in fig.get("data", []):
        if trace.get("type") != "bar" or trace.get("orientation") != "h":
            continue
        if trace.get("textposition") != "outside":
            continue
        trace["cliponaxis"] = False
        values = _values(trace.get("x"))
        if values is not None and values.size:
            longest = max(longest, float(np.nanmax(np.abs(values))))
    if longest > 0:
        axis = fig.setdefault("layout", {}).setdefault("xaxis", {})
        if "range" not in axis:
            axis["range"] = [0, longest * 1.2]
    return fig
