"""The demo's documents and decisions on the built site: pages, links, timeline, redaction."""

from __future__ import annotations

import html
import re

import pytest
from tilannekuva.demo import documents as demo_documents
from tilannekuva.privacy.scan import _texts

pytestmark = pytest.mark.notebooks

MEMO = "45_asiakirja--kumppanuuspoyta-muistio-2026-10-14.html"
STATEMENT = "45_asiakirja--lausunto-jarjestosuunnitelma-2026-11-02.html"
NOTE = "45_asiakirja--webinaari-hyvinvointitieto-2026-11-05.html"


def _read(site, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def _reader_text(path) -> str:
    """What a reader sees: the page's text and the attributes the scanner reads."""
    return "\n".join(_texts(path))


def test_every_demo_document_has_a_page_linked_from_the_index(built_site):
    index = _read(built_site, "index.html")
    for name in (MEMO, STATEMENT, NOTE):
        assert (built_site / name).exists(), name
        assert f'href="{name}"' in index, name


def test_planted_personal_data_is_not_on_any_page(built_site):
    seen = {
        path.name: html.unescape(_reader_text(path)) for path in sorted(built_site.glob("*.html"))
    }
    for planted in demo_documents.PLANTED.values():
        for name, text in seen.items():
            assert planted not in text, (planted, name)
            assert planted.replace(" ", "") not in text.replace(" ", ""), (planted, name)
    memo = seen[MEMO]
    for tag in ("[sähköposti]", "[puhelin]", "[osoite]"):
        assert tag in memo, tag
    statement = seen[STATEMENT]
    assert "[hetu]" in statement and "[puhelin]" in statement
    # The rest of the planted sentence is still there: redaction removed only the data.
    assert "Muistion laati" in memo and "Yhteyshenkilö" in statement


def test_document_page_marks_linked_passages_with_ids_and_links_items(built_site):
    from bs4 import BeautifulSoup

    memo = BeautifulSoup(_read(built_site, MEMO), "html.parser")
    assert "Kumppanuuspöydän muistio 14.10.2026" in memo.get_text()
    ids = [tag["id"] for tag in memo.select(".tk-passage")]
    assert ids == [f"kohta-{n}" for n in range(1, 11)]
    # The grants paragraph is marked and links to the tracker's row of the item.
    grants = memo.find(id="kohta-5")
    assert "tk-passage-linked" in grants["class"]
    assert "järjestöavustusten" in grants.find("mark").get_text()
    assert grants.find("a", href="40_painopisteet.html#i06_grants")
    # The near miss (a personal assistant, "avustaja") is not marked.
    near = memo.find(id="kohta-9")
    assert "avustaja" in near.get_text() and "tk-passage-linked" not in near["class"]
    assert near.find("mark") is None
    # The list of linked items points at the passages.
    assert memo.find("a", href="#kohta-5")


def test_tracker_shows_documents_and_decisions_per_item(built_site):
    tracker = _read(built_site, "40_painopisteet.html")
    section = re.search(r'<section[^>]*id="asiakirjat-i06_grants".*?</section>', tracker, re.S)
    assert section, "no documents section for i06_grants"
    text = section.group(0)
    for name in (MEMO, STATEMENT, NOTE):
        assert f'href="{name}"' in text, name
    assert f'href="{STATEMENT}#kohta-4"' in text  # the linked passage
    assert "avustusperiaatteista" in text
    assert "Kumppanuuspöytä aloitti järjestöavustusten periaatteiden valmistelun" in text
    councillors = re.search(
        r'<section[^>]*id="asiakirjat-i02_councillors".*?</section>', tracker, re.S
    )
    assert councillors and "perehdytys järjestötoimintaan pidetään" in councillors.group(0)
    # The logged decision moved the item's status in the tracker table.
    row = re.search(r'<tr[^>]*id="i02_councillors".*?</tr>', tracker, re.S)
    assert row and "tk-status-sovittu" in row.group(0)
