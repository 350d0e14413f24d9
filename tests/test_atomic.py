"""Atomic writes leave published files readable, as a plain write would."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework.atomic import write_text_atomic


@pytest.fixture()
def umask_022(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The writer reads the process umask once, at import; stand in a common one.
    monkeypatch.setattr("framework.atomic._UMASK", 0o022)
    yield


def test_an_atomic_file_gets_the_mode_of_a_plain_write(tmp_path: Path, umask_022: None) -> None:
    write_text_atomic(tmp_path / "out.csv", "a,b\n")
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_report_folder_is_readable_by_a_web_server(tmp_path: Path, umask_022: None) -> None:
    from renderers.report.write import write_report
    from tests.report.builders import sample_statement

    write_report(sample_statement(), tmp_path / "report")
    assert stat.S_IMODE((tmp_path / "report").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "report" / "index.html").stat().st_mode) == 0o644
