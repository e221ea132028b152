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
    reads: []
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


READS_PAGES = """pages:
  - notebook: 00_yleiskuva
    group: Testi
    title: "Sivu {label}"
    reads: [alpha]
    sets:
      - {name: a, label: a, region: MK13}
  - notebook: 00_yleiskuva
    group: Testi
    title: "Toinen {label}"
    reads: [beta]
    sets:
      - {name: b, label: b, region: MK13}
"""


def _write_table(layout: DataLayout, name: str, values: list[int]) -> None:
    import pandas as pd

    pd.DataFrame({"value": values}).to_parquet(layout.processed / f"{name}.parquet")


def test_touching_one_input_rebuilds_exactly_the_pages_that_read_it(tmp_path):
    settings = project(tmp_path, "MK13")
    settings.pages_file.write_text(READS_PAGES, encoding="utf-8")
    _write_table(settings.layout, "alpha", [1, 2])
    _write_table(settings.layout, "beta", [3, 4])

    first = build_site(settings)
    assert first.ok
    assert {o.page.name: o.status for o in first.outcomes} == {
        "00_yleiskuva--a": "built",
        "00_yleiskuva--b": "built",
    }
    # Nothing changed: nothing is executed again.
    again = build_site(settings)
    assert {o.status for o in again.outcomes} == {"reused"}

    _write_table(settings.layout, "beta", [3, 5])
    third = build_site(settings)
    assert third.ok
    assert {o.page.name: o.status for o in third.outcomes} == {
        "00_yleiskuva--a": "reused",
        "00_yleiskuva--b": "built",
    }
    # The reused page is still published next to the rebuilt one.
    site = tmp_path / "site"
    assert (site / "00_yleiskuva--a.html").exists() and (site / "00_yleiskuva--b.html").exists()

    forced = build_site(
        BuildSettings(
            layout=settings.layout, out=settings.out, pages_file=settings.pages_file, force=True
        )
    )
    assert {o.status for o in forced.outcomes} == {"built"}
