"""Lay out a run's measures in forked worker processes, with the one-process run's results.

:meth:`framework.engine.run.Engine.run` reads the sources in its own process first (so
each is read once, and no worker opens a file or a database connection), then forks
workers that lay out each measure's rows: figures, signals, statuses and provenance, the
larger part of a run over every force. A worker evaluates the measures it lays out from
the sources it inherited, while this process evaluates every measure (the run keeps every
evaluation) and then lays out measures of its own. Each worker sends back only the
rows, or the findings of a measure that failed, through the memory it shares with this
process (:func:`framework.engine.workers.in_workers`): pickled as they are, since the rows
no longer pass through a pipe, for less work on both sides than packing them smaller.

The results, findings and notes come out in the order a run in one process gives them:
whatever the evaluations noted before a measure (a source's problems, a measure not
supplied or not evaluated) is added to the result just before that measure's rows, and a
measure whose layout failed adds its findings where it would have. A worker that stops
(killed, out of memory) leaves each measure it had not finished with a RUN002 finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from framework.engine.evaluate import EvaluationError
from framework.engine.workers import Stopped, in_workers

if TYPE_CHECKING:
    from framework.engine.run import Evaluation, Progress, RunResult
    from framework.findings.finding import Finding
    from framework.loading.catalogue import Located
    from framework.model.measure import Measure

LayOut = Callable[..., "pd.DataFrame | Exception"]
"""Lay out one evaluated measure's rows; return the error that stopped it, never raise it."""
Failed = Callable[["Located[Measure]", Exception, "RunResult"], None]
"""Record a measure's failure in a result (findings, and an unavailable source's detail)."""

STOPPED_HINT = (
    "Run again with one worker (`measures run --workers 1`); a worker that stops again "
    "may have run out of memory."
)
DIFFERED_HINT = (
    "Run again with one worker (`measures run --workers 1`), and check that no table the "
    "run reads is being changed while it runs."
)


