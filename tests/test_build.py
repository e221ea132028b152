"""The build's failure handling: a failing page never breaks or leaks into the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from tilannekuva.batch.build import BuildSettings, build_site
from tilannekuva.paths import DataLayout

pytestmark = pytest.mark.notebooks

NOTEBOOK = """# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %%
import plotly.graph_objects as go

import tilannekuva.charts  # noqa: F401  (the site renderer)

secret = "salainen-arvo-12345"
if region == "FAIL":
    raise ValueError("this page fails on purpose, carrying " + secret)
go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
"""

PAGES = """pages:
  - notebook: 00_yleiskuva
    group: Testi
    title: "Sivu {label}"
    sets:
      - {name: ok, label: ok, region: MK13}
      - {name: flaky, label: flaky, region: %s}
"""


def project(tmp_path: Path, flaky_region: str) -> BuildSettings:
    folder = tmp_path / "notebooks"
    folder.mkdir(exist_ok=True)
    (folder / "00_yleiskuva.py").write_text(NOTEBOOK, encoding="utf-8")
    (folder / "pages.yaml").write_text(PAGES % flaky_region, encoding="utf-8")
    layout = DataLayout.at(tmp_path / "data")
    layout.processed.mkdir(parents=True, exist_ok=True)
    return BuildSettings(layout=layout, out=tmp_path / "site", pages_file=folder / "pages.yaml")


def test_failed_page_is_quarantined_and_the_last_good_one_kept(tmp_path):
    first = build_site(project(tmp_path, "MK13"))
    assert first.ok
    site = tmp_path / "site"
    good = (site / "00_yleiskuva--flaky.html").read_text(encoding="utf-8")

    second = build_site(project(tmp_path, "FAIL"))
    assert not second.ok
    assert [o.page.name for o in second.failed] == ["00_yleiskuva--flaky"]
    assert "ValueError" in second.failed[0].error
    # The other page was rebuilt; the failed one still serves its last good version.
    assert (site / "00_yleiskuva--ok.html").exists()
    assert (site / "00_yleiskuva--flaky.html").read_text(encoding="utf-8") == good
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "sivun koonti epäonnistui" in index
    # The failing notebook (with its traceback and values) is quarantined outside the site.
    layout = DataLayout.at(tmp_path / "data")
    quarantined = layout.quarantine / "00_yleiskuva--flaky.ipynb"
    assert quarantined.exists()
    assert "salainen-arvo-12345" in quarantined.read_text(encoding="utf-8")
    assert not quarantined.resolve().is_relative_to(site.resolve())
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".ipynb"}:
            assert "salainen-arvo-12345" not in path.read_text(encoding="utf-8"), path


def test_failed_page_without_previous_version_is_marked_unavailable(tmp_path):
    result = build_site(project(tmp_path, "FAIL"))
    assert [o.page.name for o in result.failed] == ["00_yleiskuva--flaky"]
    site = tmp_path / "site"
    assert not (site / "00_yleiskuva--flaky.html").exists()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="00_yleiskuva--flaky.html"' not in index
    assert 'href="00_yleiskuva--ok.html"' in index
