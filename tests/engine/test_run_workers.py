"""A run laid out by several processes is the run of one: rows, findings and notes, in order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from framework.engine import evaluate as evaluate_module
from framework.engine import run as run_module
from framework.engine import workers as workers_module
from framework.engine.evaluate import EvaluationError
from framework.engine.run import Engine, RunResult
from framework.engine.signals import attach_signals
from framework.engine.status import attach_status
from framework.engine.workers import can_fork
from framework.model.force import Force
from framework.sources import registry
from framework.sources.base import SourceError

from .real_catalogue import catalogue

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not can_fork(), reason="this system cannot fork"),
]

PARENT = os.getpid()


@cache
def engine() -> Engine:
    """One engine for the module: its sources are read once, its evaluations made per run."""
    return Engine(catalogue())


def force() -> Force:
    located = catalogue().force("warwickshire")
    assert located is not None
    return located.model


def run(workers: int, leave_out: str = "") -> RunResult:
    """Run every measure (bar one) for every force afresh (the sources read stay)."""
    shared = engine()
    shared.forget_evaluations()
    measures = [m for m in catalogue().measures if m.model.id != leave_out]
    return shared.run(force(), measures, all_forces=True, workers=workers)


def assert_same_result(got: RunResult, expected: RunResult) -> None:
    """Check two runs agree cell for cell, finding for finding, and in the same order."""
    pd.testing.assert_frame_equal(got.frame, expected.frame, check_exact=True)
    assert got.findings == expected.findings
    assert list(got.unavailable.items()) == list(expected.unavailable.items())
    assert list(got.not_supplied.items()) == list(expected.not_supplied.items())
    for name in ("plans", "sources", "evaluated"):
        assert list(getattr(got, name)) == list(getattr(expected, name)), name


def assert_one_finding(result: RunResult, what: str) -> None:
    """Check the run's one finding is a RUN002 on the first measure, saying ``what``."""
    (finding,) = result.findings
    assert finding.code == "RUN002"
    assert finding.message == f"{NO_SIGNALS}: {what}"
    assert "--workers 1" in finding.hint


@pytest.fixture(scope="module")
def one_process() -> RunResult:
    return run(1)


@pytest.mark.parametrize("workers", [2, 3])
def test_any_number_of_workers_gives_the_one_process_run(
    workers: int, one_process: RunResult
) -> None:
    assert len(one_process.frame) > 40_000  # every force's rows, every status judged
    assert one_process.frame["status"].notna().sum() > 20_000
    assert_same_result(run(workers), one_process)


UNREADABLE = "firearm_offences"  # the one measure on its dataset
UNPLANNED = "drug_related_homicide"
NO_SIGNALS = "cyber_dependent_offences"  # the first: a worker lays it out
NO_STATUS = "serious_violence"  # near the end: this process lays it out
NOT_SUPPLIED = "ocg_disruptions"


