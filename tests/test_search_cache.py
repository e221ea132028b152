"""The search index built incrementally (the build's cache) is the index built from scratch."""

from __future__ import annotations

from pathlib import Path

import pytest
from tilannekuva.site import search
from tilannekuva.site.chrome import SITE_NAME
from tilannekuva.site.search import build_index

PAGE = """<!DOCTYPE html><html lang="fi"><head><title>{title} – {site}</title></head>
<body><main><h1 id="alku">{title}</h1><p>{text}</p></main></body></html>"""


def write(site: Path, name: str, title: str, text: str) -> None:
    page = PAGE.format(title=title, site=SITE_NAME, text=text)
    (site / name).write_text(page, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    write(folder, "a.html", "Yhdistykset", "Yhdistysten avustukset hyvinvointialueella.")
    write(folder, "b.html", "Kunnat", "Kuntien ja järjestöjen yhteistyö.")
    return folder


def test_cached_index_equals_the_full_index_and_new_words_need_no_dictionary_load(
    site, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    assert build_index(site, cache).payload() == build_index(site).payload()
    assert (cache / "pages.json").exists()

    # An edited page: the first incremental index writes the dictionary's tries.
    write(site, "a.html", "Yhdistykset", "Yhdistysten avustukset ja kokoukset kirjastossa.")
    expected = build_index(site).payload()
    assert build_index(site, cache).payload() == expected
    assert list(cache.glob("simplemma/*/fi.dic")) and list(cache.glob("simplemma/*/fi-forms.dic"))

    # From now on new words are looked up in the tries: simplemma's in-memory dictionary
    # (seconds to load) is never asked for.
    write(site, "b.html", "Kunnat", "Kunnanvaltuustoille lähetettiin kirjeitä kissoista.")
    expected = build_index(site).payload()
    search._search_lemma.cache_clear()

    def no_dictionary():
        raise AssertionError("the in-memory dictionary was loaded")

    monkeypatch.setattr(search, "_dictionary", no_dictionary)
    monkeypatch.setattr(search, "lemma", lambda word: no_dictionary())
    index = build_index(site, cache)
    assert index.payload() == expected
    # The new page's inflected words find it by their lemma.
    assert index.forms.get("kissoille") == index.forms.get("kissoista") == "kissa"


def test_a_page_whose_html_changed_is_read_again_and_a_removed_page_leaves(site, tmp_path):
    cache = tmp_path / "cache"
    build_index(site, cache)
    write(site, "b.html", "Kunnat", "Uusi teksti kunnista.")
    (site / "a.html").unlink()
    index = build_index(site, cache)
    assert [file for file, _ in index.pages] == ["b.html"]
    assert "Uusi teksti kunnista." in [s.text for s in index.sections]


def test_an_unreadable_cache_is_a_miss(site, tmp_path):
    cache = tmp_path / "cache"
    build_index(site, cache)
    (cache / "pages.json").write_text("{not json", encoding="utf-8")
    assert build_index(site, cache).payload() == build_index(site).payload()
