"""The chart renderer's output never looks like personal data to the scanner."""

from __future__ import annotations

import re

import plotly.graph_objects as go
from tilannekuva.charts.render import SiteRenderer
from tilannekuva.privacy.redact import find_personal_data


def test_figure_ids_have_no_digit_runs_the_scanner_could_take_for_a_phone():
    renderer = SiteRenderer()
    for i in range(300):
        bundle = renderer.to_mimebundle(go.Figure(go.Bar(x=[i], y=[i])).to_dict())
        html = bundle["text/html"]
        ids = re.findall(r'id="(fig-[^"]+)"', html)
        assert ids and all(not re.search(r"\d", i) for i in ids)
        assert not [f for f in find_personal_data(html) if f.kind == "phone"]
