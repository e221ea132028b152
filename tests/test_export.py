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
