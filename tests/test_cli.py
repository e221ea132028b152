"""The command line keeps the contract of cli.md: exit codes and clear errors."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from tilannekuva.paths import PROJECT_DATA

from tests.conftest import run_cli


def test_unknown_command_exits_2_with_usage():
    result = run_cli("nonsense")
    assert result.returncode == 2
    assert "Usage" in result.stderr


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("demo", "ingest", "fetch", "build", "check-site"):
        assert command in result.stdout


def test_missing_input_file_is_one_clear_line(tmp_path):
    result = run_cli("ingest", "survey", str(tmp_path / "nope.csv"), "--data", str(tmp_path))
    assert result.returncode == 1
    assert "nope.csv: file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_without_data_says_what_to_ingest_and_creates_nothing(tmp_path):
    result = run_cli("build", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "has no survey and no associations table" in result.stderr
    assert "tilannekuva ingest survey FILE" in result.stderr
    assert "tilannekuva demo" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "empty").exists()  # a mistyped --data is not created
    assert not (tmp_path / "site").exists()


def test_bad_param_override_is_a_usage_error(demo_data, tmp_path):
    result = run_cli(
        "build",
        "--data",
        str(demo_data),
        "--out",
        str(tmp_path / "s"),
        "--only",
        "00_yleiskuva",
        "--param",
        "regoin=MK13",
    )
    assert result.returncode == 2
    assert "regoin" in result.stderr
    assert not (tmp_path / "s").exists()


# -- configuration files: one line naming file, line and key, before any work ----------------

SURVEY_EXPORT = "raw/demo/kysely_vastaukset_demo.xlsx"


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _duplicate_first_key(source: Path, section: str) -> tuple[str, int, str]:
    """The file's text with the first entry under ``section:`` written twice; (text, line, key)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{section}:")
    first = start + 1
    indent = len(lines[first]) - len(lines[first].lstrip())
    end = first + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    block = lines[first:end]
    key = lines[first].strip().removeprefix("- ").split(":")[0]
    text = "\n".join([*lines[:end], *block, *lines[end:]]) + "\n"
    return text, end + 1, key


def _bad_config(kind: str) -> tuple[str, str, str, str]:
    """(file under config/, its text, the line the message must name, the key it must name)."""
    if kind == "privacy-word":
        return "privacy.yaml", "min_group_size: viisi\n", "line 1", "min_group_size"
    if kind == "privacy-two":
        return "privacy.yaml", "# kynnys\nmin_group_size: 2\n", "line 2", "min_group_size"
    if kind == "privacy-invalid-yaml":
        return "privacy.yaml", "min_group_size: [5\n", "line 2", "min_group_size"
    if kind == "themes-duplicate":
        text, line, key = _duplicate_first_key(PROJECT_DATA / "config/themes.yaml", "themes")
        return "themes.yaml", text, f"line {line}", key
    if kind == "questionnaire-duplicate":
        source = PROJECT_DATA / "config/questionnaire.yaml"
        text, line, key = _duplicate_first_key(source, "scales")
        return "questionnaire.yaml", text, f"line {line}", key
    raise AssertionError(kind)


CASES = [
    "privacy-word",
    "privacy-two",
    "privacy-invalid-yaml",
    "themes-duplicate",
    "questionnaire-duplicate",
]


@pytest.fixture
def data_with(demo_data: Path, tmp_path: Path):
    """A copy of the demo data directory whose own config/ holds one broken file."""

    def make(kind: str) -> tuple[Path, str, str, str]:
        data = tmp_path / "data"
        shutil.copytree(demo_data / "processed", data / "processed")
        shutil.copytree(demo_data / "raw", data / "raw")
        name, text, line, key = _bad_config(kind)
        (data / "config").mkdir()
        (data / "config" / name).write_text(text, encoding="utf-8")
        return data, str(data / "config" / name), line, key

    return make


def _one_clear_line(result, path: str, line: str, key: str) -> None:
    lines = result.stderr.splitlines()
    assert result.returncode == 1, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}: {line}: "), lines[0]
    assert f"'{key}'" in lines[0], lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("kind", CASES)
def test_bad_configuration_stops_build_before_any_work(data_with, tmp_path, kind):
    data, path, line, key = data_with(kind)
    before = _checksums(data)
    result = run_cli("build", "--data", str(data), "--out", str(tmp_path / "site"))
    _one_clear_line(result, path, line, key)
    assert _checksums(data) == before
    assert not (data / "build").exists()
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("kind", CASES)
def test_bad_configuration_stops_ingest_survey_before_any_work(data_with, kind):
    data, path, line, key = data_with(kind)
    before = _checksums(data)
    result = run_cli("ingest", "survey", str(data / SURVEY_EXPORT), "--data", str(data))
    _one_clear_line(result, path, line, key)
    assert _checksums(data) == before


def test_the_command_starts_without_compiling_iri_grammars():
    """jsonschema's optional rfc3987_syntax compiles ~35 grammars at import (~3 s a command)."""
    import subprocess
    import sys

    probe = (
        "import sys, tilannekuva.batch.build, papermill, nbformat; "
        "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None, "
        "'lark' in sys.modules)"
    )
    seen = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert seen.stdout.split() == ["False", "False"]
