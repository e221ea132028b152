"""Search (haku.html): the index builder on hand-made pages, then the built site's
search in headless Chromium from file:// — inflected words, links to the exact
place, the header's search box, the print and phone layouts."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from tilannekuva.privacy.scan import scan_paths
from tilannekuva.site.chrome import SITE_NAME
from tilannekuva.site.search import (
    INDEX_FILE,
    INDEX_GLOBAL,
    SEARCH_PAGE,
    build_index,
    index_script,
    search_lemma,
    sections_of,
    write_search_index,
)

PAGE = """<!DOCTYPE html><html lang="fi"><head><title>{title} – {site}</title>
<script>var ulkona = "skriptiteksti";</script></head><body>
<header><nav><a href="index.html">Otsakelinkki</a></nav>
<form><label>Haku</label><input name="q"></form></header>
<main id="sisalto">{body}</main>
<footer>Alatunnisteteksti</footer></body></html>"""


def page(title: str, body: str) -> str:
    return PAGE.format(title=title, site=SITE_NAME, body=body)


MEMO = page(
    "Muistio 3/2026",
    """<h1 id="muistio">Muistio 3/2026<a class="anchor-link" href="#muistio">¶</a></h1>
<p>Kokouksessa käsiteltiin yhdistysten avustuksia.</p>
<nav class="tk-related"><a href="x.html">Naapurisivu</a></nav>
<h2 id="paatokset">Päätökset</h2>
<p>Ennen kohtaa.</p>
<p id="kohta-2">Hyvinvointialueen ja kuntien yhteistyöstä sovitaan.</p>
<p>Kohdan jälkeen.</p>
<div hidden>Piilotettu salaisuus</div>
<p aria-hidden="true">Ruudunlukijalta piilotettu</p>
<p style="display: none">Tyylillä piilotettu</p>
<div class="plotly-graph-div" id="fig-1"><script>Plotly.newPlot("kuviodata")</script></div>
<svg><text>Kuviotekstiä</text></svg>
<select><option>Valintalistan kunta</option></select>
<style>.x { content: "tyylisääntö"; }</style>
<p>Palaute: <a href="mailto:tilannekuva@example.fi">tilannekuva@example.fi</a></p>
<h3>Otsikko ilman tunnistetta</h3>
<p>Alaotsikon teksti.</p>""",
)


def test_a_page_splits_at_headings_and_passages_with_ids():
    title, sections = sections_of(MEMO, "asiakirjat/muistio.html")
    assert title == "Muistio 3/2026"
    places = [(s.anchor, s.heading, s.text) for s in sections]
    assert places[0] == (
        "muistio",
        "Muistio 3/2026",
        "Kokouksessa käsiteltiin yhdistysten avustuksia.",
    )
    anchors = [s.anchor for s in sections]
    assert anchors == ["muistio", "paatokset", "kohta-2"]  # one entry per place
    by_anchor = {s.anchor: s for s in sections}
    # The passage is its own place under its heading; the text around it stays with the heading,
    # and a heading without an id belongs to the place before it.
    assert by_anchor["kohta-2"].text == "Hyvinvointialueen ja kuntien yhteistyöstä sovitaan."
    assert by_anchor["kohta-2"].heading == "Päätökset"
    assert " ".join(by_anchor["paatokset"].text.split()) == (
        "Ennen kohtaa. Kohdan jälkeen. Palaute: Otsikko ilman tunnistetta Alaotsikon teksti."
    )
    assert all(s.page == "asiakirjat/muistio.html" for s in sections)


def test_only_visible_text_of_the_main_content_is_indexed():
    _, sections = sections_of(MEMO, "muistio.html")
    text = " ".join(f"{s.heading} {s.text}" for s in sections)
    for hidden in (
        "skriptiteksti",
        "Otsakelinkki",
        "Alatunnisteteksti",
        "Piilotettu salaisuus",
        "Ruudunlukijalta",
        "Tyylillä",
        "kuviodata",
        "Kuviotekstiä",
        "Valintalistan",
        "tyylisääntö",
        "Naapurisivu",
        "¶",
        "@",  # a contact address is not search content
    ):
        assert hidden not in text, hidden
    assert "Kokouksessa käsiteltiin" in text  # the check above is not vacuous


def test_table_cells_stay_apart_so_their_numbers_never_read_as_a_phone_number(tmp_path):
    # Three population figures side by side: joined by one space they look like "064 27 460 272".
    body = "<h1 id='t'>Vertailu</h1><table><tr><td>1 064</td><td>27 460</td><td>272 437</td></tr></table>"
    (tmp_path / "vertailu.html").write_text(page("Vertailu", body), encoding="utf-8")
    index = write_search_index(tmp_path)
    assert "1 064\\n27 460\\n272 437" in index.read_text(encoding="utf-8")
    assert scan_paths([index]) == []


def test_a_name_and_a_date_in_two_cells_never_read_as_an_address(tmp_path):
    # "Koordinaattori  2026-09" on one line is a street ("-tori") with a house number.
    body = "<h1 id='t'>Asiat</h1><table><tr><td>Koordinaattori</td><td>2026-09-01</td></tr></table>"
    (tmp_path / "asiat.html").write_text(page("Asiat", body), encoding="utf-8")
    assert scan_paths([write_search_index(tmp_path)]) == []


def test_the_privacy_scanner_reads_the_index(tmp_path):
    body = "<h1 id='y'>Yhteystiedot</h1><p>Soita numeroon 040 123 4567.</p>"
    (tmp_path / "yhteys.html").write_text(page("Yhteys", body), encoding="utf-8")
    index = write_search_index(tmp_path)
    assert [f.kind for f in scan_paths([index])] == ["phone"]


def test_lemmas_join_inflected_and_compound_forms():
    assert search_lemma("yhdistysten") == search_lemma("yhdistyksille") == "yhdistys"
    # simplemma alone parts these (hyvinvointi / hyvinvointialue); the index must not.
    assert search_lemma("hyvinvointialueen") == search_lemma("hyvinvointialueella")
    assert search_lemma("järjestöavustukset") == "järjestöavustus"


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("haku") / "site"
    (site / "asiakirjat").mkdir(parents=True)
    (site / "asiakirjat" / "muistio.html").write_text(MEMO, encoding="utf-8")
    other = page(
        "Järjestökenttä",
        "<h1 id='k'>Järjestökenttä</h1><p>Rekisterissä on 300 yhdistystä.</p>"
        "<h2 id='h'>Hyvinvointialue</h2><p>Hyvinvointialueella toimii järjestöjä.</p>",
    )
    (site / "10_jarjestokentta.html").write_text(other, encoding="utf-8")
    for skipped in ("assets", "data", "pdf"):
        (site / skipped).mkdir()
        (site / skipped / "sivu.html").write_text(page("Ohita", "<p>ohitettava</p>"), "utf-8")
    (site / SEARCH_PAGE).write_text(page("Haku", "<h1>Haku</h1><p>hakusivu</p>"), "utf-8")
    return site


def test_the_index_covers_every_page_but_the_search_page_and_asset_folders(small_site):
    index = build_index(small_site)
    assert sorted(index.pages) == [
        ("10_jarjestokentta.html", "Järjestökenttä"),
        ("asiakirjat/muistio.html", "Muistio 3/2026"),
    ]
    assert {"ohitettava", "hakusivu"}.isdisjoint(index.lemmas)


def test_each_section_carries_the_lemmas_of_its_words(small_site):
    index = build_index(small_site)
    lemmas = {
        (s.page, s.anchor): {index.lemmas[i] for i in ids}
        for s, ids in zip(index.sections, index.section_lemmas, strict=True)
    }
    memo = lemmas[("asiakirjat/muistio.html", "muistio")]
    assert {"yhdistys", "avustus", "kokous"} <= memo  # yhdistysten, avustuksia, kokouksessa
    assert "yhdistys" in lemmas[("10_jarjestokentta.html", "k")]  # yhdistystä
    passage = lemmas[("asiakirjat/muistio.html", "kohta-2")]
    assert search_lemma("hyvinvointialueen") in passage
    assert "yhdistys" not in passage


def test_the_script_carries_every_form_a_query_may_use(small_site):
    index = build_index(small_site)
    script = index_script(index)
    prefix = f"window.{INDEX_GLOBAL} = "
    assert script.startswith(prefix) and script.endswith(";\n")
    data = json.loads(script[len(prefix) : -2])
    # Unpack the forms as assets/haku.js does: a lemma's prefix and one shared paradigm.
    forms = {}
    for lemma_id, prefix_length, paradigm in data["muodot"]:
        stem = data["lemmat"][lemma_id][:prefix_length]
        for ending in data["paradigmat"][paradigm].split("|"):
            forms[stem + ending] = data["lemmat"][lemma_id]
    assert forms == index.forms
    # Forms that are on no page, from the dictionary: the query side needs them.
    assert forms["yhdistyksille"] == "yhdistys"
    assert forms["avustuksista"] == "avustus"
    assert forms["hyvinvointialueille"] == search_lemma("hyvinvointialueen")
    assert len(data["paradigmat"]) < len(data["muodot"])  # paradigms are shared


def test_the_script_never_closes_a_script_element(tmp_path):
    body = "<h1 id='a'>Koodi</h1><p>Teksti &lt;/script&gt;&lt;b&gt; jatkuu</p>"
    (tmp_path / "koodi.html").write_text(page("Koodi", body), encoding="utf-8")
    text = write_search_index(tmp_path).read_text(encoding="utf-8")
    assert "</script" not in text and "<\\/script>" in text
    assert not list(tmp_path.glob(".*tmp"))  # written whole, then renamed


# The built site in headless Chromium, from file://.


# ``browser``: the session's one Chromium (tests/conftest.py).


def open_search(browser, site: Path, query: str, width: int = 1366):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{(site / SEARCH_PAGE).as_uri()}?q={quote(query)}", wait_until="load")
    page.wait_for_function("() => document.getElementById('haku-tila').textContent !== ''")
    assert not errors, errors
    return page


def results(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#haku-tulokset li')).map(li => ({
             href: li.querySelector('a').getAttribute('href'),
             title: li.querySelector('a').textContent,
             marked: Array.from(li.querySelectorAll('mark')).map(m => m.textContent.toLowerCase()),
           }))"""
    )


