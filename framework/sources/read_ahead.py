"""Read some datasets in a second process while this one works, and hand them over when asked.

A statement reads some ten datasets one after another, each evaluated as soon as it is
read. On a machine with a second core, :class:`ReadAhead` forks one process that reads the
datasets needed later, while this process reads and evaluates those needed first; each
frame the helper reads comes back pickled through a pipe, which a thread here drains as it
arrives, so the helper never waits on this process.

Nothing depends on the helper: a dataset it could not read (a :class:`SourceError`, say),
could not send, or has not sent within :data:`WAIT_SECONDS` is read here instead, so the
error, the findings and the frame are always those of reading it here. Where processes
cannot be forked, or there is one core, nothing is read ahead.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from framework.sources.base import SourceFrame

WAIT_SECONDS = 120.0
"""How long a dataset the helper reads is waited for before it is read here instead."""

Job = tuple[Hashable, Callable[[], "SourceFrame"]]
"""A dataset to read: the key it is asked for by, and how to read it."""


def can_read_ahead() -> bool:
    """Say whether a helper process can be forked and has a core of its own to run on."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not every system can say which cores the process may use
        cores = os.cpu_count() or 1
    return cores > 1


def later_part(keys: Sequence[Hashable]) -> list[Hashable]:
    """Return the keys a helper reads: the later two thirds of those needed, in that order.

    This process evaluates each dataset as it reads it, while the helper only reads, so
    the helper can take the larger part and still be ahead; the first key, needed at once
    (the population), is always left here.
    """
    distinct = list(dict.fromkeys(keys))
    return distinct[max(1, len(distinct) // 3) :]


class ReadAhead:
    """Datasets being read by a forked helper process; :meth:`take` one when it is needed."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self._order = [key for key, _ in jobs]
        self._keys = list(self._order)  # not taken yet
        self._arrived: dict[Hashable, SourceFrame | None] = {}
        self._done = False
        self._changed = threading.Condition()
        self._pid: int | None = None
        self._drain: threading.Thread | None = None
        if not jobs:
            self._done = True
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: read, send, and leave without running this process's exits
            os.close(read_end)
            _helper(jobs, write_end)
        os.close(write_end)
        self._pid = pid
        stream = os.fdopen(read_end, "rb")
        self._drain = threading.Thread(
            target=self._receive, args=(stream,), name="read-ahead", daemon=True
        )
        self._drain.start()

    @property
    def keys(self) -> list[Hashable]:
        """Return the keys the helper reads, in its order."""
        return list(self._order)

    def take(self, key: Hashable) -> SourceFrame | None:
        """Return the frame the helper read for ``key``, or ``None``: then read it here.

        ``None`` for a key the helper does not read, one it failed or could not send, and
        one not sent within :data:`WAIT_SECONDS`. Each frame is handed over once.
        """
        if key not in self._keys:
            return None
        with self._changed:
            self._changed.wait_for(lambda: key in self._arrived or self._done, WAIT_SECONDS)
            frame = self._arrived.pop(key, None)
            self._keys.remove(key)
        return frame

    def close(self) -> None:
        """Stop the helper if it is still reading, and wait for it to end."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None
        if self._drain is not None:
            self._drain.join()
            self._drain = None
        with self._changed:
            self._done = True
            self._keys.clear()
            self._arrived.clear()
            self._changed.notify_all()

    def _receive(self, stream: IO[bytes]) -> None:
        """Keep each frame the helper sends, until it closes the pipe or sends garbage."""
        with stream:
            while True:
                try:
                    index, frame = pickle.load(stream)
                    key = self._order[index]
                except Exception:  # the end of the pipe, or a helper that died mid-frame
                    break
                with self._changed:
                    self._arrived[key] = frame
                    self._changed.notify_all()
        with self._changed:
            self._done = True
            self._changed.notify_all()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _helper(jobs: Sequence[Job], write_end: int) -> None:
    """Read each job's dataset and send it (``None`` when it fails); never return."""
    code = 0
    try:
        # The terminal's Ctrl-C reaches this process too: the parent decides what stops.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with os.fdopen(write_end, "wb") as out:
            for index, (_, read) in enumerate(jobs):
                try:
                    frame: SourceFrame | None = read()
                    data = pickle.dumps((index, frame), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # read here instead, where the error is reported
                    data = pickle.dumps((index, None), protocol=pickle.HIGHEST_PROTOCOL)
                out.write(data)
                out.flush()
    except BaseException:
        code = 1
    finally:
        os._exit(code)
