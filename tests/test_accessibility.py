"""Every built page in headless Chromium (Debian's, driven by Playwright): axe-core
finds no WCAG 2.1 A/AA violation, and at phone width (390 px) the page body does
not overflow sideways.

``TK_TEST_SITE=/path/to/site`` checks an already built site instead of building one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.in_browser import axe_violations, open_page, site_pages

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]


@pytest.fixture(scope="module")
def site(request) -> Path:
    given = os.environ.get("TK_TEST_SITE")
    return Path(given) if given else request.getfixturevalue("built_site")


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


def test_axe_finds_no_wcag_21_aa_violation_on_any_page(browsed_site):
    problems = [p for result in browsed_site.values() for p in result["axe"]]
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems[:60])


def test_no_page_overflows_sideways_at_phone_width(browsed_site):
    wide = [
        f"{name}: {r['overflow']} px wider than the screen"
        for name, r in browsed_site.items()
        if r["overflow"] > 0
    ]
    assert not wide, "\n".join(wide)


def test_every_page_has_finnish_basics(browsed_site):
    for name, r in browsed_site.items():
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


def test_every_chart_and_table_is_a_captioned_figure_with_its_data(browsed_site):
    loose = [f"{name}: {', '.join(r['loose'])}" for name, r in browsed_site.items() if r["loose"]]
    assert not loose, "\n".join(loose)
    charts = sum(r["charts"] for r in browsed_site.values())
    assert charts >= 60, f"only {charts} charts found: is the site complete?"