def follow(browser, site: Path, href: str) -> dict:
    """Open a result's link: the element its anchor names, and the page's text."""
    page = browser.new_page()
    page.goto(
        (site / href.split("#")[0]).as_uri() + ("#" + href.split("#", 1)[1] if "#" in href else "")
    )
    found = page.evaluate(
        """() => { const t = document.querySelector(':target');
                   return {target: t ? t.id : null, text: document.body.textContent.toLowerCase()}; }"""
    )
    page.close()
    return found


@pytest.mark.browser
@pytest.mark.notebooks
def test_an_inflected_word_finds_other_forms_and_links_to_the_place(built_site, browser):
    page = open_search(browser, built_site, "yhdistyksille")
    status = page.locator("#haku-tila").text_content()
    assert re.match(r"\d+ osumaa", status), status
    found = results(page)
    assert found, "no results"
    page.close()
    # A page that never writes "yhdistyksille" is found by another form of the word.
    other = [r for r in found if r["marked"] and "yhdistyksille" not in r["marked"]]
    assert other, found[:5]
    assert any(m.startswith("yhdisty") for r in other for m in r["marked"])
    for hit in [r for r in other if "#" in r["href"]][:5]:
        place = follow(browser, built_site, hit["href"])
        assert place["target"], f"{hit['href']}: no element with that id"
        assert hit["marked"][0] in place["text"], hit