@pytest.fixture()
def failures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make measures fail at each stage: source, plan, layout (two ways), a table not supplied.

    The patched functions are the module's, so forked workers inherit the failures.
    """
    source, plan, missing = Engine.source, Engine.plan, Engine.missing_force_table
    signals, status = attach_signals, attach_status
    located = catalogue().measure(UNREADABLE)
    assert located is not None and located.model.source is not None
    unreadable_dataset = located.model.source.dataset

    def failing_source(self: Engine, dataset_id: str, force: Force) -> Any:
        if dataset_id == unreadable_dataset:
            raise SourceError("data/gone.csv", "the file is not there", "Put it back.")
        return source(self, dataset_id, force)

    def failing_plan(self: Engine, measure: Any, force: Force) -> Any:
        if measure.id == UNPLANNED:
            raise EvaluationError("no plan for this one", "A hint.")
        return plan(self, measure, force)

    def not_supplied(self: Engine, dataset_id: str, force: Force) -> str | None:
        if dataset_id == "force_ocg_disruptions":
            return "data/force/ocg.csv"
        return missing(self, dataset_id, force)

    def failing_signals(rows: pd.DataFrame, evaluated: Any, *args: Any) -> pd.DataFrame:
        if evaluated.plan.measure.id == NO_SIGNALS:
            raise ValueError("the signals overflowed")
        return signals(rows, evaluated, *args)

    def failing_status(rows: pd.DataFrame, evaluated: Any, *args: Any) -> pd.DataFrame:
        if evaluated.plan.measure.id == NO_STATUS:
            raise SourceError("db", "the database went away", "Try again.")
        return status(rows, evaluated, *args)

    monkeypatch.setattr(Engine, "source", failing_source)
    monkeypatch.setattr(Engine, "plan", failing_plan)
    monkeypatch.setattr(Engine, "missing_force_table", not_supplied)
    monkeypatch.setattr(run_module, "attach_signals", failing_signals)
    monkeypatch.setattr(run_module, "attach_status", failing_status)


@pytest.mark.usefixtures("failures")
def test_failures_are_the_same_findings_in_the_same_order() -> None:
    expected = run(1)
    failed = [f.message.split(":", 1)[0] for f in expected.findings if f.level == "error"]
    # In the catalogue's order: each where the one-process run meets it.
    assert failed == [NO_SIGNALS, UNPLANNED, UNREADABLE, NO_STATUS]
    assert list(expected.unavailable) == [UNREADABLE, NO_STATUS]
    assert list(expected.not_supplied) == [NOT_SUPPLIED]
    for workers in (2, 3):
        assert_same_result(run(workers), expected)


def test_a_worker_that_stops_is_a_finding_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    status = attach_status

    def dying_status(rows: pd.DataFrame, evaluated: Any, *args: Any) -> pd.DataFrame:
        # Only in a worker, and only on the first measure, which a worker always takes.
        if os.getpid() != PARENT and evaluated.plan.measure.id == NO_SIGNALS:
            os._exit(9)
        return status(rows, evaluated, *args)

    monkeypatch.setattr(run_module, "attach_status", dying_status)
    result = run(2)
    assert_one_finding(result, "the worker process laying out its rows stopped before it finished")
    # This process laid out every other measure once the worker had stopped.
    pd.testing.assert_frame_equal(result.frame, run(1, NO_SIGNALS).frame, check_exact=True)


def test_without_fork_the_run_stays_in_this_process(
    monkeypatch: pytest.MonkeyPatch, one_process: RunResult
) -> None:
    monkeypatch.setattr(run_module, "can_fork", lambda: False)
    monkeypatch.setattr(workers_module, "can_fork", lambda: False)

    def no_processes(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a process was started")

    monkeypatch.setattr(multiprocessing, "get_context", no_processes)
    assert_same_result(run(4), one_process)


def test_the_progress_names_every_measure_once(one_process: RunResult) -> None:
    told: list[str] = []
    engine().forget_evaluations()
    engine().run(force(), catalogue().measures, all_forces=True, workers=2, progress=told.append)
    computed = [m.model.id for m in catalogue().measures if m.model.source is not None]
    assert sorted(told) == sorted(computed)


def logging_calls(
    function: Callable[..., Any], log: Path, name: Callable[[Any], str]
) -> Callable[..., Any]:
    """Return ``function``, writing a line to ``log`` at each call: the process and a name.

    A line is written by whichever process calls it, forked workers too; ``name`` names the
    call by its first argument.
    """

    def logged(first: Any, *args: Any, **kwargs: Any) -> Any:
        with log.open("a") as out:
            out.write(f"{os.getpid()} {name(first)}\n")
        return function(first, *args, **kwargs)

    return logged


def test_the_sources_are_read_here_before_the_workers_fork(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = tmp_path / "reads.txt"
    logged = logging_calls(registry.read_dataset, log, lambda dataset: str(dataset.id))
    monkeypatch.setattr(registry, "read_dataset", logged)
    fresh = Engine(catalogue())  # no source read yet
    fresh.run(force(), catalogue().measures, all_forces=True, workers=2)
    reads = [line.split() for line in log.read_text().splitlines()]
    assert reads and {pid for pid, _ in reads} == {str(PARENT)}
    assert len({dataset for _, dataset in reads}) == len(reads)  # each once


def test_a_worker_evaluates_what_it_lays_out_and_this_process_every_measure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, one_process: RunResult
) -> None:
    log = tmp_path / "evaluations.txt"
    logged = logging_calls(evaluate_module.evaluate_plan, log, lambda plan: str(plan.measure.id))
    monkeypatch.setattr(run_module, "evaluate_plan", logged)
    assert_same_result(run(2), one_process)
    by_process: dict[str, list[str]] = {}
    for pid, measure in (line.split() for line in log.read_text().splitlines()):
        by_process.setdefault(pid, []).append(measure)
    here = by_process.pop(str(PARENT))
    assert here == list(one_process.evaluated)  # every measure, once, in order
    ((_, theirs),) = by_process.items()  # one worker, which evaluated its own first
    assert theirs and theirs == here[: len(theirs)]


def test_a_table_supplied_or_not_is_decided_once_for_every_process(
    monkeypatch: pytest.MonkeyPatch, one_process: RunResult
) -> None:
    missing = Engine.missing_force_table

    def changing(self: Engine, dataset_id: str, force: Force) -> str | None:
        # As if a force's table went missing once the workers had started.
        if os.getpid() != PARENT:
            return "data/force/gone.csv"
        return missing(self, dataset_id, force)

    monkeypatch.setattr(Engine, "missing_force_table", changing)
    assert_same_result(run(2), one_process)


def test_a_measure_a_worker_cannot_evaluate_is_a_finding_not_a_gap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = Engine.plan

    def failing_in_a_worker(self: Engine, measure: Any, force: Force) -> Any:
        # Only in a worker, and only for the first measure, which a worker always takes.
        if os.getpid() != PARENT and measure.id == NO_SIGNALS:
            raise EvaluationError("no plan in the worker", "A hint.")
        return plan(self, measure, force)

    monkeypatch.setattr(Engine, "plan", failing_in_a_worker)
    result = run(2)
    assert_one_finding(
        result, "the worker process laying out its rows could not evaluate it, though this run did"
    )
    pd.testing.assert_frame_equal(result.frame, run(1, NO_SIGNALS).frame, check_exact=True)
    assert NO_SIGNALS not in set(result.frame["measure"])
