"""The built site: every page linked, figures present, nothing from the network, demo banner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from tilannekuva.batch.pages import load_pages
from tilannekuva.charts.render import PLOTLY_MIMETYPE

from tests.conftest import run_cli

pytestmark = pytest.mark.notebooks

REMOTE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I
)
CODE_BLOCK = re.compile(r'class="[^"]*(?:jp-CodeMirrorEditor|hl-ipython3|jp-InputPrompt)')
BANNER = "Esimerkkiaineisto – ei todellisia vastauksia"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if p.name != "index.html")


def test_index_links_every_declared_page(built_site):
    index = (built_site / "index.html").read_text(encoding="utf-8")
    for page in load_pages():
        assert f'href="{page.html_name}"' in index, page.name
        assert (built_site / page.html_name).exists(), page.name


def test_no_page_loads_anything_from_the_network(built_site):
    for page in [*pages(built_site), built_site / "index.html"]:
        text = page.read_text(encoding="utf-8")
        assert not REMOTE.findall(text), (page.name, REMOTE.findall(text)[:3])
        assert "cdn.plot.ly" not in text and "cdnjs" not in text, page.name
    assert (built_site / "assets" / "plotly.min.js").stat().st_size > 1_000_000


def test_plotly_js_is_written_once_not_per_page(built_site):
    for page in pages(built_site):
        assert page.stat().st_size < 1_500_000, f"{page.name} inlines too much"
        text = page.read_text(encoding="utf-8")
        assert text.count('src="assets/plotly.min.js"') == 1, page.name


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
        assert figures > 0 or hidden, f"{page.stem} shows no figure"
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
    assert len(pages(built_site)) == len(load_pages())
    assert first.count("<li>") == (built_site / "index.html").read_text(encoding="utf-8").count(
        "<li>"
    )
