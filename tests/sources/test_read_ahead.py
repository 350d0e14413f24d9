"""Datasets read by a forked helper come back as read; whatever it fails at is read here."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from framework.sources.base import SourceError, SourceFrame, SourceReport
from framework.sources.read_ahead import ReadAhead, can_read_ahead

pytestmark = pytest.mark.skipif(not can_read_ahead(), reason="no fork, or one core")

Jobs = list[tuple[str, Callable[[], SourceFrame]]]


def _frame(n: int) -> SourceFrame:
    table = pd.DataFrame(
        {
            "period": range(n),
            "area": pd.Categorical(["a", "b"] * (n // 2) + ["a"] * (n % 2)),
            "value": [float(i) / 3 for i in range(n)],
        }
    )
    return SourceFrame(table, SourceReport(dataset=f"d{n}", files=(), rows_read=n, rows_used=n))


def _marked(marker: Path, n: int, sleep: float = 0.0) -> Callable[[], SourceFrame]:
    """Return a job that leaves ``marker`` behind (so a read by the helper can be seen)."""

    def read() -> SourceFrame:
        marker.touch()
        time.sleep(sleep)
        return _frame(n)

    return read


def _fails() -> SourceFrame:
    raise SourceError("data/x.csv", "the file does not exist")


def _dies() -> SourceFrame:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def _children() -> set[int]:
    """Return the ids of this process's children that have not been waited for."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry.name))
    return found


def test_each_frame_comes_back_as_the_helper_read_it() -> None:
    jobs: Jobs = [("one", lambda: _frame(5)), ("two", lambda: _frame(40_000))]
    with ReadAhead(jobs) as ahead:
        assert ahead.wait(60)
        got = ahead.take("two"), ahead.take("one")
    for frame, expected in zip(got, (_frame(40_000), _frame(5)), strict=True):
        assert frame is not None
        pd.testing.assert_frame_equal(frame.frame, expected.frame)
        assert frame.report == expected.report


def test_a_frame_is_handed_over_once_and_unknown_keys_are_read_here() -> None:
    with ReadAhead([("one", lambda: _frame(3))]) as ahead:
        assert ahead.wait(60)
        assert ahead.take("other") is None
        assert ahead.take("one") is not None
        assert ahead.take("one") is None


def test_what_this_process_claims_first_the_helper_never_reads(tmp_path: Path) -> None:
    marks = [tmp_path / name for name in ("a", "b", "c")]
    jobs: Jobs = [
        ("a", _marked(marks[0], 1)),
        ("b", _marked(marks[1], 2)),
        ("c", _marked(marks[2], 3, sleep=1.0)),  # the helper's first, and slow
    ]
    with ReadAhead(jobs) as ahead:
        while not marks[2].exists():  # the helper has claimed c
            time.sleep(0.01)
        assert ahead.take("a") is None  # claimed here: read it here
        assert ahead.take("b") is None
        c = ahead.take("c")  # the helper's: waited for
        assert ahead.wait(60)
    assert c is not None and len(c.frame) == 3
    assert not marks[0].exists() and not marks[1].exists()


def test_a_failed_read_is_left_to_this_process_and_the_others_still_come() -> None:
    with ReadAhead([("good", lambda: _frame(4)), ("bad", _fails)]) as ahead:
        assert ahead.wait(60)
        assert ahead.take("bad") is None
        good = ahead.take("good")
    assert good is not None and len(good.frame) == 4


def test_a_helper_that_dies_leaves_the_rest_to_this_process_without_a_hang() -> None:
    started = time.monotonic()
    jobs: Jobs = [("first", lambda: _frame(2)), ("dies", _dies), ("last", lambda: _frame(1))]
    with ReadAhead(jobs) as ahead:
        assert ahead.wait(60)
        assert ahead.take("last") is not None  # read and sent before the helper died
        assert ahead.take("dies") is None
        assert ahead.take("first") is None
    assert time.monotonic() - started < 30


def test_closing_stops_a_helper_still_reading_and_waits_for_it(tmp_path: Path) -> None:
    before = _children()
    ahead = ReadAhead([("slow", _marked(tmp_path / "slow", 1, sleep=60))])
    assert _children() - before
    started = time.monotonic()
    ahead.close()
    assert time.monotonic() - started < 10
    assert _children() == before
    assert ahead.take("slow") is None


def test_no_jobs_starts_no_helper() -> None:
    before = _children()
    with ReadAhead([]) as ahead:
        assert _children() == before
        assert ahead.take("any") is None