@pytest.mark.browser
@pytest.mark.notebooks
def test_a_document_passage_is_found_and_linked_exactly(built_site, browser, tmp_path):
    # A document page as the document pages will be: passages with ids, in a folder.
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(built_site / SEARCH_PAGE, site / SEARCH_PAGE)
    shutil.copytree(built_site / "assets", site / "assets")
    (site / "asiakirjat").mkdir()
    (site / "asiakirjat" / "muistio.html").write_text(MEMO, encoding="utf-8")
    write_search_index(site)
    page = open_search(browser, site, "hyvinvointialueille")
    found = results(page)
    page.close()
    assert [r["href"] for r in found] == ["asiakirjat/muistio.html#kohta-2"]
    assert found[0]["marked"] == ["hyvinvointialueen"]
    assert found[0]["title"] == "Muistio 3/2026 › Päätökset"
    place = follow(browser, site, found[0]["href"])
    assert place["target"] == "kohta-2"


@pytest.mark.browser
@pytest.mark.notebooks
def test_a_word_not_on_the_site_finds_nothing_and_says_so(built_site, browser):
    page = open_search(browser, built_site, "xylofonikonsertti")
    assert page.locator("#haku-tila").text_content().startswith("Ei osumia")
    assert results(page) == []
    page.close()


