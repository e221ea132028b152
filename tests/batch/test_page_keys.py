"""A page's key covers what the page can reach, and only that (issue #18, fast edit loop)."""

from __future__ import annotations

import shutil
from pathlib import Path

import jupytext
import pytest
from tilannekuva.batch import manifest
from tilannekuva.batch.deps import PACKAGE_DIR, imported_modules, notebook_code, page_dependencies
from tilannekuva.batch.manifest import page_code_version
from tilannekuva.paths import NOTEBOOKS, PROJECT_DATA, DataLayout

NOTEBOOK_NAMES = (
    "00_yleiskuva",
    "10_jarjestokentta",
    "20_kysely",
    "30_avoimet",
    "40_painopisteet",
    "50_kuntakortti",
)


def dependencies(notebook: str):
    cells = jupytext.read(NOTEBOOKS / f"{notebook}.py").cells
    return page_dependencies([c.source for c in cells if c.cell_type == "code"])


def versions(layout: DataLayout) -> dict[str, str]:
    return {name: page_code_version(layout, dependencies(name)) for name in NOTEBOOK_NAMES}


@pytest.fixture
def layout(tmp_path: Path) -> DataLayout:
    """A data directory with its own copy of the configuration analysts edit."""
    shutil.copytree(PROJECT_DATA / "config", tmp_path / "config")
    return DataLayout.at(tmp_path)


def test_editing_themes_rebuilds_the_open_answers_page_and_leaves_field_and_survey_pages(layout):
    before = versions(layout)
    themes = layout.root / "config" / "themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = versions(layout)
    changed = {name for name in NOTEBOOK_NAMES if before[name] != after[name]}
    assert "30_avoimet" in changed
    assert not changed & {"10_jarjestokentta", "20_kysely", "50_kuntakortti"}


def test_a_setting_every_page_reads_rebuilds_every_page(layout):
    before = versions(layout)
    privacy = layout.root / "config" / "privacy.yaml"
    privacy.write_text("min_group_size: 6\n", encoding="utf-8")
    after = versions(layout)
    assert all(before[name] != after[name] for name in NOTEBOOK_NAMES)


def test_a_module_only_field_pages_import_rebuilds_them_not_the_survey_pages(layout, monkeypatch):
    field = PACKAGE_DIR / "pages" / "field.py"
    before = versions(layout)
    real = manifest.hash_file
    monkeypatch.setattr(
        manifest, "hash_file", lambda path: "edited" if path == field else real(path)
    )
    after = versions(layout)
    changed = {name for name in NOTEBOOK_NAMES if before[name] != after[name]}
    # The field pages and the cards (which show field figures) import it; nothing else does.
    assert changed == {"10_jarjestokentta", "50_kuntakortti"}


def test_a_module_every_page_reaches_rebuilds_every_page(layout, monkeypatch):
    formats = PACKAGE_DIR / "formats.py"
    before = versions(layout)
    real = manifest.hash_file
    monkeypatch.setattr(
        manifest, "hash_file", lambda path: "edited" if path == formats else real(path)
    )
    after = versions(layout)
    assert all(before[name] != after[name] for name in NOTEBOOK_NAMES)


def test_a_template_of_the_renderer_counts_for_every_page():
    for name in NOTEBOOK_NAMES:
        suffixes = {p.suffix for p in dependencies(name).modules}
        assert ".j2" in suffixes and ".css" in suffixes, name


def test_an_import_inside_a_function_counts():
    # pages/field.py imports sources.population only inside a method.
    files = dependencies("10_jarjestokentta").modules
    assert PACKAGE_DIR / "sources" / "population.py" in files
    assert PACKAGE_DIR / "pages" / "open_answers.py" not in files


def test_relative_and_from_package_imports_resolve_to_modules():
    tree = notebook_code(["from tilannekuva.pages import field\n%matplotlib inline\n"])
    assert {"tilannekuva", "tilannekuva.pages", "tilannekuva.pages.field"} <= imported_modules(tree)
    import ast

    relative = ast.parse("from ..analysis import text\nfrom . import common\n")
    found = imported_modules(relative, "tilannekuva.pages.field")
    assert {"tilannekuva.analysis.text", "tilannekuva.pages.common"} <= found


def test_an_unparsable_notebook_depends_on_the_whole_package():
    everything = page_dependencies(["def broken(:\n"])
    assert PACKAGE_DIR / "pages" / "open_answers.py" in everything.modules
    assert PACKAGE_DIR / "pages" / "field.py" in everything.modules
