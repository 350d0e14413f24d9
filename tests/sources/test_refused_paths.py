"""At run time the readers and commentary refuse what validation reports, links followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.commentary import CommentaryRefusedError, commentary_for
from framework.model.force import Force
from framework.sources.base import SourceError
from framework.sources.files import files_in, resolve_inside


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """Return a catalogue root and a folder beside it with a secret file."""
    root, outside = tmp_path / "catalogue", tmp_path / "outside"
    (root / "data").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.csv").write_text("secret\n")
    (root / "data" / "ok.csv").write_text("a\n")
    return root, outside


@pytest.mark.parametrize(
    ("relative", "words"),
    [
        ("/etc/passwd", "absolute"),
        ("data/x\x00.csv", "NUL"),
        ("../outside/secret.csv", "outside"),
        ("data/linked.csv", "outside"),
        ("data/loop.a", "loops"),
        ("", "no path"),
    ],
)
def test_resolve_inside_refuses(tree: tuple[Path, Path], relative: str, words: str) -> None:
    root, outside = tree
    (root / "data" / "linked.csv").symlink_to(outside / "secret.csv")
    (root / "data" / "loop.a").symlink_to(root / "data" / "loop.b")
    (root / "data" / "loop.b").symlink_to(root / "data" / "loop.a")
    with pytest.raises(SourceError) as caught:
        resolve_inside(root, relative)
    assert words in caught.value.detail


def test_resolve_inside_accepts_a_file_of_the_catalogue(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    assert resolve_inside(root, "data/ok.csv") == (root / "data" / "ok.csv").resolve()


def test_files_in_refuses_a_linked_month_folder(tree: tuple[Path, Path]) -> None:
    root, outside = tree
    (root / "data" / "2019-01").symlink_to(outside)
    with pytest.raises(SourceError, match="outside"):
        files_in(root / "data", root, "*.csv", "the folder")


def test_files_in_refuses_a_nul_pattern(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    with pytest.raises(SourceError, match="NUL"):
        files_in(root / "data", root, "*\x00.csv", "the folder")


def test_commentary_linked_outside_is_refused(tree: tuple[Path, Path]) -> None:
    root, outside = tree
    folder = root / "commentary" / "testshire" / "2021-22-Q4"
    folder.mkdir(parents=True)
    (folder / "homicide.force.md").symlink_to(outside / "secret.csv")
    force = Force.model_validate(
        {
            "id": "testshire", "name": "Testshire", "ons_code": "E23000099", "region": "R",
            "pcc_office": "Office", "msg": {"members": ["A"], "as_of": "2021-04"},
        }
    )  # fmt: skip
    with pytest.raises(CommentaryRefusedError):
        commentary_for(root, force, "2021/22-Q4", "homicide")
    assert commentary_for(root, force, "2021/22-Q4", "other").force is None
