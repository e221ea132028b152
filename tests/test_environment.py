"""The two dependency declarations (pyproject.toml, environment.yml) agree."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT


def test_environment_yml_installs_the_project_and_pins_nothing_else():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    # Python: the same minor version as pyproject's requires-python.
    python = next(d for d in conda if d.startswith("python"))
    wanted = re.search(r">=\s*(\d+\.\d+)", pyproject["project"]["requires-python"]).group(1)
    assert python == f"python={wanted}", (python, wanted)
    # Packages come only from pyproject.toml: conda lists python and pip, pip the project.
    assert sorted(conda) == sorted([python, "pip"]), conda
    assert pip == ["-e .[dev]"], pip


def test_pyproject_declares_what_the_design_card_names():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {re.split(r"[<>=\[ ]", d)[0].lower() for d in pyproject["project"]["dependencies"]}
    for needed in [
        "jupyterlab",
        "pandas",
        "plotly",
        "geopandas",
        "papermill",
        "nbval",
        "nbconvert",
        "ipykernel",
        "pyarrow",
        "pandera",
        "typer",
        "jupytext",
        "openpyxl",
        "babel",
    ]:
        assert needed in names, needed
    for dep in pyproject["project"]["dependencies"]:
        assert ">=" in dep, f"{dep}: give a lower bound that works on Python 3.11"
