"""Notebooks are jupytext percent pairs with a parameters cell matching their schema."""

from __future__ import annotations

import ast
import subprocess

import jupytext
import pytest
from tilannekuva.batch.pages import PAGES_FILE, load_pages
from tilannekuva.batch.params import SCHEMAS
from tilannekuva.yamlfile import load_yaml

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def test_no_ipynb_with_outputs_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "*.ipynb"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    for path in tracked:
        notebook = jupytext.read(ROOT / path)
        assert not any(c.get("outputs") for c in notebook.cells), f"{path} has outputs"


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_name.py found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_matches_schema(path):
    notebook = jupytext.read(path)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell tagged 'parameters'"
    values = {}
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign), f"{path.name}: parameters cell holds only assignments"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    schema = SCHEMAS[path.stem]
    assert set(values) == set(schema.model_fields), (
        path.name,
        set(values) ^ set(schema.model_fields),
    )
    defaults = {name: field.default for name, field in schema.model_fields.items()}
    assert values == defaults, f"{path.name}: parameter defaults differ from the schema"


def test_every_notebook_is_declared_as_a_page():
    # Pages per ingested document or other survey (`each: document | survey`) exist only
    # with those data: the notebooks are declared all the same.
    declared = {p.notebook for p in load_pages()}
    # A page per ingested document (`each: document`) exists only with documents: declared here.
    declared |= {entry["notebook"] for entry in load_yaml(PAGES_FILE)["pages"]}
    assert {p.stem for p in NOTEBOOKS} == declared
