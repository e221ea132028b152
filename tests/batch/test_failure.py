"""A failed page tells the analyst where, what, how to reproduce it, and where it was put."""

from __future__ import annotations

from pathlib import Path

import pytest
from tilannekuva.batch.build import BuildSettings, build_site
from tilannekuva.batch.progress import print_summary
from tilannekuva.paths import DataLayout

pytestmark = pytest.mark.notebooks

NOTEBOOK = """# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %%
import tilannekuva.charts  # noqa: F401

# %%
rows = [1, 2, 3]
total = sum(rows)
share = total / (0 if region == "FAIL" else 1)
print(share)
"""

PAGES = """pages:
  - notebook: 00_yleiskuva
    group: Testi
    title: "Sivu {label}"
    reads: []
    sets:
      - {name: ok, label: ok, region: MK13}
      - {name: bad, label: bad, region: FAIL}
"""


def test_a_failed_page_names_cell_line_error_parameters_and_quarantine(tmp_path: Path, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "00_yleiskuva.py").write_text(NOTEBOOK, encoding="utf-8")
    (folder / "pages.yaml").write_text(PAGES, encoding="utf-8")
    layout = DataLayout.at(tmp_path / "data")
    layout.processed.mkdir(parents=True)
    settings = BuildSettings(layout=layout, out=tmp_path / "site", pages_file=folder / "pages.yaml")

    result = build_site(settings)

    assert [o.page.name for o in result.failed] == ["00_yleiskuva--bad"]
    failure = result.failed[0].failure
    assert failure is not None
    assert failure.error.startswith("ZeroDivisionError")
    # The notebook's third code cell (papermill's injected cell not counted), its third line.
    assert (failure.cell, failure.line) == (3, 3)
    assert failure.source_line == 'share = total / (0 if region == "FAIL" else 1)'
    assert failure.quarantine == layout.quarantine / "00_yleiskuva--bad.ipynb"
    assert failure.quarantine.exists()

    # The parameters cell pastes into the notebook and gives back the page's parameters.
    cell = failure.parameters_cell()
    assert cell.splitlines()[0] == '# %% tags=["parameters"]'
    namespace: dict = {}
    exec(cell, namespace)
    assert namespace["region"] == "FAIL"
    assert namespace["data_dir"] == str(layout.root)
    assert namespace["demo"] is False

    print_summary(result)
    printed = capsys.readouterr().err
    assert "page 00_yleiskuva--bad failed: ZeroDivisionError" in printed
    assert "code cell 3, line 3" in printed
    assert 'share = total / (0 if region == "FAIL" else 1)' in printed
    assert "region = 'FAIL'" in printed
    assert str(failure.quarantine) in printed
    # The page that worked says nothing of the sort.
    assert "00_yleiskuva--ok failed" not in printed
