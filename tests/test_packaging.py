"""The wheel lists every package of the code, and the national catalogue as package data."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).parents[1]


def test_every_code_package_is_in_the_wheel() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for top in ("framework", "renderers")
        for init in (REPO / top).rglob("__init__.py")
    }
    mapped = config["tool"]["setuptools"]["package-dir"]["police_measures_national"]
    assert (REPO / mapped / "priorities.yaml").is_file()
    # Every folder of the national catalogue whose name could be a package is listed as one,
    # so setuptools ships it without a warning.
    national = {
        ".".join(("police_measures_national", *folder.relative_to(REPO / mapped).parts))
        for folder in [REPO / mapped, *(REPO / mapped).rglob("*")]
        if folder.is_dir()
        and all(part.isidentifier() for part in folder.relative_to(REPO / mapped).parts)
        and folder.name != "__pycache__"
    }
    assert found | national == listed


def test_version_and_licence() -> None:
    from framework import __version__

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["version"] == __version__ == "0.2.0"
    assert config["project"]["license"] == "MIT"
