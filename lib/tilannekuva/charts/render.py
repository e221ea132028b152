"""How figures are written into notebook outputs.

Since plotly 6, nbconvert drops plotly's default notebook output, so an HTML
export would show no figure. The ``tilannekuva`` renderer writes each figure as
two representations: ``text/html`` (a div and a ``Plotly.newPlot`` call, with
no plotly.js inside: the site loads ``assets/plotly.min.js`` once per page),
which the HTML export keeps, and plotly's own JSON mimetype, which JupyterLab
renders interactively for analysts. Div ids are derived from the figure's
content so that the same page gives the same HTML every build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

from tilannekuva.charts.layout import (
    DEFAULT_HEIGHT,
    keep_outside_labels,
    keep_years_ungrouped,
    lay_out_top,
)

RENDERER_NAME = "tilannekuva"
PLOTLY_JS_PATH = "assets/plotly.min.js"
# Loaded right after plotly.min.js: registers the "fi" locale the config names.
LOCALE_JS_PATH = "assets/plotly-locale-fi.js"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
# Decimal comma and a no-break space between thousands, as formats.fi_number writes.
SEPARATORS = ",\u00a0"
# Only local actions in the toolbar. plotly.js 4 shows a "Share chart..." button
# (sendChartToCloud) by default that opens plotlyServerURL with the figure's data;
# an explicit button list also keeps out any network-bound button a later
# plotly.js adds, and the plotly logo (a link to plotly.com) stays hidden.
MODEBAR_BUTTONS = [["toImage"], ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"]]
CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "modeBarButtons": MODEBAR_BUTTONS,
    "responsive": True,
    "locale": "fi",
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


ID_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


class SiteRenderer(MimetypeRenderer):
    """Offline HTML for the site plus plotly JSON for JupyterLab."""

    def to_mimebundle(self, fig_dict: dict) -> dict:
        # Also on the figure itself: a figure drawn with another template (or none) keeps them.
        layout = fig_dict.setdefault("layout", {})
        layout.setdefault("separators", SEPARATORS)
        lay_out_top(fig_dict)
        keep_years_ungrouped(fig_dict)
        keep_outside_labels(fig_dict)
        payload = json.dumps(fig_dict, sort_keys=True, default=str)
        # Letters only (hex digits mapped to a–p): a digits-only id such as
        # "fig-078698356781" looks like a phone number to the privacy scanner.
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
        div_id = "fig-" + digest.translate(ID_LETTERS)
        html = pio.to_html(
            fig_dict,
            include_plotlyjs=False,
            full_html=False,
            div_id=div_id,
            default_width="100%",
            default_height=f"{fig_dict.get('layout', {}).get('height') or DEFAULT_HEIGHT}px",
            config=CONFIG,
            validate=False,
        )
        return {
            "text/html": f'<div class="tk-figure">{html}</div>',
            PLOTLY_MIMETYPE: {
                "data": fig_dict.get("data", []),
                "layout": fig_dict.get("layout", {}),
                "config": CONFIG,
            },
        }


def register_renderer() -> None:
    pio.renderers[RENDERER_NAME] = SiteRenderer()
    pio.renderers.default = RENDERER_NAME


def show(fig) -> None:
    """Display a figure with the site renderer (same as ``fig.show()`` once registered)."""
    fig.show(renderer=RENDERER_NAME)


def plotly_js_source() -> Path:
    """The plotly.min.js shipped inside the plotly package, copied once into the site."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_locale_source() -> Path:
    """Our Finnish plotly.js locale (toolbar tooltips, number and date formats)."""
    return Path(__file__).parent / "plotly-locale-fi.js"


register_renderer()
