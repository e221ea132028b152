"""The analysts' guide (docs/analyytikon-opas.md) works as written."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
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
    """The YAML examples as a reader copies them (a list item's indent removed)."""
    blocks = re.findall(r"^( *)```yaml\n(.*?)^ *```", section, flags=re.S | re.M)
    return [
        "".join(line.removeprefix(indent) for line in body.splitlines(keepends=True))
        for indent, body in blocks
    ]


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
    figure = next(
        f for f in page.find_all("figure") if "Teemojen yhteys" in f.figcaption.get_text()
    )
    links = figure.find("table")
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


def test_adding_a_question_as_the_guide_says_ingests_its_answers(tmp_path: Path):
    data = tmp_path / "data"
    run_cli("demo", "--data", str(data), check=True)
    section = _section("2.")
    # Step 1: the guide's question, added under `questions` in config/questionnaire.yaml.
    snippet = _yaml_blocks(section)[0]
    question = yaml.safe_load(snippet)[0]
    project = (ROOT / "data" / "config" / "questionnaire.yaml").read_text(encoding="utf-8")
    at = project.index("\nrow_sets:")
    at = project.rindex("\n\n", 0, at) + 1  # before the row sets' comment
    config = data / "config" / "questionnaire.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(project[:at] + "\n" + snippet + project[at:], encoding="utf-8")
    # Step 2: the guide's ingest command, on an export that lacks the new question …
    command = re.search(r"\.venv/bin/tilannekuva (ingest survey .*)\n", section).group(1)
    export = data / "raw" / "demo" / "kysely_vastaukset_demo.xlsx"
    old = tmp_path / "vienti.xlsx"
    old.write_bytes(export.read_bytes())
    args = command.split()
    refused = run_cli(*args, "--data", str(data), cwd=tmp_path)
    assert refused.returncode != 0
    assert question["header"] in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    before = pd.read_parquet(data / "processed" / "survey.parquet")
    assert question["id"] not in before.columns  # nothing half-written
    # … and on one that has it: the answers land in the table as option ids.
    frame = pd.read_excel(export)
    labels = [option["label"] for option in question["options"]]
    frame[question["header"]] = [labels[i % len(labels)] for i in range(len(frame))]
    frame.to_excel(old, index=False)
    run_cli(*args, "--data", str(data), cwd=tmp_path, check=True)
    survey = pd.read_parquet(data / "processed" / "survey.parquet")
    assert len(survey) == len(before)
    ids = [option["id"] for option in question["options"]]
    assert survey[question["id"]].value_counts().to_dict() == {
        ids[i]: sum(1 for n in range(len(frame)) if n % len(ids) == i) for i in range(len(ids))
    }
