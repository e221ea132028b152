"""privacy.md §6–7: build the site from input with planted personal data and small groups.

The planted data directory has its own ``config/privacy.yaml`` with a
threshold of 10, a municipality of 4 respondents, a respondent group of 5,
and four respondents' rows pasted twice. Asserts at the boundary: no planted
string (in any spacing) anywhere in the site, the executed notebooks or
processed/; every count and every n the pages show is at least the
threshold; and a reader with every page and card cannot narrow any hidden
count (respondents, and each item's paired answers) to a range under the
threshold (an LP over all published counts together).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from tilannekuva.analysis.scopes import SurveyRound, latest_round
from tilannekuva.privacy.disclosure import audit
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.settings import Settings

from tests.conftest import run_cli

pytestmark = pytest.mark.notebooks

PLANTED = [
    "matti.meikalainen@example.fi",
    "liisa(at)yhdistys.fi",
    "pekka [at] kylaseura [dot] fi",
    "040 123 4567",
    "+358 50 765 4321",
    "(014) 266 0000",
    "045-1234567",
    "131052-308T",
    "020304B987X",
    "131052-900X",
    "131052-308U",
    "010101Y123N",
    "FI21 1234 5600 0007 85",
    "FI2112345600000785",
    "Kauppakatu 12 A 3",
    "PL 35",
    "https://lomake.example.fi/v?email=x@example.fi&id=4711",
]
Q = load_questionnaire()
PARISH = Q.question("org_type").options[3]
THRESHOLD = 10


def compact(text: str) -> str:
    return re.sub(r"[\s\-()\[\]]", "", text).casefold()


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("planted")
    data, site = root / "data", root / "site"
    run_cli("demo", "--data", str(data), check=True)
    (data / "config").mkdir(exist_ok=True)
    (data / "config" / "privacy.yaml").write_text(f"min_group_size: {THRESHOLD}\n")
    book = load_workbook(next((data / "raw" / "demo").glob("*.xlsx")))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    org = header.index(Q.question("org_type").header) + 1
    place = header.index(Q.question("municipality").header) + 1
    open_priority = header.index(Q.question("open_priority").header) + 1
    other = Q.question("org_type").options[4].label
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, org).value == PARISH.label:
            sheet.cell(row, org).value = other
        if sheet.cell(row, place).value in ("Luhanka", "Kinnula"):
            sheet.cell(row, place).value = "Jyväskylä"
    for row in (2, 3, 4, 5, 6):  # a group of 5
        sheet.cell(row, org).value = PARISH.label
    for row in (7, 8, 9, 10):  # a municipality of 4
        sheet.cell(row, place).value = "Luhanka"
    for row in (11, 12, 13, 14):  # Kinnula: 4 respondents, each pasted twice below
        sheet.cell(row, place).value = "Kinnula"
    for i, secret in enumerate(PLANTED):
        sheet.cell(20 + i, open_priority).value = f"Ottakaa yhteyttä: {secret} – kiitos"
    pasted = [[c.value for c in sheet[row]] for row in (11, 12, 13, 14)]
    for values in pasted:
        sheet.append(values)
    path = root / "kysely.xlsx"
    book.save(path)
    run_cli(
        "ingest",
        "survey",
        str(path),
        "--data",
        str(data),
        "--round",
        "2026-syksy",
        "--replace",
        check=True,
    )
    run_cli("build", "--data", str(data), "--out", str(site), check=True)
    return data, site


def outputs(data: Path, site: Path) -> dict[Path, str]:
    texts = {}
    for path in site.rglob("*"):
        if path.is_file() and "assets" not in path.parts:
            texts[path] = path.read_text(encoding="utf-8", errors="replace")
    for path in (data / "build").rglob("*.ipynb"):
        texts[path] = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
    for path in (data / "processed").rglob("*"):  # the other surveys' tables too
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            texts[path] = "\n".join(str(v) for v in frame.to_numpy().ravel())
        else:
            texts[path] = path.read_text(encoding="utf-8")
    return texts


def test_no_planted_string_anywhere(planted):
    data, site = planted
    texts = {p: compact(t) for p, t in outputs(data, site).items()}
    assert any("[puhelin]" in t or "puhelin" in t for t in texts.values())  # redaction happened
    for secret in PLANTED:
        forms = {compact(secret), compact(secret.replace("(at)", "@").replace(" [at] ", "@"))}
        for path, text in texts.items():
            for form in forms:
                assert form not in text, f"{secret!r} leaked into {path}"


def test_quarantine_and_raw_are_outside_the_site(planted):
    _, site = planted
    assert not (site / "raw").exists()
    assert not list(site.rglob("*.ipynb"))


def page_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" ")).replace("\xa0", " ")


def number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def published_counts(data: Path, site: Path) -> dict[tuple[str, str], int]:
    """Every respondent count the site shows, by cell, read from the rendered pages."""
    shown: dict[tuple[str, str], int] = {}
    for path in site.glob("20_kysely*.html"):
        match = re.search(r"Vastaajia: (\d[\d ]*)", page_text(path))
        if not match:
            continue
        stem = path.stem
        if stem == "20_kysely":
            cell = ("region", "")
        elif "--seutukunta-" in stem:
            cell = ("subregion", stem.rsplit("-", 1)[-1])
        else:
            cell = ("org_type", stem.split("--ryhma-", 1)[1])
        shown[cell] = number(match.group(1))
    for path in site.glob("50_kuntakortti--kunta-*.html"):
        match = re.search(r"vastasi kunnasta (\d[\d ]*) toimijaa", page_text(path))
        if match:
            shown[("municipality_code", path.stem.rsplit("-", 1)[-1])] = number(match.group(1))
    return shown


def published_item_counts(site: Path) -> dict[str, dict[tuple[str, str], int]]:
    """Per item: the n its priority tables show, by scope cell."""
    out: dict[str, dict[tuple[str, str], int]] = {}
    for path in site.glob("20_kysely*.html"):
        stem = path.stem
        if stem == "20_kysely":
            cell = ("region", "")
        elif "--seutukunta-" in stem:
            cell = ("subregion", stem.rsplit("-", 1)[-1])
        else:
            cell = ("org_type", stem.split("--ryhma-", 1)[1])
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for row in soup.select("tr[id^=asia-]"):
            n = row.find_all("td")[-1].get_text(strip=True).replace("\xa0", "")
            if n.isdigit():
                out.setdefault(row["id"].removeprefix("asia-"), {})[cell] = int(n)
    for path in site.glob("50_kuntakortti--kunta-*.html"):
        cell = ("municipality_code", path.stem.rsplit("-", 1)[-1])
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for row in soup.select("tr[id^=kunta-asia-]"):
            n = row.find_all("td")[5].get_text(strip=True).replace("\xa0", "")
            out.setdefault(row["id"].removeprefix("kunta-asia-"), {})[cell] = int(n)
    return out


def survey_round(data: Path) -> SurveyRound:
    settings = Settings.from_data_dir(data)
    return latest_round(pd.read_parquet(data / "processed" / "survey.parquet"), settings)


def test_threshold_of_the_data_directory_reaches_every_page(planted):
    _data, site = planted
    # The landing page's chart of groups (its labels are in the figure's data).
    landing = (site / "00_yleiskuva.html").read_text(encoding="utf-8")
    assert f"alle {THRESHOLD}" in landing or "piilotettu" in landing
    parish = page_text(site / f"20_kysely--ryhma-{PARISH.id}.html")
    assert f"alle {THRESHOLD}" in parish and "alle 5 " not in parish
    for path in site.glob("*.html"):
        assert "alle 5 " not in page_text(path), path.name


def test_every_shown_count_and_n_is_at_least_the_threshold(planted):
    data, site = planted
    for cell, n in published_counts(data, site).items():
        assert n >= THRESHOLD, (cell, n)
    for item, cells in published_item_counts(site).items():
        for cell, n in cells.items():
            assert n >= THRESHOLD, (item, cell, n)
    for path in site.glob("*.html"):
        for match in re.finditer(r"n = (\d[\d ]*)", page_text(path)):
            assert number(match.group(1)) >= THRESHOLD, (path.name, match.group(0))


def test_group_of_five_and_municipality_of_four_show_nothing(planted):
    _data, site = planted
    card = page_text(site / "50_kuntakortti--kunta-435.html")
    assert "vastasi kunnasta" not in card and f"alle {THRESHOLD}" in card
    parish = page_text(site / f"20_kysely--ryhma-{PARISH.id}.html")
    assert "Vastaajia:" not in parish
    # No empty section headings above a hidden scope.
    assert "Tärkeys ja toteutuminen" not in parish and "Vaikuttamistyön tavoitteet" not in parish


def test_pasted_rows_are_not_counted_twice(planted):
    data, _ = planted
    survey = pd.read_parquet(data / "processed" / "survey.parquet")
    assert int((survey["municipality_code"] == "256").sum()) == 4


def test_no_hidden_count_can_be_narrowed_from_all_pages_together(planted):
    data, site = planted
    survey = survey_round(data)
    shown = published_counts(data, site)
    assert ("region", "") in shown
    counts = survey.counts(pd.Series(True, index=survey.frame.index))
    cells = {c for r in survey.relations for c in (r.total, *r.parts)}
    # Cells no page shows are unknowns to the reader; each with a small count must stay wide.
    hidden = {c: "unpublished" for c in cells if c not in shown}
    for cell, n in shown.items():
        assert counts[cell] == n, cell  # the pages show the true counts
    assert audit(counts, survey.relations, hidden, THRESHOLD) == []
    for item, item_shown in published_item_counts(site).items():
        answered = (
            survey.frame[f"{item}__importance"].notna() & survey.frame[f"{item}__state"].notna()
        )
        item_counts = survey.counts(answered)
        item_hidden = {c: "unpublished" for c in cells if c not in item_shown}
        assert audit(item_counts, survey.relations, item_hidden, THRESHOLD) == [], item


def test_downloads_say_what_the_pages_say_and_hide_what_they_hide(planted):
    """Each survey page's item CSV has the page's n per item, the marker where the page
    hides one, and no n column anywhere on the site holds a count under the threshold."""
    import csv
    import io

    _data, site = planted
    compared = 0
    for path in site.glob("20_kysely*.html"):
        download = site / "data" / f"{path.stem}--painopisteet.csv"
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        page_n = [
            row.find_all("td")[-1].get_text(strip=True).replace("\xa0", "")
            for row in soup.select("tr[id^=asia-]")
        ]
        if not page_n:
            assert not download.exists(), download.name  # a hidden page publishes no data
            continue
        rows = list(
            csv.reader(io.StringIO(download.read_text(encoding="utf-8-sig")), delimiter=";")
        )
        n_column = next(i for i, h in enumerate(rows[0]) if h == "n" or h.startswith("n ("))
        assert [r[n_column] for r in rows[1:]] == page_n, path.name
        compared += 1
    assert compared >= 3
    for download in (site / "data").glob("*.csv"):
        rows = list(
            csv.reader(io.StringIO(download.read_text(encoding="utf-8-sig")), delimiter=";")
        )
        for i, header in enumerate(rows[0]):
            if header == "n" or header.startswith(("n (", "Vastaajia")):
                for r in rows[1:]:
                    if r[i].isdigit():
                        assert int(r[i]) >= THRESHOLD, (download.name, header, r)
