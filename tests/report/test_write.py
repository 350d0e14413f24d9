"""write_report writes the whole report or nothing, and never harms the previous one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from renderers.report import write
from renderers.report.write import write_report
from tests.report.builders import SMALL_SVG, sample_statement


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_writes_the_page_and_every_chart_file(tmp_path: Path) -> None:
    out = tmp_path / "report"
    written = write_report(sample_statement(), out)
    names = [p.name for p in written]
    assert names == [
        "index.html",
        "homicide-trend.vl.json",
        "homicide-trend.svg",
        "knife_crime-comparator.vl.json",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert all(p.parent == out for p in written)
    spec = json.loads((out / "homicide-trend.vl.json").read_text(encoding="utf-8"))
    assert spec == sample_statement().charts[0].spec
    assert (out / "homicide-trend.svg").read_text(encoding="utf-8") == SMALL_SVG
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_markdown_format(tmp_path: Path) -> None:
    written = write_report(sample_statement(), tmp_path / "md", format="md")
    assert written[0].name == "statement.md"
    assert "](<homicide-trend.svg>)" in written[0].read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="format"):
        write_report(sample_statement(), tmp_path / "x", format="docx")  # type: ignore[arg-type]


def test_a_failure_mid_write_leaves_the_previous_report_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    write_report(sample_statement(), out)
    (out / "index.html").write_text("previous report", encoding="utf-8")
    before = _snapshot(out)
    real = write._write_file
    calls: list[str] = []

    def fail_on_third(path: Path, text: str) -> None:
        calls.append(path.name)
        if len(calls) == 3:
            raise OSError("disk full")
        real(path, text)

    monkeypatch.setattr(write, "_write_file", fail_on_third)
    with pytest.raises(OSError, match="disk full"):
        write_report(sample_statement(framework_version="9.9.9"), out)
    assert len(calls) == 3
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"], "staging folder left behind"


PROC_FDS = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="names a file by its descriptor in /proc"
)


@PROC_FDS
def test_every_file_is_on_disk_whole_before_the_folder_is_swapped_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: dict[str, bytes] = {}
    real_fsync, real_swap = os.fsync, write._swap_into_place

    def fsync(fd: int) -> None:
        path = Path(f"/proc/self/fd/{fd}").readlink()
        flushed[path.name] = path.read_bytes()
        real_fsync(fd)

    def swap(staging: Path, target: Path) -> None:
        assert flushed == _snapshot(staging), "a file not flushed whole before the swap"
        real_swap(staging, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(write, "_swap_into_place", swap)
    write_report(sample_statement(), tmp_path / "report")
    assert flushed == _snapshot(tmp_path / "report")


@PROC_FDS
def test_a_failed_flush_leaves_the_previous_report_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    write_report(sample_statement(), out)
    before = _snapshot(out)
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if Path(f"/proc/self/fd/{fd}").readlink().suffix == ".svg":
            raise OSError("I/O error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="I/O error"):
        write_report(sample_statement(framework_version="9.9.9"), out)
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"], "staging folder left behind"


def test_a_failed_swap_puts_the_previous_report_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    write_report(sample_statement(), out)
    before = _snapshot(out)
    real_rename = Path.rename

    def refuse_new_into_place(self: Path, target: str | Path) -> Path:
        if self.name.startswith(".report.new-"):
            raise OSError("rename refused")
        return real_rename(self, target)

    monkeypatch.setattr(write, "exchange", lambda first, second: False)  # the two-rename path
    monkeypatch.setattr(Path, "rename", refuse_new_into_place)
    with pytest.raises(OSError, match="rename refused"):
        write_report(sample_statement(framework_version="9.9.9"), out)
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_a_second_write_replaces_the_first(tmp_path: Path) -> None:
    out = tmp_path / "report"
    write_report(sample_statement(), out)
    (out / "stale-chart.vl.json").write_text("{}", encoding="utf-8")
    write_report(sample_statement(framework_version="9.9.9"), out)
    assert not (out / "stale-chart.vl.json").exists()
    assert "version 9.9.9" in (out / "index.html").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_refuses_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    target = tmp_path / "report"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        write_report(sample_statement(), target)
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_the_swap_is_one_exchange_and_leaves_nothing_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    write_report(sample_statement(), out)
    renames: list[str] = []
    real_rename = Path.rename

    def counting(self: Path, target: str | Path) -> Path:
        renames.append(self.name)
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", counting)
    write_report(sample_statement(framework_version="9.9.9"), out)
    assert renames == [], "the folders were swapped by renames, not one exchange"
    assert "version 9.9.9" in (out / "index.html").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    from framework.atomic import exchange

    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one").write_text("1")
    (second / "two").write_text("2")
    assert exchange(first, second)
    assert [p.name for p in first.iterdir()] == ["two"]
    assert [p.name for p in second.iterdir()] == ["one"]
    with pytest.raises(OSError):
        exchange(tmp_path / "missing", first)


def test_strays_of_interrupted_runs_are_cleaned_and_live_ones_kept(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    out = tmp_path / "report"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    for name in (f".report.new-{dead}-abc", f".report.old-{dead}-def", ".report.new-legacy"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("half")
    old = tmp_path / ".report.new-legacy"
    os.utime(old, (0, 0))
    live = tmp_path / f".report.new-{os.getppid()}-xyz"
    live.mkdir()
    write_report(sample_statement(), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["report", live.name])
