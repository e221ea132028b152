"""The built site: every page linked, figures present, nothing from the network, demo banner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from tilannekuva.batch.pages import load_pages
from tilannekuva.charts.render import PLOTLY_MIMETYPE
from tilannekuva.paths import DataLayout
from tilannekuva.site.docs import DOC_PAGES

from tests.conftest import run_cli

pytestmark = pytest.mark.notebooks

REMOTE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I
)
CODE_BLOCK = re.compile(r'class="[^"]*(?:jp-CodeMirrorEditor|hl-ipython3|jp-InputPrompt)')
BANNER = "Esimerkkiaineisto – ei todellisia vastauksia"


def pages(site: Path) -> list[Path]:
    """The notebook pages (not the landing page, methods page or accessibility statement)."""
    own = {"index.html", *(file for file, _, _ in DOC_PAGES)}
    return sorted(p for p in site.glob("*.html") if p.name not in own)


def test_index_links_every_declared_page(built_site, demo_data):
    index = (built_site / "index.html").read_text(encoding="utf-8")
    for page in load_pages(layout=DataLayout.at(demo_data)):
        assert f'href="{page.html_name}"' in index, page.name
        assert (built_site / page.html_name).exists(), page.name


def test_no_page_loads_anything_from_the_network(built_site):
    for page in [*pages(built_site), built_site / "index.html"]:
        text = page.read_text(encoding="utf-8")
        assert not REMOTE.findall(text), (page.name, REMOTE.findall(text)[:3])
        assert "cdn.plot.ly" not in text and "cdnjs" not in text, page.name
    assert (built_site / "assets" / "plotly.min.js").stat().st_size > 1_000_000


def test_plotly_js_and_the_notebook_style_are_written_once_not_per_page(built_site):
    style = (built_site / "assets" / "notebook.css").read_text(encoding="utf-8")
    assert ".jp-OutputArea" in style and "--jp-content-font-color1" in style
    for page in pages(built_site):
        assert page.stat().st_size < 1_500_000, f"{page.name} inlines too much"
        text = page.read_text(encoding="utf-8")
        assert text.count('src="assets/plotly.min.js"') == 1, page.name
        assert text.count('href="assets/notebook.css"') == 1, page.name
        # Only the code-highlighting style (≈5 kB) stays inline, not the 260 kB of the notebook's.
        inline = re.findall(r"<style.*?</style>", text.split("</head>", 1)[0], flags=re.DOTALL)
        assert sum(map(len, inline)) < 10_000, f"{page.name} inlines the notebook style"


def test_every_page_contains_its_figures(built_site, demo_data):
    executed = demo_data / "build" / "executed"
    for page in pages(built_site):
        notebook = nbformat.read(executed / f"{page.stem}.ipynb", as_version=4)
        figures = sum(
            PLOTLY_MIMETYPE in out.get("data", {})
            for cell in notebook.cells
            if cell.cell_type == "code"
            for out in cell.get("outputs", [])
        )
        html = page.read_text(encoding="utf-8")
        hidden = "tuloksia ei näytetä" in html  # a scope under the privacy threshold
        text_only = page.stem.startswith("45_asiakirja--")  # a document's page is its text
        assert figures > 0 or hidden or text_only, f"{page.stem} shows no figure"
        assert html.count('class="plotly-graph-div"') == figures, page.name
        assert html.count("Plotly.newPlot(") == figures, page.name


def test_demo_banner_and_footer_on_every_page(built_site):
    assert BANNER in (built_site / "index.html").read_text(encoding="utf-8")
    for page in pages(built_site):
        text = page.read_text(encoding="utf-8")
        assert BANNER in text, page.name
        assert "Tietoja sivusta" in text and "tilannekuva 0." in text, page.name


def test_code_is_hidden(built_site):
    for page in pages(built_site):
        text = page.read_text(encoding="utf-8")
        assert not CODE_BLOCK.search(text), page.name
        assert "from tilannekuva" not in text and "PageData(" not in text, page.name


def test_executed_notebooks_are_papermill_notebooks(demo_data):
    for path in (demo_data / "build" / "executed").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert "papermill" in notebook.metadata
        tags = [c.metadata.get("tags", []) for c in notebook.cells]
        assert ["injected-parameters"] in tags, path.name
        params = json.dumps(notebook.metadata["papermill"]["parameters"])
        assert "data_dir" in params


def test_build_twice_in_a_row(built_site, demo_data):
    first = (built_site / "index.html").read_text(encoding="utf-8")
    result = run_cli("build", "--data", str(demo_data), "--out", str(built_site))
    assert result.returncode == 0, result.stderr
    assert (built_site / "index.html").exists()
    # The demo's extra survey and documents have their pages (`each:` over the data directory).
    assert len(pages(built_site)) == len(load_pages(layout=DataLayout.at(demo_data)))
    assert first.count("<li>") == (built_site / "index.html").read_text(encoding="utf-8").count(
        "<li>"
    )


MAP_TRACES = {
    "scattergeo",
    "choropleth",
    "scattermapbox",
    "choroplethmapbox",
    "densitymapbox",
    "scattermap",
    "choroplethmap",
    "densitymap",
}


def test_no_figure_refers_to_a_remote_map_resource(built_site, demo_data):
    executed = demo_data / "build" / "executed"
    maps = 0
    for page in pages(built_site):
        notebook = nbformat.read(executed / f"{page.stem}.ipynb", as_version=4)
        for cell in notebook.cells:
            for out in cell.get("outputs", []):
                figure = out.get("data", {}).get(PLOTLY_MIMETYPE)
                if figure is None:
                    continue
                text = json.dumps(figure)
                assert not {t.get("type") for t in figure["data"]} & MAP_TRACES, page.name
                assert "topojson" not in text and "mapbox" not in text, page.name
                maps += "kunnittain" in json.dumps(figure["layout"].get("title", ""))
    assert maps > 0  # the field pages do draw maps, from our own coordinates


def test_card_of_a_municipality_with_too_few_respondents_shows_no_survey_figures(
    built_site, demo_data
):
    from tilannekuva.analysis.scopes import Scope, latest_round
    from tilannekuva.settings import Settings
    from tilannekuva.store import read_table

    settings = Settings.from_data_dir(demo_data)
    survey = latest_round(read_table(settings.layout, "survey"), settings)
    names = dict(
        zip(
            settings.region.municipalities["code"],
            settings.region.municipalities["name"],
            strict=True,
        )
    )
    reasons = {code: survey.hidden_reason(Scope("municipality_code", code)) for code in names}
    assert "small" in reasons.values() and "protects" in reasons.values()
    for code, reason in reasons.items():
        text = (built_site / f"50_kuntakortti--kunta-{code}.html").read_text(encoding="utf-8")
        if reason is None:
            n = survey.n(Scope("municipality_code", code))
            assert f"Kyselyyn vastasi kunnasta {n} toimijaa" in text, code
            continue
        # The true reason, and no survey figure of the municipality, not even its n.
        expected = "vastanneita on alle 5" if reason == "small" else "pienemmän ryhmän"
        assert expected in text, (code, reason)
        assert "Kyselyyn vastasi kunnasta" not in text, code
        assert f"Kehittämisen painopisteet: {names[code]}" not in text, code
        assert "Kehittämisen painopisteet: Keski-Suomi" in text, code


def test_key_messages_link_to_elements_that_exist(built_site, demo_data):
    from tilannekuva.analysis.priorities import priorities
    from tilannekuva.analysis.scopes import latest_round
    from tilannekuva.settings import Settings
    from tilannekuva.store import read_table

    settings = Settings.from_data_dir(demo_data)
    expected = priorities(latest_round(read_table(settings.layout, "survey"), settings).items())
    overview = (built_site / "00_yleiskuva.html").read_text(encoding="utf-8")
    links = re.findall(r'<li class="tk-message"><a href="([^"#]+)#([^"]+)"', overview)
    # A first build has survey results only: the main survey's priorities, each linking to
    # its own table row, and other surveys' clear results on an item (at most two per
    # survey), each linking to its chart, all in one order (knowledge.messages).
    priority_links = [e for p, e in links if p == "20_kysely.html"]
    assert set(priority_links) <= {f"asia-{i}" for i in expected["item"]}
    assert priority_links, "the demo's clear priorities get places"
    others = [p for p, _ in links if p != "20_kysely.html"]
    assert all(p.startswith("25_muu_kysely--") for p in others)
    assert all(others.count(p) <= 2 for p in others)
    for page, element in links:
        target = (built_site / page).read_text(encoding="utf-8")
        assert f'id="{element}"' in target, (page, element)


def _num(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def test_region_priorities_match_an_independent_recomputation(built_site, demo_data):
    """Means, t intervals, order and rank ranges recomputed with scipy from processed data."""
    import numpy as np
    from scipy import stats
    from tilannekuva.formats import fi_interval
    from tilannekuva.paths import DataLayout
    from tilannekuva.questionnaire import load_questionnaire
    from tilannekuva.store import read_table

    page = (built_site / "20_kysely.html").read_text(encoding="utf-8")
    body = page.split('id="taulukko-painopisteet"', 1)[1].split("</tbody>", 1)[0]
    shown = [
        re.findall(r"<td[^>]*>([^<]*)</td>", row)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    ]
    shown = [row for row in shown if row]
    survey = read_table(DataLayout.at(demo_data), "survey")
    questionnaire = load_questionnaire()
    labels = {row.display: row.id for row in questionnaire.rows("importance")}
    pairs = {}
    for item in labels.values():
        frame = survey[[f"{item}__importance", f"{item}__state"]].astype(float).dropna()
        pairs[item] = frame
    gaps = {item: f.iloc[:, 0] - f.iloc[:, 1] for item, f in pairs.items()}
    assert len(shown) == len(labels) == 13
    previous = np.inf
    for rank_label, label, _priority, importance, state, gap_text, n in shown:
        item = labels[label]
        gap = gaps[item].to_numpy()
        mean, sd = gap.mean(), gap.std(ddof=1)
        half = stats.t.ppf(0.975, len(gap) - 1) * sd / np.sqrt(len(gap))
        # Importance and state from the same respondents; the gap is their rounded difference.
        imp, st = pairs[item].iloc[:, 0].mean(), pairs[item].iloc[:, 1].mean()
        assert _num(importance) == pytest.approx(imp, abs=0.0051)  # shown to 2 decimals
        assert _num(state) == pytest.approx(st, abs=0.0051)
        # The gap shown is exactly the difference of the two means shown beside it.
        shown_gap, interval = gap_text.split(" ", 1)
        assert _num(shown_gap.replace("\u2212", "-")) == pytest.approx(
            _num(importance) - _num(state), abs=1e-9
        ), label
        assert interval == f"({fi_interval(mean - half, mean + half, 2)})", label
        assert int(n) == len(gap)
        assert mean <= previous + 1e-12  # largest gap first
        previous = mean
        # Rank range: 1 + items clearly larger … k − items clearly smaller (paired t, 5 %).
        larger = smaller = 0
        for other in labels.values():
            if other == item:
                continue
            result = stats.ttest_rel(
                survey[f"{other}__importance"].astype(float)
                - survey[f"{other}__state"].astype(float),
                survey[f"{item}__importance"].astype(float)
                - survey[f"{item}__state"].astype(float),
                nan_policy="omit",
            )
            if result.pvalue < 0.05:
                larger += result.statistic > 0
                smaller += result.statistic < 0
        low, high = 1 + larger, 13 - smaller
        assert rank_label == (str(low) if low == high else f"{low}–{high}"), label


def test_site_pages_link_each_other(built_site):
    """Header sections, the landing page's finder, a municipality's own links."""
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert "<h1>" in index and 'id="kuntakortit"' in index
    assert index.count("<option value=") >= 2 * 22  # the finder, in the header and on the page
    for page in [*pages(built_site), built_site / "menetelmat.html"]:
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'<nav[^>]*class="tk-nav".*?</nav>', text, re.S)[0].split('href="')[
            1:
        ]:
            target = href.split('"', 1)[0].split("#", 1)[0]
            assert (built_site / target).exists(), (page.name, target)
    field = (built_site / "10_jarjestokentta--kunta-179.html").read_text(encoding="utf-8")
    related = re.search(r'<nav[^>]*class="tk-related".*?</nav>', field, re.S).group(0)
    for target in re.findall(r'href="([^"]+)"', related):
        assert (built_site / target).exists(), target
    assert "50_kuntakortti--kunta-179.html" in related and "20_kysely--seutukunta-" in related


def test_methods_page_and_accessibility_statement(built_site, demo_data):
    methods = (built_site / "menetelmat.html").read_text(encoding="utf-8")
    for anchor in ("luottamusvali", "sija", "ryhmaerot", "tietosuoja", "kattavuus", "lahteet"):
        assert f'id="{anchor}"' in methods
    statement = (built_site / "saavutettavuus.html").read_text(encoding="utf-8")
    assert "mailto:tilannekuva@example.fi" in statement  # from data/config/site.yaml


def test_readers_see_no_raw_codes_outside_the_technical_block(built_site):
    for page in pages(built_site):
        text = page.read_text(encoding="utf-8")
        visible = re.sub(r'<details class="tk-technical">.*?</details>', "", text, flags=re.S)
        visible = re.sub(r"<(script|style)\b.*?</\1>", "", visible, flags=re.S)
        visible = re.sub(r"<[^>]+>", " ", visible)  # attribute values are not shown
        assert "MK13" not in visible, page.name
        assert "data_dir" not in visible and "/tmp/" not in visible, page.name
