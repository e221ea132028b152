"""The reader's view of an executed notebook, before nbconvert renders it."""

from __future__ import annotations

import copy

import nbformat
from tilannekuva.charts.render import PLOTLY_MIMETYPE
from tilannekuva.site.export import reader_view


def executed_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("fig")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<div>kuva</div>", PLOTLY_MIMETYPE: {"data": [{"y": [1, 2]}]}},
        ),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: jotain\n"),
        nbformat.v4.new_output("stream", name="stdout", text="tuloste\n"),
        nbformat.v4.new_output("error", ename="ValueError", evalue="vastaus", traceback=[]),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Otsikko"), cell]
    return nb


def test_the_reader_view_keeps_what_the_page_shows_and_nothing_else():
    notebook = executed_notebook()
    before = copy.deepcopy(notebook)
    view = reader_view(notebook)
    outputs = view.cells[1].outputs
    assert [o.output_type for o in outputs] == ["display_data", "stream"]
    assert outputs[0].data == {"text/html": "<div>kuva</div>"}  # plotly's JSON is not shown
    assert outputs[1].name == "stdout"
    assert view.cells[0].source == "# Otsikko"
    nbformat.validate(view)
    assert notebook == before  # the executed notebook itself is untouched


# --- figure and table blocks, their downloads, the page's basics ---

import csv  # noqa: E402
import io  # noqa: E402

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import pytest  # noqa: E402
from tilannekuva.pages.present import TABLE_MIMETYPE, FigureBlock, TableBlock  # noqa: E402
from tilannekuva.site.downloads import write_downloads  # noqa: E402

MARKER = "alle 5"  # what a suppressed cell shows


def block_notebook(*blocks) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("block")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data=b._repr_mimebundle_()) for b in blocks
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Otsikko"), cell]
    return nb


def sample_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"Ryhmä": ["Kulttuuri", "Liikunta"], "Keskiarvo": [2.5, MARKER], "n": [12, 3]}
    )


def test_a_figure_block_is_a_captioned_figure_with_a_table_and_downloads():
    fig = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
    block = FigureBlock(fig, "Keskiarvot ryhmittäin", "Kulttuuri 2,5.", sample_frame(), "ryhmat")
    bundle = block._repr_mimebundle_()
    page = bundle["text/html"]
    assert page.startswith('<figure class="tk-block" id="kuvio-ryhmat">')
    assert "<figcaption>Keskiarvot ryhmittäin</figcaption>" in page
    assert 'class="plotly-graph-div"' in page
    assert "<details><summary>Kuvion tiedot taulukkona</summary>" in page
    assert "<td>alle 5</td>" in page and '<td class="num">' not in page  # numeric=() given
    assert 'href="tk-data:ryhmat.csv"' in page and 'href="tk-data:ryhmat.xlsx"' in page
    assert bundle[TABLE_MIMETYPE]["rows"] == [["Kulttuuri", 2.5, 12], ["Liikunta", MARKER, 3]]


def test_figure_calls_reach_the_chart_and_the_data_is_a_frame():
    fig = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
    block = FigureBlock(fig, "Kuvio", "Yhteenveto.", sample_frame(), "kuvio")
    assert block.update_traces(marker_color="#000000") is block  # chains like a figure
    block.update_layout(title="Oma otsikko")
    assert block.fig.data[0].marker.color == "#000000"
    assert block.fig.layout.title.text == "Oma otsikko"
    assert "Oma otsikko" in block._repr_mimebundle_()["text/html"]
    assert list(block.data.columns) == ["Ryhmä", "Keskiarvo", "n"]
    assert repr(block).startswith("Kuvio: Kuvio")  # no frame dump in the notebook's text output


def test_a_table_shows_its_own_view_and_downloads_numbers_with_fixed_decimals():
    frame = pd.DataFrame({"Asia": ["a", "b"], "Ero": [2.25, MARKER], "n": [236, MARKER]})
    shown = pd.DataFrame({"Asia": ["a", "b"], "Ero (95 %)": ["2,25 (2,10…2,41)", "–"]})
    block = TableBlock(frame, "Erot", "erot", numeric=("Ero", "n"), shown=shown)
    bundle = block._repr_mimebundle_()
    assert "2,25 (2,10…2,41)" in bundle["text/html"] and ">236<" not in bundle["text/html"]
    assert bundle[TABLE_MIMETYPE]["rows"] == [["a", 2.25, 236], ["b", MARKER, MARKER]]
    fixed = TableBlock(frame, "Erot", "erot", numeric=("Ero", "n"), decimals={"Ero": 2, "n": 0})
    page = fixed._repr_mimebundle_()["text/html"]
    assert '<td class="num">2,25</td>' in page and '<td class="num">236</td>' in page


def test_a_block_refuses_a_slug_that_is_no_file_name():
    with pytest.raises(ValueError, match="slug"):
        TableBlock(sample_frame(), "Taulukko", "Ryhmät ja n")


def test_downloads_open_in_finnish_excel_and_keep_the_suppression_marker(tmp_path):
    block = TableBlock(
        sample_frame(),
        "Keskiarvot",
        "keskiarvot",
        numeric=("Keskiarvo", "n"),
        n=15,
        date="2026-11-01",
    )
    written = write_downloads(tmp_path, "20_kysely", block_notebook(block))
    csv_path = tmp_path / "data" / "20_kysely--keskiarvot.csv"
    assert written == [csv_path, csv_path.with_suffix(".xlsx")]
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Ryhmä",
        "Keskiarvo (n = 15; aineisto 1.11.2026)",
        "n (n = 15; aineisto 1.11.2026)",
    ]
    assert rows[1] == ["Kulttuuri", "2,5", "12"]  # decimal comma
    assert rows[2] == ["Liikunta", MARKER, "3"]  # never the hidden number
    sheet = openpyxl.load_workbook(csv_path.with_suffix(".xlsx"))["Tiedot"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["Kulttuuri", 2.5, 12] and values[2] == ["Liikunta", MARKER, 3]


def test_a_rendered_page_is_finnish_and_its_download_links_name_the_page():
    from tilannekuva.region import PROJECT_REFERENCE, read_region
    from tilannekuva.site.export import PageInfo, render_page

    block = TableBlock(sample_frame(), "Keskiarvot", "keskiarvot")
    region = read_region(PROJECT_REFERENCE)
    info = PageInfo(
        "Kyselyn tulokset: Keski-Suomi", {"region": "MK13"}, True, "1.11.2026 klo 9.00", region
    )
    page = render_page(block_notebook(block), info, "20_kysely")
    assert '<html lang="fi">' in page
    assert "<title>Kyselyn tulokset: Keski-Suomi – Järjestökentän tilannekuva</title>" in page
    assert 'href="data/20_kysely--keskiarvot.csv"' in page and "tk-data:" not in page
    assert '<a class="tk-skip" href="#sisalto">' in page and '<main id="sisalto"' in page
    # Parameters only inside the collapsed technical block.
    before, technical = page.split('<details class="tk-technical">', 1)
    assert "MK13" not in before and "MK13" in technical
