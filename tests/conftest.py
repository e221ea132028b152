"""Shared fixtures: one demo data directory and one built site per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "tilannekuva"]


def run_cli(*args: str, check: bool = False, **kwargs) -> subprocess.CompletedProcess:
    """Run the real command line as a user would."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        cwd=kwargs.pop("cwd", ROOT),
        env=env,
        **kwargs,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"tilannekuva {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> Path:
    """A data directory with the demo written and ingested through the real path."""
    data = tmp_path_factory.mktemp("demo-data")
    run_cli("demo", "--data", str(data), check=True)
    return data


@pytest.fixture(scope="session")
def built_site(demo_data: Path, tmp_path_factory) -> Path:
    """The whole site built from the demo data (the notebooks run in the project kernel)."""
    site = tmp_path_factory.mktemp("site") / "site"
    run_cli("build", "--data", str(demo_data), "--out", str(site), check=True)
    return site


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session, offline."""
    from tests.in_browser import OFFLINE_ARGS, chromium_executable

    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=OFFLINE_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browsed_site(request, browser) -> dict[str, dict]:
    """Every page of the built site (or of ``TK_TEST_SITE``) visited once in Chromium."""
    from tests.in_browser import visit_every_page

    given = os.environ.get("TK_TEST_SITE")
    site = Path(given) if given else request.getfixturevalue("built_site")
    return visit_every_page(browser, site)
