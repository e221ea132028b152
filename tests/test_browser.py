"""Pages render their charts in a real browser (Debian's headless Chromium), offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from tilannekuva.site.docs import DOC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]
OWN_PAGES = {"index.html", *(file for file, _, _ in DOC_PAGES)}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is required for the browser tests in CI (make test installs it)")
    pytest.skip("Chromium not installed (make test installs it with apt-get when run as root)")


def render_dom(page: Path) -> str:
    """The page's DOM after its scripts ran, with every network request blocked."""
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                # Any request leaving the machine would fail: the page must not need one.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--allow-file-access-from-files",
                "--virtual-time-budget=15000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_charts_render_offline_in_chromium(built_site):
    for page in sorted(built_site.glob("*.html")):
        if page.name in OWN_PAGES:  # the landing, methods and accessibility pages draw no charts
            continue
        if page.name.startswith("45_asiakirja--"):  # a document's page is its text
            assert 'id="kohta-1"' in page.read_text(encoding="utf-8"), page.name
            continue
        source = page.read_text(encoding="utf-8")
        figures = source.count('class="plotly-graph-div"')
        if figures == 0:
            assert "tuloksia ei näytetä" in source, f"{page.name} shows no figure"
            continue
        dom = render_dom(page)
        # plotly draws each figure into an <svg class="main-svg">; no plotly.js → no svg.
        drawn = dom.count('class="main-svg"')
        assert drawn >= figures > 0, f"{page.name}: {drawn} svgs for {figures} figures"
        assert "Esimerkkiaineisto" in dom
