"""Every built page in headless Chromium (Debian's, driven by Playwright): axe-core
finds no WCAG 2.1 A/AA violation, and at phone width (390 px) the page body does
not overflow sideways.

``TK_TEST_SITE=/path/to/site`` checks an already built site instead of building one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def site(request) -> Path:
    given = os.environ.get("TK_TEST_SITE")
    return Path(given) if given else request.getfixturevalue("built_site")


@pytest.fixture(scope="module")
def browser():
    executable = next(
        (shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None
    )
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for the browser tests in CI (make test installs it)")
        pytest.skip("Chromium not installed (make test installs it with apt-get when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            # Offline: any host name fails to resolve, so a page needing the network fails.
            args=[
                "--no-sandbox",
                "--allow-file-access-from-files",
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ],
        )
        yield chromium
        chromium.close()


def open_page(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.plotly-graph-div'))"
        ".every(d => d.querySelector('.main-svg'))",
        timeout=30_000,
    )
    return page


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


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if not p.name.startswith("."))


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `make browser` (npm ci installs axe-core)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def test_the_axe_check_sees_a_planted_violation(browser, tmp_path):
    bad = tmp_path / "huono.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png">'
        '<p style="color:#aaa;background:#fff">haalea</p></body></html>',
        encoding="utf-8",
    )
    page = open_page(browser, bad, 800)
    found = {v["id"] for v in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= found


@pytest.fixture(scope="module")
def checked(site, browser) -> dict[str, dict]:
    """Each page opened once: axe at 1366 px, its basics, then its width at 390 px."""
    results = {}
    for path in site_pages(site):
        page = open_page(browser, path, 1366)
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
        }
        page.set_viewport_size({"width": 390, "height": 900})
        page.wait_for_timeout(300)  # plotly redraws responsive figures on resize
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        charts = page.locator("main .plotly-graph-div").count()
        results[path.name] = {"axe": problems, "overflow": overflow, "charts": charts, **basics}
        page.close()
    return results


def test_axe_finds_no_wcag_21_aa_violation_on_any_page(checked):
    problems = [p for result in checked.values() for p in result["axe"]]
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems[:60])


def test_no_page_overflows_sideways_at_phone_width(checked):
    wide = [
        f"{name}: {r['overflow']} px wider than the screen"
        for name, r in checked.items()
        if r["overflow"] > 0
    ]
    assert not wide, "\n".join(wide)


def test_every_page_has_finnish_basics(checked):
    for name, r in checked.items():
        assert r["lang"] == "fi", name
        assert r["title"].endswith("– Järjestökentän tilannekuva"), (name, r["title"])
        assert "Notebook" not in r["title"]
        assert r["skip"] == 1, name
        assert r["nav"] == 7, name
        assert r["h1"] >= 1, name


def test_every_download_link_resolves_and_its_csv_reads_the_finnish_way(site):
    import csv
    import io
    import re

    links = 0
    for path in site_pages(site):
        for href in re.findall(r'href="(data/[^"]+)"', path.read_text(encoding="utf-8")):
            target = site / href
            assert target.exists(), f"{path.name}: {href} missing"
            links += 1
            if target.suffix == ".csv":
                raw = target.read_bytes()
                assert raw.startswith(b"\xef\xbb\xbf"), href
                rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
                assert len(rows) >= 2 and len({len(r) for r in rows}) == 1, href
                assert not any(re.fullmatch(r"-?\d+\.\d+", c) for r in rows for c in r), href
    assert links > 0


def test_every_chart_and_table_is_a_captioned_figure_with_its_data(checked):
    loose = [f"{name}: {', '.join(r['loose'])}" for name, r in checked.items() if r["loose"]]
    assert not loose, "\n".join(loose)
    charts = sum(r["charts"] for r in checked.values())
    assert charts >= 60, f"only {charts} charts found: is the site complete?"
