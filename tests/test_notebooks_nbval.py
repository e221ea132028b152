"""Every notebook runs top to bottom as an analyst runs it: default parameters, nbval lax mode.

The notebooks' default ``data_dir = "../data"`` is relative to ``notebooks/``; here
the notebooks are converted to ``.ipynb`` in a temporary ``notebooks/`` next to a
``data`` folder holding the demo, so the parameters cell runs unchanged. nbval
starts each notebook's own kernel (``tilannekuva``) in the notebook's folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.py"))

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def analyst_folder(demo_data: Path, tmp_path_factory) -> Path:
    """``notebooks/`` as ``.ipynb`` beside ``data/`` (the demo), as in a clone."""
    root = tmp_path_factory.mktemp("analyst")
    (root / "data").symlink_to(demo_data, target_is_directory=True)
    folder = root / "notebooks"
    folder.mkdir()
    for name in NOTEBOOKS:
        notebook = jupytext.read(ROOT / "notebooks" / f"{name}.py")
        nbformat.write(notebook, folder / f"{name}.ipynb")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return folder


def test_every_notebook_is_tested():
    """Every notebook the site declares runs here (and none is left out by its name)."""
    from tilannekuva.batch.pages import PAGES_FILE
    from tilannekuva.yamlfile import load_yaml

    declared = {entry["notebook"] for entry in load_yaml(PAGES_FILE)["pages"]}
    assert set(NOTEBOOKS) == declared and len(NOTEBOOKS) >= 8, NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_with_its_default_parameters(analyst_folder: Path, name: str):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-p",
            "no:cacheprovider",
            "-q",
            f"{name}.ipynb",
        ],
        cwd=analyst_folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    # Lax mode still runs every cell: one nbval item per code cell, all passed.
    code_cells = sum(
        c.cell_type == "code" for c in jupytext.read(ROOT / "notebooks" / f"{name}.py").cells
    )
    assert f"{code_cells} passed" in result.stdout, result.stdout[-2000:]