@pytest.mark.browser
@pytest.mark.notebooks
def test_the_header_search_box_on_any_page_leads_to_results(built_site, browser):
    page = browser.new_page()
    page.goto((built_site / "20_kysely.html").as_uri(), wait_until="load")
    page.fill("#tk-haku-otsake", "avustuksista")
    page.press("#tk-haku-otsake", "Enter")
    page.wait_for_url(re.compile(r"haku\.html\?q=avustuksista$"))
    page.wait_for_function("() => document.getElementById('haku-tila').textContent !== ''")
    assert re.match(r"\d+ osum", page.locator("#haku-tila").text_content())
    assert page.input_value("#haku-sana") == "avustuksista"
    assert results(page)
    page.close()


@pytest.mark.notebooks
def test_every_page_has_the_search_box_in_its_header(built_site):
    for path in sorted(built_site.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        header = re.search(r"<header.*?</header>", text, re.S)
        assert header and 'action="haku.html"' in header.group(0), path.name


@pytest.mark.browser
@pytest.mark.notebooks
def test_the_results_page_is_accessible_fits_a_phone_and_prints_without_the_box(
    built_site, browser
):
    from tests.test_accessibility import axe_violations

    page = open_search(browser, built_site, "yhdistys", width=390)
    assert results(page)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px wider than a phone"
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    shown = page.evaluate(
        "() => Array.from(document.querySelectorAll('.tk-search'))"
        ".map(f => getComputedStyle(f).display)"
    )
    assert shown and set(shown) == {"none"}
    page.close()


@pytest.mark.notebooks
def test_the_built_index_covers_every_published_page(built_site):
    text = (built_site / INDEX_FILE).read_text(encoding="utf-8")
    data = json.loads(text[len(f"window.{INDEX_GLOBAL} = ") : -2])
    indexed = {file for file, _ in data["sivut"]}
    published = {p.name for p in built_site.glob("*.html")} - {SEARCH_PAGE}
    assert indexed == published
    assert scan_paths([built_site / INDEX_FILE]) == []


GARDEN = """# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %% [markdown]
# # Koepuutarha
#
# Alppiruusut kukkivat yhdistysten puutarhoissa.
"""


@pytest.mark.notebooks
def test_an_incremental_build_keeps_every_page_in_the_index(tmp_path):
    from tilannekuva.batch.build import build_site

    from tests.test_build import READS_PAGES, _write_table, project

    settings = project(tmp_path, "MK13")
    (settings.pages_file.parent / "00_yleiskuva.py").write_text(GARDEN, encoding="utf-8")
    settings.pages_file.write_text(READS_PAGES, encoding="utf-8")
    _write_table(settings.layout, "alpha", [1, 2])
    _write_table(settings.layout, "beta", [3, 4])
    assert build_site(settings).ok
    _write_table(settings.layout, "beta", [3, 5])
    again = build_site(settings)
    assert again.ok
    assert {o.page.name: o.status for o in again.outcomes} == {
        "00_yleiskuva--a": "reused",
        "00_yleiskuva--b": "built",
    }
    index = build_index(settings.out)  # what the build wrote is what the site holds now
    text = (settings.out / INDEX_FILE).read_text(encoding="utf-8")
    assert text == index_script(index)
    places = {(s.page, s.anchor) for s in index.sections}
    # The reused page is searched as well as the rebuilt one.
    assert {
        ("00_yleiskuva--a.html", "Koepuutarha"),
        ("00_yleiskuva--b.html", "Koepuutarha"),
    } <= places
    assert dict(index.pages)["00_yleiskuva--a.html"] == "Sivu a"
    assert "alppiruusu" in index.lemmas
