"""Tasks shared among forked workers and this process: every result, in order, no hang."""

from __future__ import annotations

import gc
import mmap
import multiprocessing
import os
import time
from collections.abc import Callable
from typing import TypeVar

import pytest

from framework.engine import workers
from framework.engine.workers import Stopped, available_cores, can_fork, in_workers

needs_fork = pytest.mark.skipif(not can_fork(), reason="this system cannot fork")
PARENT = os.getpid()
T = TypeVar("T")


def where(index: int) -> tuple[int, int]:
    """Return the task's number and the process that ran it."""
    time.sleep(0.02)  # long enough for the workers to take some of the tasks
    return index, os.getpid()


def slowly(seconds: float, task: Callable[[int], T]) -> Callable[[int], T]:
    """Return the task, taking ``seconds`` longer."""

    def slow(index: int) -> T:
        time.sleep(seconds)
        return task(index)

    return slow


@needs_fork
@pytest.mark.parametrize(("count", "processes"), [(1, 2), (2, 2), (9, 2), (9, 3), (5, 8)])
def test_every_result_comes_back_in_order(count: int, processes: int) -> None:
    done: list[int] = []
    results = in_workers(count, where, where, processes, done.append)
    assert [r[0] for r in results if not isinstance(r, Stopped)] == list(range(count))
    assert sorted(done) == list(range(count))
    ran_in = {pid for _, pid in results if not isinstance(_, Stopped)}  # type: ignore[misc]
    # This process is one of the workers; with one task it is the only one.
    assert PARENT in ran_in or count > 1
    assert len(ran_in) <= min(processes, count)


@needs_fork
def test_the_workers_take_the_first_tasks_and_this_process_the_last() -> None:
    results = in_workers(12, where, where, 2, None)
    pids = [pid for _, pid in results]  # type: ignore[misc]
    assert pids[0] != PARENT and pids[-1] == PARENT
    # The worker took the tasks from the first on, this process from the last back.
    first_here = pids.index(PARENT)
    assert all(pid == PARENT for pid in pids[first_here:])


def test_one_process_runs_every_task_here() -> None:
    results = in_workers(4, lambda i: (i, -1), where, 1, None)
    assert results == [(i, PARENT) for i in range(4)]


def test_without_fork_every_task_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    results = in_workers(4, lambda i: (i, -1), where, 4, None)
    assert results == [(i, PARENT) for i in range(4)]
    assert available_cores() == 1


@needs_fork
def test_a_worker_that_stops_leaves_its_tasks_stopped_not_waiting() -> None:
    def crash(index: int) -> tuple[int, int]:
        os._exit(3)  # as a worker killed by the system would

    started = time.monotonic()
    results = in_workers(8, crash, slowly(0.05, lambda i: (i, PARENT)), 2, None)
    assert time.monotonic() - started < 30
    assert isinstance(results[0], Stopped)  # the worker took the first task and stopped
    for index, result in enumerate(results):
        assert isinstance(result, Stopped) or result == (index, PARENT)


@needs_fork
def test_a_tasks_error_is_raised_here_as_without_workers() -> None:
    def fail(index: int) -> int:
        if index == 0:
            raise KeyError("a bug")
        return index

    with pytest.raises(KeyError, match="a bug"):
        in_workers(6, fail, slowly(0.02, lambda i: i), 2, None)
    assert workers._JOB == []  # nothing left for the next run's workers


@needs_fork
def test_a_worker_runs_further_tasks_itself() -> None:
    def nested(index: int) -> tuple[int, set[int]]:
        inner = in_workers(3, where, where, 2, None)
        return os.getpid(), {pid for _, pid in inner}  # type: ignore[misc]

    for result in in_workers(4, nested, nested, 2, None):
        assert not isinstance(result, Stopped)
        asked, ran_in = result
        assert ran_in == {asked}  # all in the one process that asked, none forked


def sized(index: int) -> tuple[int, int, list[int]]:
    """Return the task's number, its process and a result of a size that grows with it."""
    number, pid = where(index)
    return number, pid, list(range(index * 1000))


def what_came_back(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Return a list that gathers what each worker sends back through the pipe, as sent."""
    sent: list[object] = []
    take = workers._Shelf.take

    def spy(self: workers._Shelf, value: object) -> object:
        sent.append(value)
        return take(self, value)

    monkeypatch.setattr(workers._Shelf, "take", spy)
    return sent


@needs_fork
def test_a_result_too_big_for_the_shared_memory_comes_through_the_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers, "SHELF_BYTES", 8_000)  # the first results fit, later ones not
    sent = what_came_back(monkeypatch)
    results = in_workers(8, slowly(0.05, sized), slowly(0.05, sized), 2, None)
    assert [r[0] for r in results] == list(range(8))  # type: ignore[index]
    assert [r[2] for r in results] == [list(range(i * 1000)) for i in range(8)]  # type: ignore[index]
    assert any(r[1] != PARENT for r in results)  # type: ignore[index]
    through_pipe = [v for v in sent if not isinstance(v, (workers._Shelved, workers._Taken))]
    assert through_pipe  # the results too big for the shelf came as they are


@needs_fork
def test_without_shared_memory_results_come_through_the_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers._Shelf, "open", classmethod(lambda cls, context: None))
    results = in_workers(6, sized, sized, 2, None)
    assert [r[2] for r in results] == [list(range(i * 1000)) for i in range(6)]  # type: ignore[index]
    assert any(r[1] != PARENT for r in results)  # type: ignore[index]


@needs_fork
def test_a_worker_puts_its_results_in_the_shared_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    shelved = what_came_back(monkeypatch)
    results = in_workers(6, sized, sized, 2, None)
    remote = [r for r in results if r[1] != PARENT]  # type: ignore[index]
    # What came through the pipe: where each result is, or that this process took the task.
    sent = [value for value in shelved if not isinstance(value, workers._Taken)]
    assert remote and len(sent) == len(remote)
    assert all(isinstance(value, workers._Shelved) for value in sent)


def frozen(index: int) -> tuple[int, int, int]:
    """Return the task's number, its process and how many objects are left out of collection."""
    number, pid = where(index)
    return number, pid, gc.get_freeze_count()


@needs_fork
def test_the_objects_there_before_the_fork_are_left_out_of_collection_until_done() -> None:
    assert gc.get_freeze_count() == 0
    results = in_workers(6, frozen, frozen, 2, None)
    assert all(r[2] > 0 for r in results)  # type: ignore[index]
    assert {r[1] for r in results} - {PARENT}  # type: ignore[index]
    assert gc.get_freeze_count() == 0  # back in collection afterwards


@needs_fork
def test_objects_a_caller_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        in_workers(4, frozen, frozen, 2, None)
        assert gc.get_freeze_count() > 0  # not unfrozen: the caller's to do
    finally:
        gc.unfreeze()


@needs_fork
def test_a_result_read_from_the_shared_memory_gives_its_pages_back() -> None:
    context = multiprocessing.get_context("fork")
    shelf = workers._Shelf.open(context)
    assert shelf is not None
    try:
        value = list(range(20_000))  # some 100 kB pickled: many whole pages
        where = shelf.put(value)
        assert isinstance(where, workers._Shelved)
        assert shelf.take(where) == value
        page = mmap.PAGESIZE
        first = -(-where.start // page) * page
        last = (where.start + where.length) // page * page
        assert last - first >= 10 * page
        if hasattr(mmap, "MADV_REMOVE"):
            assert shelf.memory[first:last] == bytes(last - first)  # given back: reads as 0
    finally:
        shelf.close()
