"""Survey charts: the importance–performance quadrant and diverging goal bars."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from tilannekuva.charts.contrast import text_colour_on
from tilannekuva.charts.labels import place_labels
from tilannekuva.charts.theme import ACCENT_TEXT, NEUTRAL, PALETTE, SCALE_COLOURS, TEXT
from tilannekuva.formats import fi_interval, fi_number, shown_difference

PRIORITY_NAME = "Kehittämiskohde"
OTHER_NAME = "Muut"
UNCERTAIN_NAME = "Neljännes epävarma (avoin merkki)"
LABEL_HALO = "1px 1px 1px #fff, -1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff"
UNCERTAIN_HOVER = "neljännes epävarma: väli ylittää keskiarvoviivan"


def quadrant_uncertain(
    table: pd.DataFrame, grand_importance: float, grand_state: float
) -> pd.Series:
    """Whether an item's importance or state interval crosses its cross-hair (grand mean)."""

    def crosses(low: pd.Series, high: pd.Series, line: float) -> pd.Series:
        return (low.astype(float) < line) & (high.astype(float) > line)

    return (
        crosses(table["importance_low"], table["importance_high"], grand_importance)
        | crosses(table["state_low"], table["state_high"], grand_state)
    ).fillna(False)


def _ipa_hover(row) -> str:
    lines = [
        f"<b>{row.text}</b>",
        f"Tärkeys {fi_number(row.importance_mean, 2)} "
        f"(95 %:n lv {fi_interval(row.importance_low, row.importance_high, 2)}), "
        f"n = {fi_number(row.importance_n)}",
        f"Toteutuminen {fi_number(row.state_mean, 2)} "
        f"(95 %:n lv {fi_interval(row.state_low, row.state_high, 2)}), "
        f"n = {fi_number(row.state_n)}",
        f"Ero {fi_number(shown_difference(row.importance_mean, row.state_mean, 2), 2)} (95 %:n lv {fi_interval(row.gap_low, row.gap_high, 2)}), "
        f"n = {fi_number(row.gap_n)} · sija {row.rank_label}",
        PRIORITY_NAME if row.priority else "Ei kehittämiskohde",
    ]
    if row.quadrant_uncertain:
        lines.append(UNCERTAIN_HOVER)
    return "<br>".join(lines)


