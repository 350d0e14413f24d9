"""The reuse path end to end: build the wheel, install it alone, init three forces, report.

Nothing is downloaded: the wheel is built with this environment's setuptools, and the fresh
environment sees this one's dependencies through a path file, not its copy of the framework.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300,
        check=False, env=env,
    )  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the bin folder of a fresh environment holding only the built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "-w", work / "dist", REPO, cwd=work,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("police_measures-0.2.0-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "police_measures_national/definitions/homicide.yaml" in names
    assert "police_measures_national/data/reference/areas.csv" in names
    assert "police_measures_national/schema/catalogue.schema.json" in names
    # The demonstration force's synthetic data and commentary stay out of the wheel.
    assert not [n for n in names if "synthetic" in n or "warwickshire/" in n]
    venv = work / "venv"
    created = _run(sys.executable, "-m", "venv", venv, cwd=work)
    assert created.returncode == 0, created.stderr
    bin_dir = venv / "bin"
    site = Path(
        _run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
             cwd=work).stdout.strip()
    )  # fmt: skip
    # The dependencies of this environment, after the fresh one's own packages.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = _run(
        bin_dir / "python", "-m", "pip", "install", "--no-index", "--no-deps", "--quiet", wheel,
        cwd=work,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr
    where = _run(bin_dir / "python", "-c", "import framework; print(framework.__file__)", cwd=work)
    assert where.stdout.startswith(str(site)), where.stdout  # the wheel's copy, not the source
    return bin_dir


@pytest.mark.parametrize(
    ("force", "folder", "region", "office"),
    [
        ("Durham", "durham", "North East", "PCC office commentary"),
        ("Dyfed-Powys", "dyfed_powys", "Wales", "PCC office commentary"),
        ("Metropolitan Police", "met", None, "Mayor's office commentary"),
    ],
)
def test_a_force_from_pip_install_to_its_statement(
    installed: Path, tmp_path: Path, force: str, folder: str, region: str | None, office: str
) -> None:
    measures = installed / "measures"
    init = _run(measures, "init", folder, "--force", force, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    root = tmp_path / folder
    # Nothing national is copied into the force's folder.
    assert not [p for p in root.rglob("*") if p.suffix in {".parquet", ".xlsx", ".gz"}]
    validate = _run(measures, "validate", "--data", "--strict", cwd=root)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    report = _run(measures, "report", "--format", "md", "--no-svg", cwd=root)
    assert report.returncode == 0, report.stderr
    text = (root / "report" / "statement.md").read_text(encoding="utf-8")
    assert f"#### {office}" in text
    assert "No data supplied yet: the force keeps this table at data/victim\\_satisfaction.csv" in (
        text
    )
    if region is not None:
        assert f"| {region} |" in text
    else:
        # London has two forces: the region is left out of the comparison, and the page says why.
        assert "| London |" not in text
        assert "not compared with the London region: it has 2 police force areas" in text
        assert "Mayor's Office for Policing and Crime" in text
