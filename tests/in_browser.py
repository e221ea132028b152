"""The built site in one headless Chromium (Debian's, driven by Playwright).

Every page is opened once, in one reused tab: opening a fresh tab per page cost
4–5 s of the 5–6 s a page took. That single visit gathers what the accessibility,
chart and layout tests assert (conftest's ``browsed_site`` fixture).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Offline: any host name fails to resolve, so a page needing the network fails.
OFFLINE_ARGS = [
    "--no-sandbox",
    "--allow-file-access-from-files",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
CHARTS_DRAWN = (
    "() => Array.from(document.querySelectorAll('.plotly-graph-div'))"
    ".every(d => d.querySelector('.main-svg'))"
)

LOOSE_BLOCKS = """() => {
  const loose = [];
  document.querySelectorAll('main .plotly-graph-div').forEach((d, i) => {
    const f = d.closest('figure');
    if (!f || !f.querySelector('figcaption') || !f.querySelector('details table'))
      loose.push('kuvio ' + (i + 1));
  });
  document.querySelectorAll('main table').forEach((t, i) => {
    if (t.closest('details')) return;
    const f = t.closest('figure');
    // The picker's live table: its figures are the per-inhabitant chart's downloads.
    if (f && f.classList.contains('tk-compare') && f.querySelector(':scope > figcaption')) return;
    if (!f || !f.querySelector(':scope > figcaption') || !f.querySelector('a[href$=".csv"]'))
      loose.push('taulukko ' + (i + 1) + ' (' + (t.querySelector('th') || t).textContent.trim().slice(0, 30) + ')');
  });
  return loose;
}"""


def chromium_executable() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is required for the browser tests in CI (make test installs it)")
    pytest.skip("Chromium not installed (make test installs it with apt-get when run as root)")


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if not p.name.startswith("."))


def open_page(browser, path: Path, width: int, page=None):
    """``path`` opened at ``width`` px, its charts drawn (in ``page`` when given)."""
    if page is None:
        page = browser.new_page(viewport={"width": width, "height": 900})
    else:
        page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    return page


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `make browser` (npm ci installs axe-core)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def visit_every_page(browser, site: Path) -> dict[str, dict]:
    """Each page opened once: axe at 1366 px, its charts and basics, then its width at 390 px."""
    results = {}
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    # Requests that did not complete (a network fetch is refused offline), and script errors.
    failed: list[str] = []
    errors: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in site_pages(site):
        failed.clear()
        errors.clear()
        open_page(browser, path, 1366, page)
        problems = []
        for violation in axe_violations(page):
            for node in violation["nodes"][:3]:
                problems.append(
                    f"{path.name}: {violation['id']} ({violation['impact']}): "
                    f"{' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1]}"
                )
        basics = {
            "lang": page.evaluate("() => document.documentElement.lang"),
            "title": page.title(),
            "skip": page.locator("a.tk-skip").count(),
            "nav": page.locator("nav.tk-nav a").count(),
            "h1": page.locator("main#sisalto h1").count(),
            # Charts outside a captioned figure with its data table, and data tables
            # (not the chart's own table, not layout) outside a captioned figure with downloads.
            "loose": page.evaluate(LOOSE_BLOCKS),
            "figures": page.locator(".plotly-graph-div").count(),
            # plotly draws each figure into an <svg class="main-svg">; no plotly.js → no svg.
            "drawn": page.locator(".plotly-graph-div .main-svg").count(),
            "text": page.locator("body").inner_text(),
        }
        page.set_viewport_size({"width": 390, "height": 900})
        page.wait_for_timeout(300)  # plotly redraws responsive figures on resize
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        charts = page.locator("main .plotly-graph-div").count()
        results[path.name] = {
            "axe": problems,
            "overflow": overflow,
            "charts": charts,
            "failed_requests": list(failed),
            "script_errors": list(errors),
            **basics,
        }
    page.close()
    return results
