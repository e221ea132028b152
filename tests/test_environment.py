"""The two dependency declarations (pyproject.toml, environment.yml) agree."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

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


def _locked_names() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pins = [line.split("==") for line in lines if "==" in line and not line.startswith("#")]
    return {_normalised(name): version for name, version in pins}


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_lock_pins_every_declared_dependency_to_one_version():
    """`make` installs from requirements.lock: a dependency missing there is unpinned."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = (
        pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["dev"]
    )
    locked = _locked_names()
    missing = [d for d in declared if _normalised(re.split(r"[<>=\[ ;]", d)[0]) not in locked]
    assert not missing, f"not in requirements.lock (run `make lock`): {missing}"
    assert "tilannekuva" not in locked  # the project itself is installed editable


def test_jupyterlab_fits_the_finnish_language_pack():
    locked = _locked_names()
    pack = locked["jupyterlab-language-pack-fi-fi"]
    lab = locked["jupyterlab"]
    # The pack 4.5.postN translates JupyterLab 4.5.x.
    assert lab.split(".")[:2] == pack.split(".")[:2], (lab, pack)


def test_opening_and_saving_a_notebook_in_lab_leaves_the_file_as_it_was(tmp_path):
    """Lab saves through jupytext's contents manager: a round trip must not add version lines."""
    from jupytext.sync_contentsmanager import TextFileContentsManager

    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    manager = TextFileContentsManager(root_dir=str(notebooks))
    for source in sorted(notebooks.glob("*.py")):
        before = source.read_bytes()
        model = manager.get(source.name, type="notebook", content=True)
        assert model["content"]["metadata"]["kernelspec"]["name"] == "tilannekuva"
        manager.save({"type": "notebook", "content": model["content"]}, source.name)
        after = source.read_bytes()
        assert after == before, f"{source.name}: saving in JupyterLab changed the file"
        assert b"jupytext_version:" not in after


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str, token: str, deadline: float) -> dict:
    while True:
        try:
            request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def test_lab_opens_python_files_as_notebooks_in_finnish(tmp_path):
    """The settings `make` writes into the environment reach a running JupyterLab."""
    installed = Path(sys.prefix) / "share/jupyter/lab/settings/overrides.json"
    committed = ROOT / "jupyter/lab/settings/overrides.json"
    assert json.loads(installed.read_text()) == json.loads(committed.read_text()), "run `make`"
    port, token = _free_port(), "test-token"
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT / 'notebooks'}",
        "--allow-root",
    ]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path), "HOME": str(tmp_path)}
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        deadline = time.monotonic() + 120
        base = f"http://127.0.0.1:{port}/lab/api"
        viewer = _get_json(
            f"{base}/settings/@jupyterlab/docmanager-extension:plugin", token, deadline
        )
        assert viewer["schema"]["properties"]["defaultViewers"]["default"] == {
            "python": "Jupytext Notebook"
        }
        locale = _get_json(
            f"{base}/settings/@jupyterlab/translation-extension:plugin", token, deadline
        )
        assert locale["schema"]["properties"]["locale"]["default"] == "fi_FI"
        packs = _get_json(f"{base}/translations/", token, deadline)["data"]
        assert "fi_FI" in packs
        finnish = _get_json(f"{base}/translations/fi_FI", token, deadline)["data"]
        assert finnish["jupyterlab"]["Rename"] == ["Nimeä uudelleen"]
    finally:
        server.terminate()
        server.wait(timeout=30)