def ipa_chart(
    table: pd.DataFrame,
    grand_importance: float,
    grand_state: float,
    title: str,
    scale: tuple[int, int] = (1, 5),
) -> go.Figure:
    """Current state (x) against importance (y), 95 % intervals, cross-hairs at the means.

    The marking follows the table's ``priority`` column (the one definition of a
    development priority, computed in the analysis), never the quadrant: a
    diamond for a priority, a circle for the rest. An open marker says the
    item's ``quadrant_uncertain`` (an interval crosses a cross-hair). Rows marked
    ``suppressed`` (or without means) are not drawn and leave nothing in the figure.
    ``scale``: the answer scale's ends (another survey's pair may use another scale).
    """
    bottom, top = scale
    if "priority" not in table.columns:
        raise ValueError("ipa_chart: the table has no column 'priority' (bool)")
    if "quadrant_uncertain" not in table.columns:
        table = table.assign(
            quadrant_uncertain=quadrant_uncertain(table, grand_importance, grand_state)
        )
    hidden = (
        table["suppressed"].fillna(True).astype(bool)
        if "suppressed" in table
        else pd.Series(False, index=table.index)
    )
    shown = table[~hidden].dropna(subset=["importance_mean", "state_mean"])
    priority = shown["priority"].fillna(False).astype(bool)
    uncertain = shown["quadrant_uncertain"].fillna(False).astype(bool)
    # Zoom to the data (intervals included) but keep the scale's limits.
    x_range = [
        max(bottom, float(shown["state_low"].min()) - 0.2),
        min(top, float(shown["state_high"].max()) + 0.2),
    ]
    y_range = [
        max(bottom, float(shown["importance_low"].min()) - 0.2),
        min(top, float(shown["importance_high"].max()) + 0.25),
    ]
    labelled = shown[priority].sort_values("importance_mean", ascending=False)
    positions = dict(
        zip(
            labelled.index,
            place_labels(
                list(
                    zip(
                        labelled["state_mean"].astype(float),
                        labelled["importance_mean"].astype(float),
                        labelled["label"],
                        strict=True,
                    )
                ),
                list(
                    zip(
                        shown["state_mean"].astype(float),
                        shown["importance_mean"].astype(float),
                        strict=True,
                    )
                ),
                x_range,
                y_range,
            ),
            strict=True,
        )
    )
    fig = go.Figure()
    for mask, name, colour, symbol in (
        (priority, PRIORITY_NAME, PALETTE[5], "diamond"),
        (~priority, OTHER_NAME, PALETTE[0], "circle"),
    ):
        part = shown[mask]
        if part.empty:
            continue
        open_marker = uncertain[mask].tolist()
        # The legend shows a filled marker whatever the first point's is.
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                legendgroup=name,
                legendrank=1 if name == PRIORITY_NAME else 2,
                marker={"size": 12, "color": colour, "symbol": symbol},
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=part["state_mean"].astype(float),
                y=part["importance_mean"].astype(float),
                # Labels on the priorities only: thirteen long labels overprint each other.
                mode="markers+text" if name == PRIORITY_NAME else "markers",
                name=name,
                legendgroup=name,
                showlegend=False,
                text=part["label"] if name == PRIORITY_NAME else None,
                textposition=[positions[i] for i in part.index] if name == PRIORITY_NAME else None,
                # A white halo keeps a label readable where it crosses a bar or marker.
                textfont={"size": 12, "color": TEXT, "shadow": LABEL_HALO},
                cliponaxis=False,
                marker={
                    "size": 12,
                    "color": colour,
                    "symbol": [f"{symbol}-open" if o else symbol for o in open_marker],
                    "line": {"width": 2, "color": colour},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["state_high"] - part["state_mean"]).astype(float),
                    "arrayminus": (part["state_mean"] - part["state_low"]).astype(float),
                    "color": colour,
                    "thickness": 1,
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["importance_high"] - part["importance_mean"]).astype(float),
                    "arrayminus": (part["importance_mean"] - part["importance_low"]).astype(float),
                    "color": colour,
                    "thickness": 1,
                },
                hovertext=[
                    _ipa_hover(r)
                    for r in part.assign(
                        priority=priority[mask], quadrant_uncertain=uncertain[mask]
                    ).itertuples()
                ],
                hoverinfo="text",
            )
        )
    if uncertain.any():
        # A legend entry for the open marker (the marker's shape, not its colour, carries it).
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=UNCERTAIN_NAME,
                legendrank=3,
                marker={"size": 12, "color": TEXT, "symbol": "circle-open", "line": {"width": 2}},
                hoverinfo="skip",
            )
        )
    for x0, x1, y0, y1 in (
        (grand_state, grand_state, *y_range),
        (*x_range, grand_importance, grand_importance),
    ):
        fig.add_shape(
            type="line", x0=x0, x1=x1, y0=y0, y1=y1, line={"color": NEUTRAL, "dash": "dash"}
        )
    # Names the quadrant only: being in it does not make an item a priority.
    fig.add_annotation(
        x=x_range[0],
        y=y_range[1],
        text="Tärkeä, heikosti toteutunut",
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 12, "color": ACCENT_TEXT},
    )
    fig.update_layout(
        title=title,
        height=640,
        xaxis={"title": f"Toteutuminen (asteikko {bottom}–{top})", "range": x_range},
        yaxis={"title": f"Tärkeys (asteikko {bottom}–{top})", "range": y_range},
    )
    return fig


GOAL_ROW_PX = 104  # one goal: its two label lines, its bar and the gap to the next
GOAL_BAR_WIDTH = 0.45
GOAL_TOP_ROWS = 0.3  # of a row: the bar's thickness


def _segments(shares: dict[int, float], middle: float) -> dict[int, tuple[float, float]]:
    """Each scale point's segment (start, width) in percent, centred on the scale's middle.

    The middle point (if the scale has one) straddles zero; the points below it
    run leftwards from it in order (the lowest outermost), those above rightwards.
    """
    neutral = shares.get(middle, 0.0) if middle in shares else 0.0
    out: dict[int, tuple[float, float]] = {}
    if middle in shares:
        out[middle] = (-neutral / 2, neutral)
    edge = -neutral / 2
    for point in sorted((p for p in shares if p < middle), reverse=True):
        edge -= shares[point]
        out[point] = (edge, shares[point])
    edge = neutral / 2
    for point in sorted(p for p in shares if p > middle):
        out[point] = (edge, shares[point])
        edge += shares[point]
    return out


