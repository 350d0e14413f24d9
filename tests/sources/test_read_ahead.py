"""Datasets read by a forked helper come back as read; whatever it fails at is read here."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from framework.sources.base import SourceError, SourceFrame, SourceReport
from framework.sources.read_ahead import ReadAhead, can_read_ahead, later_part

pytestmark = pytest.mark.skipif(not can_read_ahead(), reason="no fork, or one core")


def _frame(n: int) -> SourceFrame:
    table = pd.DataFrame(
        {
            "period": range(n),
            "area": pd.Categorical(["a", "b"] * (n // 2) + ["a"] * (n % 2)),
            "value": [float(i) / 3 for i in range(n)],
        }
    )
    return SourceFrame(table, SourceReport(dataset=f"d{n}", files=(), rows_read=n, rows_used=n))


def _fails() -> SourceFrame:
    raise SourceError("data/x.csv", "the file does not exist")


def _dies() -> SourceFrame:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def _sleeps() -> SourceFrame:
    time.sleep(60)
    return _frame(1)


def _children() -> set[int]:
    """Return the ids of this process's children that have not been waited for."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry))
    return found


def test_each_frame_comes_back_as_the_helper_read_it() -> None:
    jobs: list[tuple[str, Callable[[], SourceFrame]]] = [
        ("one", lambda: _frame(5)),
        ("two", lambda: _frame(40_000)),
    ]
    with ReadAhead(jobs) as ahead:
        assert ahead.keys == ["one", "two"]
        got = ahead.take("two"), ahead.take("one")
    for frame, expected in zip(got, (_frame(40_000), _frame(5)), strict=True):
        assert frame is not None
        pd.testing.assert_frame_equal(frame.frame, expected.frame)
        assert frame.report == expected.report


def test_a_frame_is_handed_over_once_and_unknown_keys_are_read_here() -> None:
    with ReadAhead([("one", lambda: _frame(3))]) as ahead:
        assert ahead.take("other") is None
        assert ahead.take("one") is not None
        assert ahead.take("one") is None


def test_a_failed_read_is_left_to_this_process_and_the_others_still_come() -> None:
    with ReadAhead([("bad", _fails), ("good", lambda: _frame(4))]) as ahead:
        assert ahead.take("bad") is None
        good = ahead.take("good")
    assert good is not None and len(good.frame) == 4


def test_a_helper_that_dies_leaves_every_dataset_to_this_process_without_a_hang() -> None:
    started = time.monotonic()
    with ReadAhead([("first", lambda: _frame(2)), ("dies", _dies), ("after", lambda: _frame(1))]) as ahead:
        assert ahead.take("first") is not None
        assert ahead.take("dies") is None
        assert ahead.take("after") is None
    assert time.monotonic() - started < 30


def test_closing_stops_a_helper_still_reading_and_waits_for_it() -> None:
    before = _children()
    ahead = ReadAhead([("slow", _sleeps)])
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


@given(st.lists(st.integers(0, 20), max_size=30))
def test_the_helper_takes_the_later_part_and_never_the_first(keys: list[int]) -> None:
    distinct = list(dict.fromkeys(keys))
    later = later_part(keys)
    assert later == distinct[len(distinct) - len(later) :]  # a tail, in the order needed
    if distinct:
        assert distinct[0] not in later
        assert len(later) >= (2 * len(distinct)) // 3 - 1
        assert len(distinct) - len(later) >= 1
