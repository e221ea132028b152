"""WCAG 2.1 contrast of text colours, to pick readable text on coloured marks.

Text in charts (annotations, labels on bars) must reach 4.5:1 against what is
behind it (WCAG 2.1 AA, 1.4.3); plotly's own automatic choice of black or white
text does not use the WCAG formula and gives less in places.
"""

from __future__ import annotations

from plotly.colors import hex_to_rgb

MINIMUM = 4.5  # WCAG 2.1 AA for normal-size text
DARK_TEXT = "#000000"
LIGHT_TEXT = "#FFFFFF"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """Relative luminance of a ``#RRGGBB`` colour (WCAG 2.1 definition)."""
    r, g, b = (_channel(v) for v in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 (none) to 21 (black on white)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    dark = contrast_ratio(DARK_TEXT, background)
    light = contrast_ratio(LIGHT_TEXT, background)
    return DARK_TEXT if dark >= light else LIGHT_TEXT