@dataclass
class _Notes:
    """What the evaluations noted before one item (or after the last)."""

    findings: list[Finding] = field(default_factory=list)
    not_supplied: list[tuple[str, str]] = field(default_factory=list)
    unavailable: list[tuple[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def add_to(self, result: RunResult) -> None:
        """Add the notes to ``result`` as the evaluations would have."""
        result.findings.extend(self.findings)
        result.not_supplied.update(self.not_supplied)
        result.unavailable.update(self.unavailable)


@dataclass
class _Failure:
    """A measure whose layout failed in a worker: what it adds to the result."""

    findings: list[Finding]
    unavailable: dict[str, str]


class _Recorder:
    """Takes the evaluations' notes apart, item by item, from a scratch result."""

    def __init__(self, scratch: RunResult) -> None:
        self.scratch = scratch
        self.labels: list[str] = []
        self._seen = (0, 0, 0)

    def progress(self, label: str) -> None:
        """Keep a progress label, to pass on when its measure is laid out."""
        self.labels.append(label)

    def take(self) -> _Notes:
        """Return what was noted since the last call."""
        findings, supplied, unavailable = self._seen
        scratch = self.scratch
        notes = _Notes(
            scratch.findings[findings:],
            list(scratch.not_supplied.items())[supplied:],
            list(scratch.unavailable.items())[unavailable:],
            self.labels,
        )
        self.labels = []
        self._seen = (len(scratch.findings), len(scratch.not_supplied), len(scratch.unavailable))
        return notes


class _Evaluated:
    """The evaluated items of this process, worked out in order as far as they are asked for.

    The items follow the run's measures (a measure not supplied or not evaluated has none);
    each is known by the position of its measure in the run's list.
    """

    def __init__(
        self,
        measures: Sequence[Located[Measure]],
        produced: Iterable[Evaluation],
        recorder: _Recorder,
    ) -> None:
        self._measures = measures
        self._produced = iter(produced)
        self._recorder = recorder
        self.items: list[Evaluation] = []
        self.before: list[_Notes] = []
        """What the evaluations noted before each item."""
        self.after: _Notes | None = None
        """What they noted after the last item (None until every item is worked out)."""
        self.at: dict[int, int] = {}
        """Each item's index, by the position of its measure."""
        self._next = 0
        """The first position the next item's measure may have."""

    def of(self, position: int) -> int | None:
        """Return the index of the item of the measure at ``position`` (None: it has none).

        The items up to it are evaluated first, if they are not yet.
        """
        while self._next <= position and self._advance():
            pass
        return self.at.get(position)

    def every(self) -> tuple[list[Evaluation], list[_Notes], _Notes]:
        """Return every item, what was noted before each, and what was noted after them."""
        while self._advance():
            pass
        assert self.after is not None
        return self.items, self.before, self.after

    def _advance(self) -> bool:
        """Evaluate the next item; return False when there is none."""
        if self.after is not None:
            return False
        item = next(self._produced, None)
        if item is None:
            self.after = self._recorder.take()
            return False
        self.items.append(item)
        self.before.append(self._recorder.take())
        position = self._next
        while self._measures[position] is not item[0]:  # measures with no item come first
            position += 1
        self.at[position] = len(self.items) - 1
        self._next = position + 1
        return True


def lay_out_in_workers(
    measures: Sequence[Located[Measure]],
    evaluations: Callable[[RunResult, Progress], Iterable[Evaluation]],
    evaluate_one: Callable[[Located[Measure]], Evaluation | None],
    result: RunResult,
    lay_out: LayOut,
    failed: Failed,
    workers: int,
    progress: Progress | None,
) -> Iterator[tuple[Evaluation, pd.DataFrame | Exception]]:
    """Yield each item with its rows (or the error that stopped them) in order.

    ``evaluations(notes, progress)`` yields the evaluated items of ``measures`` in their
    order, noting in ``notes`` what it would note in a result; ``evaluate_one(measure)``
    evaluates one measure alone, as they would (None where they would yield nothing). The
    sources are read before either is called. Task ``i`` is ``measures[i]``: a worker
    (:func:`framework.engine.workers.in_workers`, forked before the first evaluation)
    evaluates it alone and lays it out with ``lay_out``, while this process evaluates every
    measure in turn, for the run's result, and lays out those it takes itself. The items
    and notes are this process's; a measure it evaluated but the worker that took it could
    not becomes a finding, never a gap. The caller takes each one yielded as it would after
    laying it out itself. What a worker's failure adds to the result is added before the
    next item is yielded.
    """
    from framework.engine.run import RunResult

    scratch = RunResult(pd.DataFrame())
    recorder = _Recorder(scratch)
    evaluated = _Evaluated(measures, evaluations(scratch, recorder.progress), recorder)

    def remote(index: int) -> pd.DataFrame | _Failure | None:
        item = evaluate_one(measures[index])
        if item is None:
            return None
        rows = lay_out(*item)
        if isinstance(rows, Exception):
            # The finding is made here: an exception need not survive pickling.
            noted = RunResult(pd.DataFrame())
            failed(item[0], rows, noted)
            return _Failure(noted.findings, noted.unavailable)
        return rows

    def local(index: int) -> pd.DataFrame | Exception | None:
        at = evaluated.of(index)
        return None if at is None else lay_out(*evaluated.items[at])

    def done(index: int) -> None:
        # Evaluated here by now, unless a worker was quicker: then it is evaluated now.
        at = evaluated.of(index) if progress is not None else None
        if progress is not None and at is not None:
            for label in evaluated.before[at].labels:
                progress(label)

    outcomes: list[Any] = in_workers(len(measures), remote, local, workers, done)
    # Every measure is evaluated here, whichever process laid it out (the workers may have
    # taken every one): the result keeps each evaluation, and what each one noted.
    items, before, after = evaluated.every()
    position = {index: place for place, index in evaluated.at.items()}
    for index, (item, notes) in enumerate(zip(items, before, strict=True)):
        outcome = outcomes[position[index]]
        notes.add_to(result)
        if isinstance(outcome, Stopped):
            stopped = EvaluationError(
                "the worker process laying out its rows stopped before it finished", STOPPED_HINT
            )
            failed(item[0], stopped, result)
        elif outcome is None:
            differed = EvaluationError(
                "the worker process laying out its rows could not evaluate it, though this run did",
                DIFFERED_HINT,
            )
            failed(item[0], differed, result)
        elif isinstance(outcome, _Failure):
            result.findings.extend(outcome.findings)
            result.unavailable.update(outcome.unavailable)
        else:  # the rows, or (laid out in this process) the error that stopped them
            yield item, outcome
    after.add_to(result)
    if progress is not None:
        for label in after.labels:
            progress(label)
