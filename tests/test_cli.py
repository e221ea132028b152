"""The command line keeps the contract of cli.md: exit codes and clear errors."""

from __future__ import annotations

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


def test_build_without_data_is_a_usage_error(tmp_path):
    result = run_cli("build", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "site"))
    assert result.returncode == 2
    assert "tilannekuva demo" in result.stderr
    assert "Traceback" not in result.stderr


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
