"""Placing point labels so that they neither overlap nor leave the plot.

plotly draws a scatter trace's text where ``textposition`` says, without
avoiding anything. This picks, point by point, the first of plotly's positions
whose (estimated) text box stays inside the plot and clear of the labels
already placed and of the other markers, for the narrowest screen: what does
not collide at 390 px does not collide on a desktop, where a data unit is wider.
"""

from __future__ import annotations

from collections.abc import Sequence

# The plot area (inside the axes) of a 640 px high chart on a 390 px screen.
PHONE_PLOT_PX = (270.0, 400.0)
CHAR_PX = 6.8  # average width of a 12 px character
TEXT_PX = 16.0
MARKER_PX = 8.0  # half a marker, with its outline
CANDIDATES = (
    "top center",
    "bottom center",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
    "middle right",
    "middle left",
)

Box = tuple[float, float, float, float]  # left, right, bottom, top in pixels


def _box(x: float, y: float, width: float, position: str) -> Box:
    vertical, horizontal = position.split()
    if horizontal == "center":
        left = x - width / 2
    elif horizontal == "right":
        left = x + MARKER_PX
    else:
        left = x - MARKER_PX - width
    if vertical == "top":
        bottom = y + MARKER_PX
    elif vertical == "bottom":
        bottom = y - MARKER_PX - TEXT_PX
    else:
        bottom = y - TEXT_PX / 2
    return left, left + width, bottom, bottom + TEXT_PX


def _overlap(a: Box, b: Box) -> float:
    width = min(a[1], b[1]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[2], b[2])
    return max(width, 0.0) * max(height, 0.0)


def place_labels(
    points: Sequence[tuple[float, float, str]],
    markers: Sequence[tuple[float, float]],
    x_range: Sequence[float],
    y_range: Sequence[float],
    plot_px: tuple[float, float] = PHONE_PLOT_PX,
) -> list[str]:
    """A ``textposition`` for each (x, y, text) in data units, in the given order."""
    width_px, height_px = plot_px

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (
            (x - x_range[0]) / (x_range[1] - x_range[0]) * width_px,
            (y - y_range[0]) / (y_range[1] - y_range[0]) * height_px,
        )

    marker_boxes = []
    for mx, my in markers:
        px, py = to_px(mx, my)
        marker_boxes.append((px - MARKER_PX, px + MARKER_PX, py - MARKER_PX, py + MARKER_PX))
    placed: list[Box] = []
    positions = []
    for x, y, text in points:
        px, py = to_px(x, y)
        own = (px - MARKER_PX, px + MARKER_PX, py - MARKER_PX, py + MARKER_PX)
        best, best_cost = CANDIDATES[0], float("inf")
        for position in CANDIDATES:
            box = _box(px, py, CHAR_PX * len(text), position)
            outside = (
                max(0.0, -box[0])
                + max(0.0, box[1] - width_px)
                + max(0.0, -box[2])
                + max(0.0, box[3] - height_px)
            ) * TEXT_PX
            cost = (
                10 * outside
                + 10 * sum(_overlap(box, other) for other in placed)
                + sum(_overlap(box, m) for m in marker_boxes if m != own)
            )
            if cost < best_cost:
                best, best_cost = position, cost
            if cost == 0:
                break
        placed.append(_box(px, py, CHAR_PX * len(text), best))
        positions.append(best)
    return positions
