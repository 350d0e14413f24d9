"""Run numbered tasks in forked worker processes and return their results in order.

The workers are forked from the process that holds everything the tasks read (a run's
sources and evaluations), so they start at once, share its memory, and are sent nothing
but each task's number; only the results travel back. Where processes cannot be forked
(Windows, macOS by default) there are no workers: callers run the tasks themselves.

A worker that stops (killed, out of memory, a crash in a compiled library) does not leave
the run waiting: each task it had not finished comes back as :class:`Stopped`.

A result does not travel through the pool's pipe but through memory shared with the
workers (:class:`_Shelf`): the pipe is read by a thread of this process, which needs the
interpreter's lock for every chunk while this process runs tasks of its own, so a large
result through it kept the worker waiting and slowed this process too.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import multiprocessing
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Stopped:
    """A task whose worker process stopped before it returned a result."""


class _Taken:
    """What a worker returns for a task this process took first."""


SHELF_BYTES = 1 << 28
"""How much memory the workers may share their results in (pages are taken as they are
written and given back as they are read; a system that counts the whole mapping against
its memory limit up front may refuse it, and the results then take the pipe)."""


@dataclass(frozen=True)
class _Shelved:
    """Where on the shelf a worker put a task's result: its pickle's start and length."""

    start: int
    length: int


class _Shelf:
    """Memory shared with the workers, where each puts its results' pickles one after another.

    It is mapped before the workers are forked, so they share it; a worker reserves the
    next free bytes under a shared lock. Pages are taken only as they are written.
    """

    def __init__(self, memory: mmap.mmap, used: Any) -> None:
        self.memory = memory
        self.used = used
        """A shared integer: how many bytes are reserved, behind a lock every process shares."""

    @classmethod
    def open(cls, context: Any) -> _Shelf | None:
        """Map the shared memory; None where the system will not (results take the pipe)."""
        try:
            memory = mmap.mmap(-1, SHELF_BYTES)
        except (OSError, ValueError, OverflowError):
            return None  # too much to reserve here (strict overcommit, a 32-bit system)
        return cls(memory, context.Value("q", 0))

    def put(self, value: object) -> object:
        """Put a result on the shelf and return where it is; one that does not fit, as it is."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self.used.get_lock():
            start = self.used.value
            if start + len(data) > len(self.memory):
                return value  # the shelf is full: the pipe carries this one
            self.used.value = start + len(data)
        self.memory[start : start + len(data)] = data
        return _Shelved(start, len(data))

    def take(self, value: object) -> object:
        """Return the result a worker sent: from the shelf where it put it there."""
        if not isinstance(value, _Shelved):
            return value
        data = self.memory[value.start : value.start + value.length]
        self._release(value.start, value.length)
        return pickle.loads(data)

    def _release(self, start: int, length: int) -> None:
        """Give the system back the pages wholly inside a result that has been read.

        The space is not reused: without this, every result would stay in memory, as well
        as its copy here, until the tasks are done.
        """
        page = mmap.PAGESIZE
        first = -(-start // page) * page
        last = (start + length) // page * page
        if last > first and hasattr(mmap, "MADV_REMOVE"):
            # Where the system cannot, the pages are kept until the tasks are done.
            with contextlib.suppress(OSError):
                self.memory.madvise(mmap.MADV_REMOVE, first, last - first)

    def close(self) -> None:
        """Unmap the shared memory (the workers have finished with it)."""
        self.memory.close()


@dataclass
class _Job(Generic[T]):
    """The tasks the workers inherit, and who has taken each (0: no one yet)."""

    task: Callable[[int], T]
    taken: Any
    """A shared array of bytes, one a task, behind a lock shared by every process."""
    shelf: _Shelf | None = None
    """Where the workers put their results (None: they send them through the pipe)."""

    def take(self, index: int) -> bool:
        """Take a task for the calling process; return False if another has it."""
        with self.taken.get_lock():
            if self.taken[index]:
                return False
            self.taken[index] = 1
            return True


_JOB: list[_Job[Any]] = []
"""The job the forked workers inherit (set just before they start, cleared after)."""


def can_fork() -> bool:
    """Return whether this system can fork worker processes."""
    return "fork" in multiprocessing.get_all_start_methods()


def available_cores() -> int:
    """Return how many cores this process may run on (1 where it cannot fork)."""
    if not can_fork():
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not every system can say which cores the process may use
        return max(1, os.cpu_count() or 1)


def _in_worker(index: int) -> object:
    """Run one task in a worker, on what the parent held when it forked, unless taken."""
    job = _JOB[0]
    if not job.take(index):
        return _Taken()
    result = job.task(index)
    return result if job.shelf is None else job.shelf.put(result)


def in_workers(
    count: int,
    remote: Callable[[int], T],
    local: Callable[[int], T],
    workers: int,
    done: Callable[[int], None] | None = None,
) -> list[T | Stopped]:
    """Return the result of each task ``0 .. count - 1``, shared among ``workers`` processes.

    This process is one of them: it forks ``workers - 1`` workers, which run ``remote(i)``
    on the tasks from the first on, as each comes free, while it runs ``local(i)`` itself on
    the tasks from the last back, until the two meet. With one process (``workers`` 1, one
    task, no fork on this system, or in a worker itself) it runs ``local`` on every task.
    ``done(i)`` is called here as each result arrives. A remote result must pickle; an
    exception a task raises is raised here (as it would be without workers), after the
    workers have finished what they started.
    """
    from concurrent.futures import Future, ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    results: dict[int, T | Stopped] = {}

    def finished(index: int, result: T | Stopped) -> None:
        results[index] = result
        if done is not None:
            done(index)

    if workers <= 1 or count <= 1 or not can_fork() or _JOB:
        # One process, or none to fork (nor workers of a worker): every task here, in order.
        for index in range(count):
            finished(index, local(index))
        return [results[i] for i in range(count)]

    context = multiprocessing.get_context("fork")
    job = _Job(remote, context.Array("b", count), _Shelf.open(context))
    _JOB.append(job)
    # Every object there is now is left out of garbage collection until the tasks are done:
    # a collection in any process would otherwise walk them all, writing to pages the
    # processes share, which the system must then copy for each (unless a caller froze
    # them already).
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        forks = max(1, min(workers - 1, count - 1))
        with ProcessPoolExecutor(forks, mp_context=context) as pool:
            futures: dict[Future[object], int] = {}
            try:
                for index in range(count):
                    futures[pool.submit(_in_worker, index)] = index
            except BrokenProcessPool:
                pass  # a worker stopped already: the tasks not handed out are taken here
            try:
                # The workers take the tasks in order from the first; this process takes
                # them from the last back, until it meets one a worker has taken.
                for index in reversed(range(count)):
                    if not job.take(index):
                        break
                    finished(index, local(index))
                for future in as_completed(futures):
                    index = futures[future]
                    try:
                        result: T | Stopped | _Taken = future.result()  # type: ignore[assignment]
                        if job.shelf is not None:
                            result = job.shelf.take(result)  # type: ignore[assignment]
                    except BrokenProcessPool:  # the worker stopped: killed, a crash
                        result = Stopped()
                    if index not in results and not isinstance(result, _Taken):
                        finished(index, result)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        if freeze:
            gc.unfreeze()
        _JOB.clear()
        if job.shelf is not None:
            job.shelf.close()
    # Every task has a result by now; a task without one would be a worker's that stopped.
    return [results.get(i, Stopped()) for i in range(count)]
