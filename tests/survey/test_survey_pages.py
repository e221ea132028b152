"""The generic survey page and the tracker's evidence, read from built sites.

The demo site (session fixture ``built_site``) has the demo's extra survey,
"Järjestöpäivän palaute"; a second build adds a municipality's partnership
survey that declares ``about`` on a matrix row, and builds only the generic
pages and the tracker.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from tilannekuva.demo.feedback import PARISH, PLANTED_EMAIL, PLANTED_PHONE, SURVEY_ID
from tilannekuva.formats import fi_number
from tilannekuva.paths import DataLayout
from tilannekuva.store import read_table

from tests.conftest import run_cli
from tests.survey.other_exports import PARTNERSHIP, TOOLS, mean_of

PAGE = f"25_muu_kysely--{SURVEY_ID}.html"


def _text(path: Path) -> str:
    """The page's visible text (scripts and tags removed), whitespace collapsed."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_a_page_per_extra_survey_on_the_index(built_site):
    assert (built_site / PAGE).exists()
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Järjestöpäivän palaute" in index and PAGE in index
    # The default survey's pages are still there.
    assert (built_site / "20_kysely.html").exists()
    assert (built_site / "40_painopisteet.html").exists()


def test_generic_page_shows_the_expected_figures(built_site, demo_data):
    table = read_table(DataLayout.at(demo_data), f"surveys/{SURVEY_ID}")
    text = _text(built_site / PAGE)
    assert f"Vastaajia: {len(table)}" in text
    grants = table["onnistuminen__avustusperiaatteet"].dropna()
    # The weakest row of the matrix, with its mean as the page rounds it.
    assert f"matalin: Avustusperiaatteet ({fi_number(grants.mean(), 2)})" in text
    overall = table["kokonaisarvio"].dropna()
    assert f"Keskiarvo {fi_number(overall.mean(), 2)} asteikolla 1–5" in text
    # Every question in questionnaire order.
    positions = [text.find(h) for h in ("1. Millaista", "2. Missä", "3. Kuinka", "6. Mitä")]
    assert -1 not in positions and positions == sorted(positions)


def test_generic_page_hides_a_group_of_four_and_planted_personal_data(built_site, demo_data):
    table = read_table(DataLayout.at(demo_data), f"surveys/{SURVEY_ID}")
    assert (table["toimija"] == "seurakunta").sum() == 4  # the planted small group
    csv = next(built_site.glob(f"data/{PAGE[:-5]}--toimija-jakauma.csv")).read_text("utf-8-sig")
    row = next(line for line in csv.splitlines() if line.startswith(PARISH))
    assert "<5" in row and ";4;" not in f"{row};"
    text = _text(built_site / PAGE)
    assert f"piilotettu tietosuojan vuoksi: Hyvinvointialue tai kunta, {PARISH}" in text
    # The comparison of groups has no column for the hidden group.
    comparison = next(built_site.glob(f"data/{PAGE[:-5]}--ryhmat-toimija.csv")).read_text(
        "utf-8-sig"
    )
    assert PARISH not in comparison.splitlines()[0]
    everything = [p for p in built_site.rglob("*") if p.is_file() and "assets" not in p.parts]
    everything += list((demo_data / "build").rglob("*.ipynb"))
    for path in everything:
        content = path.read_text(encoding="utf-8", errors="replace")
        for secret in (PLANTED_EMAIL, PLANTED_PHONE, "osallistuja1@esimerkki.fi"):
            assert secret not in content, (secret, path)
    stored = "\n".join(str(v) for v in table.to_numpy().ravel())
    assert PLANTED_EMAIL not in stored and "[sähköposti]" in stored


def test_tracker_shows_evidence_from_the_extra_survey(built_site, demo_data):
    table = read_table(DataLayout.at(demo_data), f"surveys/{SURVEY_ID}")
    text = _text(built_site / "40_painopisteet.html")
    assert "Näyttö yhteistyöasioista ja tavoitteista muissa kyselyissä" in text
    grants = table["onnistuminen__avustusperiaatteet"].dropna()
    assert "Järjestöpäivän palaute" in text
    assert f"Päivän onnistuminen: Avustusperiaatteet 2026-marraskuu {len(grants)}" in text


@pytest.fixture(scope="module")
def two_surveys(demo_data, tmp_path_factory) -> tuple[Path, Path]:
    """The demo plus a partnership survey whose 'Avustusten perusteet' row is about i06."""
    root = tmp_path_factory.mktemp("two-surveys")
    data, site = root / "data", root / "site"
    shutil.copytree(demo_data, data, ignore=shutil.ignore_patterns("build", "snapshots"))
    export = root / "kuntakysely.xlsx"
    export.write_bytes(TOOLS["forms.xlsx"](PARTNERSHIP))
    run_cli(
        "survey", "init", str(export), "--id", "kuntakysely", "--title", "Kunnan järjestökysely",
        "--data", str(data), check=True,
    )  # fmt: skip
    path = data / "config" / "surveys" / "kuntakysely.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r'(text: "Avustusten perusteet ovat selkeät")\}', r"\1, about: [i06_grants]}", text
    )
    path.write_text(text, encoding="utf-8")
    run_cli(
        "ingest", "survey", str(export), "--survey", "kuntakysely", "--data", str(data),
        check=True,
    )  # fmt: skip
    run_cli(
        "build", "--data", str(data), "--out", str(site), "--only", "25_muu_kysely",
        "--only", "40_painopisteet", check=True,
    )  # fmt: skip
    return data, site


def test_build_with_two_extra_surveys(two_surveys):
    _data, site = two_surveys
    assert (site / PAGE).exists()
    page = site / "25_muu_kysely--kuntakysely.html"
    assert page.exists()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Kunnan järjestökysely" in index and "Järjestöpäivän palaute" in index
    grants = mean_of(PARTNERSHIP[3].answers[1])
    tracker = _text(site / "40_painopisteet.html")
    assert "Kunnan järjestökysely" in tracker and "Järjestöpäivän palaute" in tracker
    # The tracker's table shows the mean with two decimals, as its download has it.
    csv = next(site.glob("data/40_painopisteet--naytto-muista-kyselyista.csv")).read_text(
        "utf-8-sig"
    )
    fields = next(r for r in csv.splitlines() if "Kunnan järjestökysely" in r).split(";")
    assert fields[2].endswith("Avustusten perusteet ovat selkeät")
    assert int(fields[4]) == grants[1]
    assert float(fields[5].replace(",", ".")) == pytest.approx(round(grants[0], 2))
    assert "Avustusten perusteet ovat selkeät" in _text(page)
