"""Exit codes: 0 when clean, 1 when there are findings, 2 when the command is misused."""

from __future__ import annotations

import pytest

from tests.cli.helpers import CATALOGUE_BAD, CATALOGUE_OK, invoke, run_measures


def test_validate_clean_catalogue_exits_0() -> None:
    result = invoke("validate", str(CATALOGUE_OK))
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output


def test_validate_with_errors_exits_1() -> None:
    assert invoke("validate", str(CATALOGUE_BAD)).exit_code == 1


def test_validate_missing_folder_is_a_usage_error() -> None:
    result = invoke("validate", str(CATALOGUE_OK / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_validate_single_valid_file_is_schema_checked() -> None:
    result = invoke("validate", str(CATALOGUE_OK / "spc" / "test_profile.yaml"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--bogus"],
        ["validate", str(CATALOGUE_OK), "--format", "xml"],
        ["list", str(CATALOGUE_OK), "--format", "yaml"],
        ["list", str(CATALOGUE_OK / "nowhere")],
        ["explain"],
        ["explain", "homicide", "--catalogue", str(CATALOGUE_OK / "nowhere")],
        ["schema", "--bogus"],
        ["new", "--window-months", "0"],
        ["run", "--catalogue", str(CATALOGUE_OK), "--workers", "0"],
        ["run", "--catalogue", str(CATALOGUE_OK), "--workers", "two"],
        ["no-such-command"],
    ],
    ids=lambda args: " ".join(a.rsplit("/", 1)[-1] for a in args),
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert invoke(*args).exit_code == 2


@pytest.mark.slow
def test_subprocess_exit_codes_match() -> None:
    assert run_measures("validate", str(CATALOGUE_OK)).returncode == 0
    bad = run_measures("validate", str(CATALOGUE_BAD), "--format", "json")
    assert bad.returncode == 1 and '"errors": 7' in bad.stdout
    assert run_measures("validate", "--format", "nope").returncode == 2
