"""Survey charts: the importance–performance quadrant and diverging goal bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tilannekuva.charts.theme import NEUTRAL, PALETTE, SCALE_COLOURS
from tilannekuva.formats import fi_number


def ipa_chart(
    table: pd.DataFrame, grand_importance: float, grand_state: float, title: str
) -> go.Figure:
    """Current state (x) against importance (y), 95 % intervals, cross-hairs at the means.

    Rows with NA means (suppressed) are left out of the chart.
    """
    shown = table.dropna(subset=["importance_mean", "state_mean"])
    priority = shown["quadrant"] == "Kehitettävä"
    fig = go.Figure()
    for mask, name, colour in (
        (priority, "Kehittämiskohde", PALETTE[5]),
        (~priority, "Muut", PALETTE[0]),
    ):
        part = shown[mask]
        fig.add_trace(
            go.Scatter(
                x=part["state_mean"],
                y=part["importance_mean"],
                mode="markers+text",
                name=name,
                text=part["label"],
                textposition="top center",
                textfont={"size": 11},
                marker={
                    "size": 11,
                    "color": colour,
                    "symbol": "diamond" if name != "Muut" else "circle",
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": part["state_high"] - part["state_mean"],
                    "arrayminus": part["state_mean"] - part["state_low"],
                    "color": colour,
                    "thickness": 1,
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": part["importance_high"] - part["importance_mean"],
                    "arrayminus": part["importance_mean"] - part["importance_low"],
                    "color": colour,
                    "thickness": 1,
                },
                customdata=list(
                    zip(
                        part["text"],
                        [fi_number(v, 2) for v in part["importance_mean"]],
                        [fi_number(v, 2) for v in part["state_mean"]],
                        part["importance_n"],
                        strict=True,
                    )
                ),
                hovertemplate="%{customdata[0]}<br>Tärkeys %{customdata[1]} · Toteutuminen %{customdata[2]}"
                "<br>n = %{customdata[3]}<extra></extra>",
            )
        )
    # Zoom to the data (intervals included) but keep the scale's limits.
    x_range = [
        max(1, float(shown["state_low"].min()) - 0.2),
        min(5, float(shown["state_high"].max()) + 0.2),
    ]
    y_range = [
        max(1, float(shown["importance_low"].min()) - 0.2),
        min(5, float(shown["importance_high"].max()) + 0.25),
    ]
    for x0, x1, y0, y1 in (
        (grand_state, grand_state, *y_range),
        (*x_range, grand_importance, grand_importance),
    ):
        fig.add_shape(
            type="line", x0=x0, x1=x1, y0=y0, y1=y1, line={"color": NEUTRAL, "dash": "dash"}
        )
    fig.add_annotation(
        x=x_range[0],
        y=y_range[1],
        text="Tärkeä, heikosti toteutunut:<br><b>kehittämiskohteet</b>",
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 12, "color": PALETTE[5]},
    )
    fig.update_layout(
        title=title,
        height=640,
        xaxis={"title": "Toteutuminen (asteikko 1–5)", "range": x_range},
        yaxis={"title": "Tärkeys (asteikko 1–5)", "range": y_range},
    )
    return fig


def diverging_goal_bars(
    distribution: pd.DataFrame, labels: dict[int, str], title: str
) -> go.Figure:
    """Shares of each scale point, poor to the left and good to the right of zero."""
    scale = distribution[distribution["point"] > 0]
    goals = scale.drop_duplicates("goal")["label"].tolist()
    middle = (min(labels) + max(labels)) / 2
    fig = go.Figure()
    for point, colour in zip(sorted(labels), SCALE_COLOURS, strict=False):
        part = scale[scale["point"] == point].set_index("label").reindex(goals)
        share = part["share"].fillna(0) * 100
        if point < middle:
            x = -share
        elif point > middle:
            x = share
        else:
            x = share / 2
        texts = [f"{fi_number(v)} %" if v >= 4 else "" for v in share]
        fig.add_trace(
            go.Bar(
                y=goals,
                x=x,
                orientation="h",
                name=f"{point} {labels[point]}",
                marker_color=colour,
                text=texts,
                textposition="inside",
                customdata=share.round(0),
                hovertemplate="%{y}: %{customdata} %<extra>" + f"{point} {labels[point]}</extra>",
            )
        )
        if point == middle:
            fig.add_trace(
                go.Bar(
                    y=goals,
                    x=-share / 2,
                    orientation="h",
                    marker_color=colour,
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    ticks = list(range(-100, 101, 20))
    fig.update_layout(
        title=title,
        barmode="relative",
        height=400,
        margin={"l": 230},
        xaxis={
            "title": "osuus asteikolla vastanneista",
            "tickvals": ticks,
            "ticktext": [f"{abs(t)} %" for t in ticks],
            "range": [-90, 90],
        },
        yaxis={"autorange": "reversed"},
        legend={"traceorder": "normal"},
    )
    return fig
