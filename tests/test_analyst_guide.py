"""The analysts' guide (docs/analyytikon-opas.md) works as written."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from tilannekuva.analysis import text
from tilannekuva.paths import DataLayout

from tests.conftest import ROOT, run_cli

GUIDE = ROOT / "docs" / "analyytikon-opas.md"


def _section(title_start: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"## {title_start}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _yaml_blocks(section: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", section, flags=re.S)


def test_guide_references_only_files_inside_the_repository():
    text = GUIDE.read_text(encoding="utf-8")
    assert "../shared" not in text and "/work/" not in text
    named = set(re.findall(r"`((?:data|lib|notebooks|docs)/[^`*\s]+\.(?:py|yaml|css|md))`", text))
    assert len(named) >= 6, named  # the pattern finds the files the guide names
    for relative in named:
        assert (ROOT / relative).exists(), relative
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/analyytikon-opas.md)" in readme


def test_adding_a_theme_as_the_guide_says_shows_it_on_the_page(tmp_path: Path):
    data, site = tmp_path / "data", tmp_path / "site"
    run_cli("demo", "--data", str(data), check=True)
    # Step: add the guide's theme under `themes` in config/themes.yaml.
    (snippet,) = _yaml_blocks(_section("3."))
    themes = data / "config" / "themes.yaml"
    themes.parent.mkdir(parents=True, exist_ok=True)
    project = (ROOT / "data" / "config" / "themes.yaml").read_text(encoding="utf-8")
    themes.write_text(project.rstrip("\n") + "\n" + snippet, encoding="utf-8")
    added = yaml.safe_load("themes:\n" + snippet)["themes"]
    (theme_id, theme), *_ = added.items()
    # Step: the command the guide gives, run against this data directory.
    command = re.search(r"`\.venv/bin/tilannekuva (build --only \S+)`", _section("3.")).group(1)
    run_cli(*command.split(), "--data", str(data), "--out", str(site), check=True)

    page = BeautifulSoup((site / "30_avoimet.html").read_text(encoding="utf-8"), "html.parser")
    links = next(t for t in page.find_all("table") if "Teemojen yhteys" in t.caption.get_text())
    rows = {
        tr.find_all(["td", "th"])[0].get_text(strip=True): tr.find_all(["td", "th"])[1].get_text(
            strip=True
        )
        for tr in links.find_all("tr")[1:]
    }
    assert theme["label"] in rows, rows
    assert rows[theme["label"]] == "Tilat ja verkkoalustat"  # i09_premises' short name
    # The demo's answers ask for affordable premises: the new theme finds them.
    book = text.load_themes(DataLayout.at(data))
    assert theme_id in book.themes
    sentence = (
        "Kohtuuhintaiset ja esteettömät tilat kokoontumisiin, kunnan tilojen käyttö maksuttomaksi."
    )
    assert theme_id in text.themes_of(sentence, book)
    assert page.get_text().count(theme["label"]) >= 2  # the chart's data and the table
