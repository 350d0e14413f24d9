"""Every path a definition names stays inside the catalogue, links followed, or is refused.

Each path-bearing field (a dataset's ``path`` and ``pattern``, a force's dataset override
and commentary folder, the commentary and definition files themselves) is tried with ``..``,
an absolute path, a NUL byte, a symlinked file, a symlinked folder and a symlink loop: each
is a located finding in ``validate`` without ``--data``, and ``run``/``report`` refuse it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.helpers import invoke
from tests.hostile.template import build

Breaker = Callable[[Path, Path], None]
"""Break the catalogue at ``root``; ``outside`` is a folder beside it holding a secret."""

SECRET = "root:x:0:0:SECRET-OUTSIDE-THE-CATALOGUE"


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _dataset_path(value: str) -> Breaker:
    return lambda root, outside: _edit(
        root, "datasets/firearms.yaml", "path: data/firearms.csv", f"path: {value}"
    )


def _override(value: str) -> Breaker:
    def breaker(root: Path, outside: Path) -> None:
        with (root / "forces/warwickshire.yaml").open("a", encoding="utf-8") as stream:
            stream.write(f"  datasets: {{firearms: {value}}}\n")

    return breaker


def _commentary(value: str) -> Breaker:
    return lambda root, outside: _edit(
        root, "forces/warwickshire.yaml", "folder: commentary", f"folder: {value}"
    )


def _link(name: str, to: Callable[[Path, Path], Path]) -> Callable[[Path, Path], None]:
    def make(root: Path, outside: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(to(root, outside))

    return make


def _both(*steps: Breaker) -> Breaker:
    def breaker(root: Path, outside: Path) -> None:
        for step in steps:
            step(root, outside)

    return breaker


def _loop(name: str) -> Breaker:
    return _both(
        _link(f"{name}.a", lambda root, outside: root / f"{name}.b"),
        _link(f"{name}.b", lambda root, outside: root / f"{name}.a"),
    )


COMMENTARY = "commentary/warwickshire/2021-22-Q4"
CASES: dict[str, tuple[Breaker, str]] = {
    "path-dotdot": (_dataset_path("../outside/firearms.csv"), "RUL010"),
    "path-absolute": (_dataset_path("/etc/passwd"), "RUL010"),
    "path-nul": (_dataset_path('"data/fire\\0arms.csv"'), "RUL010"),
    "path-linked-file": (
        _both(_link("data/firearms.csv", lambda r, o: o / "firearms.csv")),
        "RUL014",
    ),
    "path-linked-folder": (
        _both(_link("data/linked", lambda r, o: o), _dataset_path("data/linked/firearms.csv")),
        "RUL010",
    ),
    "path-loop": (_both(_loop("data/l"), _dataset_path("data/l.a")), "RUL010"),
    "override-dotdot": (_override("../outside/firearms.csv"), "RUL013"),
    "override-absolute": (_override("/etc/passwd"), "RUL013"),
    "override-linked": (
        _both(_link("data/mine.csv", lambda r, o: o / "firearms.csv"), _override("data/mine.csv")),
        "RUL013",
    ),
    "override-loop": (_both(_loop("data/m"), _override("data/m.a")), "RUL013"),
    "commentary-dotdot": (_commentary("../outside"), "RUL013"),
    "commentary-absolute": (_commentary("/etc"), "RUL013"),
    "commentary-nul": (_commentary('"comm\\0entary"'), "RUL013"),
    "commentary-linked-folder": (
        _both(_link("notes", lambda r, o: o), _commentary("notes")),
        "RUL013",
    ),
    "commentary-linked-file": (
        _link(f"{COMMENTARY}/firearm_rate.force.md", lambda r, o: o / "secret.md"),
        "RUL014",
    ),
    "commentary-linked-quarter": (
        _link("commentary/warwickshire/2022-23-Q1", lambda r, o: o),
        "RUL014",
    ),
    "commentary-loop": (_loop(f"{COMMENTARY}/x"), "RUL014"),
    "definition-linked-file": (
        _link("definitions/secret.yaml", lambda r, o: o / "secret.yaml"),
        "RUL014",
    ),
    "definition-linked-folder": (_link("definitions/more", lambda r, o: o), "RUL014"),
    "data-linked-month-folder": (_link("data/2019-01", lambda r, o: o), "RUL014"),
}


@pytest.fixture
def broken(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, str]:
    """Return a catalogue broken by the case named in the test's parameter, and its code."""
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("firearms.csv", "secret.md", "secret.yaml"):
        (outside / name).write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "warwickshire" / "2021-22-Q4").mkdir(parents=True)
    (outside / "warwickshire" / "2021-22-Q4" / "firearm_rate.force.md").write_text(SECRET)
    root = build(tmp_path / "catalogue")
    breaker, code = CASES[request.param]
    breaker(root, outside)
    return root, code


@pytest.mark.parametrize("broken", sorted(CASES), indirect=True)
def test_validate_reports_the_path_with_its_code(broken: tuple[Path, str]) -> None:
    root, code = broken
    result = invoke("validate", str(root))
    assert result.exit_code == 1, result.output
    assert re.search(rf"\berror {code}\b", result.output), result.output
    assert SECRET not in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("broken", sorted(CASES), indirect=True)
def test_report_refuses_and_publishes_nothing_from_outside(
    broken: tuple[Path, str], tmp_path: Path
) -> None:
    root, _ = broken
    out = tmp_path / "report"
    result = invoke("report", "--catalogue", str(root), "--out", str(out), "--format", "md")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    published = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert SECRET not in published + result.output


def test_the_template_itself_is_clean(tmp_path: Path) -> None:
    root = build(tmp_path / "catalogue")
    assert invoke("validate", str(root)).exit_code == 0
