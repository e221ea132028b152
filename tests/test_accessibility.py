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
            executable_path=executable, args=["--no-sandbox", "--allow-file-access-from-files"]
        )
        yield chromium
        chromium.close()


def open_page(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    # Offline: a page that needs the network fails here.
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.plotly-graph-div'))"
        ".every(d => d.querySelector('.main-svg'))",
        timeout=30_000,
    )
    return page


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


def test_axe_finds_no_wcag_21_aa_violation_on_any_page(site, browser):
    problems = []
    for path in site_pages(site):
        page = open_page(browser, path, 1366)
        for violation in axe_violations(page):
            for node in violation["nodes"][:3]:
                problems.append(
                    f"{path.name}: {violation['id']} ({violation['impact']}): "
                    f"{' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1]}"
                )
        page.close()
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems[:60])


def test_no_page_overflows_sideways_at_phone_width(site, browser):
    wide = []
    for path in site_pages(site):
        page = open_page(browser, path, 390)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide.append(f"{path.name}: {overflow} px wider than the screen")
        page.close()
    assert not wide, "\n".join(wide)


def test_every_page_has_finnish_basics(site, browser):
    for path in site_pages(site):
        page = open_page(browser, path, 1366)
        assert page.evaluate("() => document.documentElement.lang") == "fi", path.name
        title = page.title()
        assert title.endswith("– Järjestökentän tilannekuva"), (path.name, title)
        assert "Notebook" not in title
        assert page.locator("a.tk-skip").count() == 1, path.name
        assert page.locator("nav.tk-nav a").count() == 7, path.name
        assert page.locator("main#sisalto h1").count() >= 1, path.name
        page.close()


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


def test_every_chart_is_a_figure_with_a_caption_and_a_table(site, browser):
    for path in sorted(site.glob("10_jarjestokentta*.html")):  # the pages converted to blocks
        page = open_page(browser, path, 1366)
        loose = page.evaluate(
            """() => Array.from(document.querySelectorAll('.plotly-graph-div')).filter(d => {
                 const f = d.closest('figure');
                 return !f || !f.querySelector('figcaption') || !f.querySelector('details table');
               }).length"""
        )
        assert loose == 0, f"{path.name}: {loose} charts without figure, caption or table"
        page.close()
