"""``measures new``: scaffolds a measure that passes validation, or writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from framework.cli import new_command
from framework.cli.new_command import SCHEMA_LINE
from framework.validation.pipeline import validate_catalogue
from tests.cli.helpers import invoke
from tests.validation.catalogue_copies import copy_catalogue

FLAGS = [
    "--id", "homicide_knife",
    "--title", "Homicide with a knife",
    "--priority", "reduce_homicide",
    "--kind", "proxy",
    "--proxy-for", "homicide",
    "--dataset", "recorded_crime",
    "--filter", "offence_subgroup=Homicide",
    "--filter", "offence_subgroup=Attempted murder",
]  # fmt: skip


def test_scaffolds_a_valid_measure(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    result = invoke("new", *FLAGS, "--catalogue", str(root))
    assert result.exit_code == 0, result.output
    path = root / "definitions" / "homicide_knife.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(SCHEMA_LINE.split("$schema=")[0])
    assert (path.parent / first.split("$schema=")[1]).is_file()  # the header resolves
    measure = yaml.safe_load(text)["measure"]
    assert measure["source"] == {
        "dataset": "recorded_crime",
        "filters": {"offence_subgroup": ["Homicide", "Attempted murder"]},
    }
    assert measure["grain"] == "quarter"  # taken from the dataset
    assert measure["window"] == {"kind": "rolling", "months": 12}
    assert validate_catalogue(root).findings == ()


def test_national_measure_gets_its_block(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    args = [
        "--id",
        "knife_crime",
        "--title",
        "Knife crime",
        "--priority",
        "reduce_homicide",
        "--kind",
        "national",
        "--dataset",
        "victim_survey",
        "--window-months",
        "6",
    ]
    assert invoke("new", *args, "--catalogue", str(root)).exit_code == 0
    measure = yaml.safe_load((root / "definitions" / "knife_crime.yaml").read_text())["measure"]
    assert measure["national_measure"] == {"name": "Knife crime", "available": True}
    assert measure["window"]["months"] == 6


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    before = (root / "definitions" / "homicide.yaml").read_text()
    flags = ["--id", "homicide", *FLAGS[2:]]
    result = invoke("new", *flags, "--catalogue", str(root))
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert (root / "definitions" / "homicide.yaml").read_text() == before


def test_invalid_result_is_not_written(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    flags = [*FLAGS]
    flags[flags.index("recorded_crime")] = "recorded_crim"
    result = invoke("new", *flags, "--catalogue", str(root))
    assert result.exit_code == 1
    assert "REF002" in result.stderr and "Did you mean 'recorded_crime'?" in result.stderr
    assert not (root / "definitions" / "homicide_knife.yaml").exists()


@pytest.mark.parametrize(
    "change",
    [
        ("--filter", "offence_subgroup"),
        ("--id", "Homicide Knife"),
        ("--id", "../escape"),
        ("--kind", "local"),
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, change: tuple[str, str]) -> None:
    root = copy_catalogue(tmp_path)
    flags = [*FLAGS]
    flags[flags.index(change[0]) + 1] = change[1]
    assert invoke("new", *flags, "--catalogue", str(root)).exit_code == 2
    assert list((root / "definitions").glob("*knife*")) == []
    assert not (tmp_path / "escape.yaml").exists()


def test_missing_required_option_without_a_terminal_exits_2(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    result = invoke("new", "--title", "x", "--catalogue", str(root))
    assert result.exit_code == 2
    assert "--id" in result.stderr


def test_prompts_for_missing_options_in_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from framework.cli.app import app

    monkeypatch.setattr(new_command, "_interactive", lambda: True)
    root = copy_catalogue(tmp_path)
    answers = "homicide_again\nHomicide again\nreduce_homicide\nproxy\nhomicide\nrecorded_crime\n"
    result = CliRunner().invoke(app, ["new", "--catalogue", str(root)], input=answers)
    assert result.exit_code == 0, result.output
    assert (root / "definitions" / "homicide_again.yaml").exists()
