"""The evaluated items of a run on several processes: worked out in order, as far as asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from framework.engine.run import RunResult
from framework.engine.run_workers import _Evaluated, _Recorder


class Measure:
    """A stand-in for a located measure: only its identity and name are read."""

    def __init__(self, name: str) -> None:
        self.name = name


FIRST, SKIPPED, THIRD, FOURTH = (Measure(n) for n in ("first", "skipped", "third", "fourth"))
MEASURES: list[Any] = [FIRST, SKIPPED, THIRD, FOURTH]


def evaluations(notes: RunResult, told: Any, asked: list[str]) -> Iterator[Any]:
    """Yield an item for each measure but the second, which is noted as not supplied."""
    for measure in MEASURES:
        asked.append(measure.name)
        told(measure.name)
        if measure is SKIPPED:
            notes.not_supplied["skipped"] = "data/skipped.csv"
            continue
        yield (measure,)
    notes.not_supplied["last"] = "data/last.csv"


def names(items: list[Any]) -> list[str]:
    """Return the names of the items' measures."""
    return [item[0].name for item in items]


def made(asked: list[str]) -> _Evaluated:
    """Return the evaluated items of MEASURES, none worked out yet."""
    scratch = RunResult(pd.DataFrame())
    recorder = _Recorder(scratch)
    return _Evaluated(MEASURES, evaluations(scratch, recorder.progress, asked), recorder)


def test_items_are_evaluated_only_as_far_as_asked_and_known_by_their_measure() -> None:
    asked: list[str] = []
    evaluated = made(asked)
    assert evaluated.of(0) == 0
    assert asked == ["first"] and evaluated.after is None
    assert evaluated.of(1) is None  # not supplied: the next measure was evaluated to know
    assert asked == ["first", "skipped", "third"]
    assert evaluated.of(3) == 2 and evaluated.of(2) == 1
    items, before, after = evaluated.every()
    assert names(items) == ["first", "third", "fourth"]
    assert [notes.labels for notes in before] == [["first"], ["skipped", "third"], ["fourth"]]
    assert [notes.not_supplied for notes in before] == [[], [("skipped", "data/skipped.csv")], []]
    assert after.not_supplied == [("last", "data/last.csv")]


def test_every_item_is_evaluated_when_none_was_asked_for() -> None:
    asked: list[str] = []
    items, before, _ = made(asked).every()  # as when the workers laid out every measure
    assert names(items) == ["first", "third", "fourth"]
    assert asked == ["first", "skipped", "third", "fourth"]
    assert len(before) == 3
