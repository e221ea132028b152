"""Pages render their charts in a real browser (Debian's headless Chromium), offline."""

from __future__ import annotations

import pytest
from tilannekuva.site.docs import DOC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]
OWN_PAGES = {"index.html", "haku.html", *(file for file, _, _ in DOC_PAGES)}


def test_charts_render_offline_in_chromium(browsed_site):
    """Each page's charts drawn, nothing fetched from the network, no script error."""
    for name, seen in browsed_site.items():
        assert not seen["failed_requests"], f"{name} needed: {seen['failed_requests']}"
        assert not seen["script_errors"], f"{name}: {seen['script_errors']}"
        if name in OWN_PAGES:  # the landing, search, methods and accessibility pages draw no charts
            continue
        if name.startswith("45_asiakirja--"):  # a document's page is its text
            continue
        if seen["figures"] == 0:
            assert "tuloksia ei näytetä" in seen["text"], f"{name} shows no figure"
            continue
        assert seen["drawn"] >= seen["figures"] > 0, (
            f"{name}: {seen['drawn']} svgs for {seen['figures']} figures"
        )
        assert "Esimerkkiaineisto" in seen["text"], name


def test_the_visit_sees_a_page_that_needs_the_network(browser, tmp_path):
    """A page fetching plotly.js from a CDN: the fetch fails offline and its script breaks."""
    from tests.in_browser import visit_every_page

    (tmp_path / "verkko.html").write_text(
        '<!DOCTYPE html><html lang="fi"><head><title>x</title>'
        '<script src="https://cdn.plot.ly/plotly.min.js"></script></head><body>'
        "<div id='k'></div><script>Plotly.newPlot('k', [{y: [1, 2]}]);</script></body></html>",
        encoding="utf-8",
    )
    seen = visit_every_page(browser, tmp_path)["verkko.html"]
    assert seen["failed_requests"] == ["https://cdn.plot.ly/plotly.min.js"]
    assert any("Plotly" in error for error in seen["script_errors"])
