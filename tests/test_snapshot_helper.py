"""The snapshot helper: a missing file fails, a mismatch fails with a diff, updating writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.snapshots import DIFF_LINES, Snapshot, unified_diff


def test_a_matching_text_passes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("one\ntwo\n", encoding="utf-8")
    Snapshot().assert_match("one\ntwo\n", path)


def test_a_missing_snapshot_fails_and_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(pytest.fail.Exception, match=r"no snapshot missing\.txt.*--update"):
        Snapshot().assert_match("text\n", path)
    assert not path.exists()


def test_a_mismatch_fails_with_a_unified_diff(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text("a\nb\nc\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as caught:
        Snapshot().assert_match("a\nB\nc\n", path)
    message = str(caught.value)
    assert "spec.json differs from its snapshot" in message
    assert "--- spec.json (snapshot)\n+++ spec.json (actual)\n" in message
    assert "\n-b\n+B\n" in message
    assert path.read_text(encoding="utf-8") == "a\nb\nc\n"


def test_updating_writes_new_and_changed_files(tmp_path: Path) -> None:
    new = tmp_path / "folder" / "new.txt"
    Snapshot(update=True).assert_match("fresh\n", new)
    assert new.read_text(encoding="utf-8") == "fresh\n"
    Snapshot(update=True).assert_match("changed\n", new)
    assert new.read_text(encoding="utf-8") == "changed\n"
    Snapshot().assert_match("changed\n", new)


def test_a_long_diff_is_cut_and_counted() -> None:
    expected = "".join(f"{i}\n" for i in range(DIFF_LINES))
    diff = unified_diff(expected, "", "long.txt")
    assert diff.count("\n") == DIFF_LINES + 1
    # Three header lines ("---", "+++", "@@") and the deletions: the last three are counted.
    assert diff.endswith("... 3 more lines of diff\n")


def test_a_last_line_without_a_newline_stays_on_its_own_line() -> None:
    assert unified_diff("x", "y", "n.txt").endswith("-x\n+y\n")


def test_the_fixture_follows_the_option(request: pytest.FixtureRequest, snapshot: Snapshot) -> None:
    assert snapshot.update == request.config.getoption("--update-snapshots")