def diverging_goal_bars(
    distribution: pd.DataFrame,
    labels: dict[int, str],
    title: str,
    *,
    threshold: int | None = None,
) -> go.Figure:
    """Shares of each scale point as one diverging bar per goal.

    Poor answers run to the left of zero in the scale's order (the lowest
    outermost), the middle point is centred on zero, good answers run to the
    right. Each segment carries its own share (hidden by plotly when it does
    not fit). A goal whose shares are NaN (fewer answers than ``threshold``) is
    drawn empty with "alle N vastausta". Each goal's label states its n and its
    "En osaa sanoa" / no-answer count (point 0), which are not in the shares.
    """
    goals = distribution.drop_duplicates("goal")[["goal", "label"]].itertuples(index=False)
    goals = list(goals)
    points = sorted(p for p in labels if p > 0)
    middle = (min(points) + max(points)) / 2
    if middle == int(middle):
        middle = int(middle)
    colours = dict(zip(points, SCALE_COLOURS, strict=False))
    rows: dict[str, dict] = {}
    for goal in goals:
        part = distribution[distribution["goal"] == goal.goal]
        scale = part[part["point"].isin(points)].set_index("point")
        shares = {int(p): float(v) * 100 for p, v in scale["share"].items()}
        hidden = any(pd.isna(v) for v in shares.values()) or not shares
        # A hidden goal's counts never reach the figure, not even its n.
        n = None if hidden else int(part["n"].iloc[0])
        unanswered = 0 if hidden else int(part.loc[part["point"] == 0, "count"].sum())
        rows[goal.goal] = {
            "label": goal.label,
            "n": n,
            "unanswered": unanswered,
            "hidden": hidden,
            "counts": {} if hidden else {int(p): int(c) for p, c in scale["count"].items()},
            "shares": {} if hidden else shares,
            "segments": {} if hidden else _segments(shares, middle),
        }
    ids = [g.goal for g in goals]
    fig = go.Figure()
    # Traces from the middle outwards and legend entries in the scale's order.
    for point in points:
        colour = colours[point]
        name = f"{point} {labels[point]}"
        starts, widths, texts, hovers = [], [], [], []
        for goal_id in ids:
            row = rows[goal_id]
            start, width = row["segments"].get(point, (None, None))
            starts.append(start)
            widths.append(width)
            share = row["shares"].get(point)
            texts.append("" if share is None else f"{fi_number(share)} %")
            hovers.append(
                ""
                if share is None
                else f"{row['label']}<br>{name}: {fi_number(share)} % "
                f"({fi_number(row['counts'].get(point, 0))} / {fi_number(row['n'])} vastausta)"
            )
        fig.add_trace(
            go.Bar(
                y=ids,
                x=widths,
                base=starts,
                orientation="h",
                width=GOAL_BAR_WIDTH,
                name=name,
                legendrank=point,
                marker={"color": colour, "line": {"color": "#FFFFFF", "width": 1}},
                text=texts,
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": text_colour_on(colour), "size": 13},
                hovertext=hovers,
                hoverinfo="text",
            )
        )
    left = max(
        (-min(s for s, _ in r["segments"].values()) for r in rows.values() if r["segments"]),
        default=50,
    )
    right = max(
        (max(s + w for s, w in r["segments"].values()) for r in rows.values() if r["segments"]),
        default=50,
    )
    reach = min(100, 10 * math.ceil(max(left, right, 30) / 10 + 0.5))
    step = 25 if reach > 60 else 20 if reach > 40 else 10
    ticks = [t for t in range(-100, 101, step) if abs(t) <= reach]
    fig.add_shape(
        type="line",
        x0=0,
        x1=0,
        y0=0,
        y1=1,
        yref="paper",
        line={"color": TEXT, "width": 1},
        layer="below",
    )
    for goal_id in ids:
        row = rows[goal_id]
        detail = "" if row["hidden"] else f"n = {fi_number(row['n'])}"
        if row["unanswered"]:
            detail += f" · en osaa sanoa / ei vastausta {fi_number(row['unanswered'])}"
        # The goal's name above its bar, over the whole width (phones have no room beside it).
        fig.add_annotation(
            x=0,
            xref="paper",
            y=goal_id,
            yshift=GOAL_ROW_PX * GOAL_BAR_WIDTH / 2 + 2,
            text=f"<b>{row['label']}</b>{'<br>' + detail if detail else ''}",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            align="left",
            font={"size": 13, "color": TEXT},
        )
        if row["hidden"]:
            fewer = f"alle {threshold} vastausta" if threshold else "liian vähän vastauksia"
            fig.add_annotation(
                x=0,
                y=goal_id,
                # Two lines: one would run past both edges of a phone.
                text=f"Ei näytetä tietosuojan vuoksi<br>({fewer} tai pienemmän ryhmän suoja)",
                showarrow=False,
                font={"size": 13, "color": TEXT},
                bgcolor="#FFFFFF",
            )
    # Room above the first bar for its label: the rows start GOAL_TOP_ROWS down.
    plot_height = GOAL_ROW_PX * (len(ids) + GOAL_TOP_ROWS)
    fig.update_layout(
        title={"text": title, "subtitle": {"text": "Osuus asteikolla vastanneista"}},
        barmode="overlay",
        bargap=0,
        height=round(plot_height + 230),
        margin={"l": 10, "r": 10, "b": 100},
        uniformtext={"minsize": 11, "mode": "hide"},
        xaxis={
            "tickvals": ticks,
            "ticktext": [f"{abs(t)} %" for t in ticks],
            "range": [-reach, reach],
            "fixedrange": False,
        },
        yaxis={
            "range": [len(ids) - 0.5, -0.5 - GOAL_TOP_ROWS],  # reversed: first goal on top
            "showticklabels": False,
            "showgrid": False,
        },
        legend={"traceorder": "normal"},
    )
    return fig
