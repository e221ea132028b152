"""Charts on the built site: a local-only toolbar with Finnish tooltips and Finnish ticks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from tilannekuva.charts.render import LOCALE_JS_PATH, PLOTLY_JS_PATH

LOCAL_BUTTONS = {"toImage", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"}
FINNISH_TOOLTIPS = {
    "Lataa kuva PNG-muodossa",
    "Zoomaa",
    "Siirrä",
    "Lähennä",
    "Loitonna",
    "Palauta akselit",
}


def newplot_configs(html: str) -> list[dict]:
    """The config (third argument) of every ``Plotly.newPlot`` call in a page."""
    decoder = json.JSONDecoder()
    configs = []
    for match in re.finditer(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*", html):
        position = match.end()
        for index in range(3):
            value, end = decoder.raw_decode(html, position)
            position = end + len(re.match(r"\s*,?\s*", html[end:]).group(0))
            if index == 2:
                configs.append(value)
    return configs


def check_site_configs(site: Path) -> int:
    """Every figure of every page: local toolbar only, Finnish locale loaded after plotly."""
    figures = 0
    for page in sorted(site.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        configs = newplot_configs(html)
        assert len(configs) == html.count('class="plotly-graph-div"'), page.name
        if configs:
            plotly_at = html.index(f'src="{PLOTLY_JS_PATH}"')
            assert html.index(f'src="{LOCALE_JS_PATH}"') > plotly_at, page.name
        for config in configs:
            assert {b for group in config["modeBarButtons"] for b in group} <= LOCAL_BUTTONS
            assert config["showSendToCloud"] is False, page.name
            assert "plotlyServerURL" not in config and config["displaylogo"] is False
            assert config["locale"] == "fi"
        assert "cloud.plotly.com" not in html, page.name
        figures += len(configs)
    assert (site / LOCALE_JS_PATH).is_file()
    return figures


def rendered_dom(page: Path) -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium not installed")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={profile}",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--allow-file-access-from-files",
                "--virtual-time-budget=10000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def check_rendered_toolbar_and_ticks(page: Path) -> None:
    """In the browser: Finnish tooltips, no share button, Finnish tick numbers."""
    dom = rendered_dom(page)
    figures = dom.count("main-svg") // 2  # plotly draws two svgs per figure
    assert figures >= 1, page.name
    tooltips = set(re.findall(r'data-title="([^"]*)"', dom))
    assert tooltips == FINNISH_TOOLTIPS, tooltips
    assert 'data-attr="sendChartToCloud"' not in dom and "Share" not in dom
    assert 'data-val="sendChartToCloud"' not in dom
    ticks = re.findall(r'class="[xy]tick"><text[^>]*>([^<]*)</text>', dom)
    assert ticks, page.name
    for tick in ticks:
        assert not re.search(r"\d\.\d|\d-|^-|\dk\b", tick), tick  # no 2.5, hyphen or 5k
    assert any("," in t for t in ticks)  # the survey's scale ticks: 3,5


@pytest.mark.notebooks
def test_every_figure_on_the_site_has_a_local_finnish_toolbar(built_site):
    assert check_site_configs(built_site) > 20


@pytest.mark.notebooks
@pytest.mark.browser
def test_survey_page_toolbar_and_ticks_are_finnish_in_chromium(built_site):
    check_rendered_toolbar_and_ticks(built_site / "20_kysely.html")
