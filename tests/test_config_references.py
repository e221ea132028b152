"""References between configuration files are checked, with the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tilannekuva.analysis import text
from tilannekuva.batch.pages import load_pages
from tilannekuva.errors import ConfigError
from tilannekuva.paths import DataLayout

from tests.conftest import ROOT, run_cli

THEMES = ROOT / "data" / "config" / "themes.yaml"


def _data_dir_with_themes(tmp_path: Path, edit) -> tuple[Path, Path]:
    """A data directory whose own themes.yaml is the project's, edited by ``edit``."""
    config = tmp_path / "data" / "config"
    config.mkdir(parents=True, exist_ok=True)
    path = config / "themes.yaml"
    path.write_text(edit(THEMES.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path / "data", path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_project_themes_name_only_items_of_the_questionnaire():
    book = text.load_themes()
    linked = {item for theme in book.themes.values() for item in theme.items}
    assert "i06_grants" in linked
    assert len(book.themes) >= 5


def test_mistyped_item_is_refused_with_line_and_suggestion(tmp_path):
    data, path = _data_dir_with_themes(
        tmp_path, lambda s: s.replace("items: [i06_grants]", "items: [i6_grants]", 1)
    )
    with pytest.raises(ConfigError) as err:
        text.load_themes(DataLayout.at(data))
    line = _line_of(path, "i6_grants")
    assert str(err.value) == (
        f"{path}: line {line}: theme 'rahoitus': unknown item 'i6_grants' "
        "(did you mean 'i06_grants'?)"
    )


def test_every_unknown_item_is_listed_and_a_goal_is_not_an_item(tmp_path):
    data, path = _data_dir_with_themes(
        tmp_path,
        lambda s: s.replace(
            "items: [i09_premises]", "items:\n      - i09_premises\n      - g1_role", 1
        ).replace("items: [i07_coordinator]", "items: [zzz]", 1),
    )
    with pytest.raises(ConfigError) as err:
        text.load_themes(DataLayout.at(data))
    message = str(err.value).splitlines()
    assert len(message) == 2, message
    assert message[0].startswith(f"{path}: line {_line_of(path, 'g1_role')}: theme 'tilat': ")
    assert "unknown item 'g1_role'" in message[0]
    assert message[1].startswith(f"{path}: line {_line_of(path, '[zzz]')}: theme 'koordinaatio'")
    assert "expected one of: i01_agreement" in message[1]


def test_build_stops_on_a_bad_theme_before_running_pages(tmp_path):
    run_cli("demo", "--data", str(tmp_path / "data"), check=True)
    data, path = _data_dir_with_themes(
        tmp_path, lambda s: s.replace("items: [i06_grants]", "items: [i6_grants]", 1)
    )
    out = tmp_path / "site"
    result = run_cli("build", "--data", str(data), "--out", str(out), timeout=120)
    assert result.returncode != 0
    assert f"line {_line_of(path, 'i6_grants')}: theme 'rahoitus'" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_unknown_notebook_in_pages_yaml_names_its_line(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    pages = notebooks / "pages.yaml"
    pages.write_text(
        pages.read_text(encoding="utf-8").replace("notebook: 20_kysely", "notebook: 20_kyselyy", 1),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_pages(pages)
    assert str(err.value).startswith(
        f"{pages}: line {_line_of(pages, '20_kyselyy')}: notebook '20_kyselyy' not found"
    )


KNOWLEDGE_BASE = ROOT / "data" / "config" / "knowledge_base.yaml"


def _knowledge_base(tmp_path: Path, edit) -> tuple[DataLayout, Path]:
    config = tmp_path / "kb" / "config"
    config.mkdir(parents=True)
    path = config / "knowledge_base.yaml"
    path.write_text(edit(KNOWLEDGE_BASE.read_text(encoding="utf-8")), encoding="utf-8")
    return DataLayout.at(tmp_path / "kb"), path


def test_knowledge_base_entry_unknown_to_the_questionnaire_names_file_and_line(tmp_path):
    from tilannekuva.knowledge.base import load_knowledge_base

    layout, path = _knowledge_base(
        tmp_path, lambda s: s.replace("\n  i05_rules:\n", "\n  i5_rules:\n", 1)
    )
    with pytest.raises(ConfigError) as err:
        load_knowledge_base(layout)
    lines = str(err.value).splitlines()
    unknown = next(line for line in lines if "'i5_rules'" in line)
    assert unknown.startswith(f"{path}: line {_line_of(path, 'i5_rules:')}: entry 'i5_rules': ")
    assert "unknown id" in unknown
    # The questionnaire's item now lacks its entry: named too, at its section's line.
    missing = next(line for line in lines if "'i05_rules'" in line)
    assert missing.startswith(f"{path}: line {_line_of(path, 'items:')}: entry 'i05_rules': ")


def test_knowledge_base_evidence_naming_an_unknown_item_names_its_line(tmp_path):
    from tilannekuva.knowledge.base import load_knowledge_base

    original = KNOWLEDGE_BASE.read_text(encoding="utf-8")
    first = next(line for line in original.splitlines() if line.strip().startswith("survey: [i"))
    wrong = first.replace("survey: [i", "survey: [x", 1)
    layout, path = _knowledge_base(tmp_path, lambda s: s.replace(first, wrong, 1))
    with pytest.raises(ConfigError) as err:
        load_knowledge_base(layout)
    (line,) = str(err.value).splitlines()
    assert line.startswith(f"{path}: line {_line_of(path, wrong.strip())}: entry '")
    assert "field 'evidence.survey[1]'" in line
    assert "not an item or goal id of the questionnaire" in line


def test_pages_file_naming_a_missing_notebook_names_its_line(tmp_path):
    pages = tmp_path / "pages.yaml"
    pages.write_text(
        "pages:\n  - notebook: 00_yleiskuva\n    title: A\n  - notebook: 99_puuttuu\n",
        encoding="utf-8",
    )
    (tmp_path / "00_yleiskuva.py").write_text("# %%\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_pages(pages)
    assert str(err.value).startswith(f"{pages}: line 4: notebook '99_puuttuu' not found")
