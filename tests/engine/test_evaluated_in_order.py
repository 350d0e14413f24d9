"""The evaluated items of a run on several processes: worked out in order, as far as asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from framework.engine.run import RunResult
from framework.engine.run_workers import _Evaluated, _Recorder


def evaluations(notes: RunResult, told: Any, asked: list[str]) -> Iterator[Any]:
    """Yield three items, noting a measure not supplied before the second and after the last."""
    for name in ("first", "second", "third"):
        asked.append(name)
        told(name)
        if name == "second":
            notes.not_supplied["skipped"] = "data/skipped.csv"
        yield (name,)
    notes.not_supplied["last"] = "data/last.csv"


def _names(items: list[Any]) -> list[str]:
    """Return the items' names (the fake evaluations' items are one-name tuples)."""
    return [item[0] for item in items]


def test_items_are_evaluated_only_as_far_as_asked_and_then_all() -> None:
    scratch = RunResult(pd.DataFrame())
    recorder = _Recorder(scratch)
    asked: list[str] = []
    evaluated = _Evaluated(evaluations(scratch, recorder.progress, asked), recorder)
    assert _names([evaluated.get(0)]) == ["first"]
    assert asked == ["first"] and evaluated.after is None
    assert evaluated.get(5) is None  # fewer items: every one worked out on the way
    assert asked == ["first", "second", "third"]
    items, before, after = evaluated.every()
    assert _names(items) == ["first", "second", "third"]
    assert [notes.labels for notes in before] == [["first"], ["second"], ["third"]]
    assert [notes.not_supplied for notes in before] == [[], [("skipped", "data/skipped.csv")], []]
    assert after.not_supplied == [("last", "data/last.csv")]


def test_every_item_is_evaluated_when_none_was_asked_for() -> None:
    scratch = RunResult(pd.DataFrame())
    recorder = _Recorder(scratch)
    asked: list[str] = []
    evaluated = _Evaluated(evaluations(scratch, recorder.progress, asked), recorder)
    items, before, _ = evaluated.every()  # as when the workers laid out every measure
    assert _names(items) == asked == ["first", "second", "third"]
    assert len(before) == 3
