"""A markdown edit re-renders the page from its stored outputs; code, parameters or data execute."""

from __future__ import annotations

import json
from pathlib import Path

import jupytext
import pytest
from tilannekuva.batch.execution_cache import execution_key, merge_prose

from tests.conftest import run_cli

NOTEBOOK = """# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %% [markdown]
# {text}

# %%
import json
from pathlib import Path

# Every execution leaves a line: the test counts the kernel's runs, not the build's word.
with open(Path(data_dir) / "runs.txt", "a", encoding="utf-8") as log:
    log.write("run\\n")
value = json.loads((Path(data_dir) / "processed" / "extra.json").read_text())["value"]
print("{label}", value)
"""

PAGES = """pages:
  - notebook: 30_avoimet
    group: Testi
    title: Avoimet
    reads: [extra]
"""


def _write(folder: Path, text: str, label: str) -> None:
    notebook = NOTEBOOK.format(text=text, label=label)
    (folder / "30_avoimet.py").write_text(notebook, encoding="utf-8")


@pytest.mark.notebooks
def test_markdown_edit_reuses_outputs_and_code_or_data_edits_execute(tmp_path):
    folder, data, site = tmp_path / "notebooks", tmp_path / "data", tmp_path / "site"
    folder.mkdir()
    (data / "processed").mkdir(parents=True)
    (folder / "pages.yaml").write_text(PAGES, encoding="utf-8")
    extra = data / "processed" / "extra.json"
    extra.write_text(json.dumps({"value": "ensimmäinen"}), encoding="utf-8")
    runs = data / "runs.txt"
    page = site / "30_avoimet.html"
    common = ["--data", str(data), "--out", str(site), "--pages", str(folder / "pages.yaml")]

    def build() -> str:
        run_cli("build", *common, "--only", "30_avoimet", check=True)
        return page.read_text(encoding="utf-8")

    _write(folder, "Alkuperäinen teksti.", "tulos")
    html = build()
    assert runs.read_text().count("run") == 1
    assert "Alkuperäinen teksti." in html and "tulos ensimmäinen" in html

    # Markdown only: the new text is on the page with the stored output, no kernel ran.
    _write(folder, "Muokattu selitys.", "tulos")
    html = build()
    assert runs.read_text().count("run") == 1
    assert "Muokattu selitys." in html and "Alkuperäinen teksti." not in html
    assert "tulos ensimmäinen" in html

    # A code edit executes.
    _write(folder, "Muokattu selitys.", "uusi tulos")
    html = build()
    assert runs.read_text().count("run") == 2
    assert "uusi tulos ensimmäinen" in html

    # A data change executes.
    extra.write_text(json.dumps({"value": "toinen"}), encoding="utf-8")
    html = build()
    assert runs.read_text().count("run") == 3
    assert "uusi tulos toinen" in html

    # --force executes even when nothing changed.
    run_cli("build", *common, "--only", "30_avoimet", "--force", check=True)
    assert runs.read_text().count("run") == 4


def _notebook(text: str, code: str = "x = 1"):
    source = (
        f'# %% tags=["parameters"]\nregion = "MK13"\n\n# %% [markdown]\n# {text}\n\n# %%\n{code}\n'
    )
    return jupytext.reads(source, fmt="py:percent")


def test_the_execution_key_leaves_out_markdown_and_covers_code_parameters_modules_inputs():
    parameters, inputs = {"region": "MK13"}, {"survey.parquet": "abc"}
    key = execution_key(_notebook("Teksti."), parameters, "v1", inputs, "tilannekuva")
    assert execution_key(_notebook("Toinen."), parameters, "v1", inputs, "tilannekuva") == key
    different = [
        execution_key(_notebook("Teksti.", "x = 2"), parameters, "v1", inputs, "tilannekuva"),
        execution_key(_notebook("Teksti."), {"region": "MK01"}, "v1", inputs, "tilannekuva"),
        execution_key(_notebook("Teksti."), parameters, "v2", inputs, "tilannekuva"),
        execution_key(
            _notebook("Teksti."), parameters, "v1", {"survey.parquet": "d"}, "tilannekuva"
        ),
        execution_key(_notebook("Teksti."), parameters, "v1", inputs, "other-kernel"),
    ]
    tagged = _notebook("Teksti.")
    tagged.cells[2].metadata["tags"] = ["remove-output"]
    different.append(execution_key(tagged, parameters, "v1", inputs, "tilannekuva"))
    assert key not in different and len(set(different)) == len(different)


def test_merge_keeps_outputs_and_injected_parameters_and_takes_the_new_prose():
    import nbformat

    executed = _notebook("Vanha.")
    executed.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    injected = nbformat.v4.new_code_cell('region = "MK13"')
    injected.metadata["tags"] = ["injected-parameters"]
    executed.cells.insert(1, injected)
    merged = merge_prose(_notebook("Uusi."), executed)
    assert [c.cell_type for c in merged.cells] == ["code", "code", "markdown", "code"]
    assert merged.cells[1].metadata["tags"] == ["injected-parameters"]
    assert merged.cells[2].source == "Uusi."
    assert merged.cells[3].outputs[0].text == "1\n"
    # Code that differs from what ran is never merged (the page executes instead).
    assert merge_prose(_notebook("Uusi.", "x = 2"), executed) is None
