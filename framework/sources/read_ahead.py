"""Read datasets in a second process while this one works, and hand them over when asked.

A statement reads some ten datasets one after another, each evaluated as soon as it is
read. On a machine with a second core, :class:`ReadAhead` forks one helper process that
reads them from the last needed backwards, while this process reads and evaluates them
from the first. Each dataset is claimed before it is read, by whichever process comes to
it first, so none is read twice: this process waits only for a dataset the helper is
already reading, and reads every one the helper has not claimed itself, so a helper that
falls behind (the other core busy) costs little. The frames the helper reads come back
pickled through a pipe, which a thread here drains as they arrive.

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
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from framework.sources.base import SourceFrame

WAIT_SECONDS = 120.0
"""How long a dataset the helper is reading is waited for before it is read here instead."""
LOCK_SECONDS = 5.0
"""How long a claim may wait for the other process (which only holds it to mark a flag)."""

Job = tuple[Hashable, Callable[[], "SourceFrame"]]
"""A dataset to read: the key it is asked for by, and how to read it."""

_FREE, _HERE, _HELPER = 0, 1, 2
"""Who has claimed a dataset: no one yet, this process, the helper."""


def can_read_ahead() -> bool:
    """Say whether a helper process can be forked and has a core of its own to run on."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not every system can say which cores the process may use
        cores = os.cpu_count() or 1
    return cores > 1


class ReadAhead:
    """Datasets a forked helper reads from the last backwards; :meth:`take` each when needed.

    ``jobs`` are in the order this process will need them; each key once.
    """

    def __init__(self, jobs: Sequence[Job]) -> None:
        self._index = {key: index for index, (key, _) in enumerate(jobs)}
        self._arrived: dict[int, SourceFrame | None] = {}
        self._done = False
        self._broken = False
        self._changed = threading.Condition()
        self._pid: int | None = None
        self._drain: threading.Thread | None = None
        if not jobs:
            self._done = True
            return
        context = multiprocessing.get_context("fork")
        self._claims: Any = context.RawArray("b", len(jobs))  # shared with the helper
        self._lock: Any = context.Lock()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: read, send, and leave without running this process's exits
            os.close(read_end)
            _helper(jobs, self._claims, self._lock, write_end)
        os.close(write_end)
        self._pid = pid
        stream = os.fdopen(read_end, "rb")
        self._drain = threading.Thread(
            target=self._receive, args=(stream,), name="read-ahead", daemon=True
        )
        self._drain.start()

    def take(self, key: Hashable) -> SourceFrame | None:
        """Return the frame the helper read for ``key``, or ``None``: then read it here.

        ``None`` for a key the helper was not given or has not claimed (it is this
        process's now), one it failed at or could not send, and one not sent within
        :data:`WAIT_SECONDS`. Each frame is handed over once.
        """
        index = self._index.pop(key, None)
        if index is None or self._broken:
            return None
        if self._claim(index) != _HELPER:
            return None
        with self._changed:
            self._changed.wait_for(lambda: index in self._arrived or self._done, WAIT_SECONDS)
            return self._arrived.pop(index, None)

    def wait(self, timeout: float) -> bool:
        """Wait until the helper has sent all it will; say whether it has."""
        with self._changed:
            return self._changed.wait_for(lambda: self._done, timeout)

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
            self._index.clear()
            self._arrived.clear()
            self._changed.notify_all()

    def _claim(self, index: int) -> int:
        """Claim a dataset for this process unless the helper has; return who holds it."""
        if not self._lock.acquire(timeout=LOCK_SECONDS):
            self._broken = True  # a helper killed while it held the lock: do without it
            return _HERE
        try:
            if self._claims[index] == _FREE:
                self._claims[index] = _HERE
            return int(self._claims[index])
        finally:
            self._lock.release()

    def _receive(self, stream: IO[bytes]) -> None:
        """Keep each frame the helper sends, until it closes the pipe or sends garbage."""
        with stream:
            while True:
                try:
                    index, frame = pickle.load(stream)
                except Exception:  # the end of the pipe, or a helper that died mid-frame
                    break
                with self._changed:
                    self._arrived[index] = frame
                    self._changed.notify_all()
        with self._changed:
            self._done = True
            self._changed.notify_all()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _helper(jobs: Sequence[Job], claims: Any, lock: Any, write_end: int) -> None:
    """Read the jobs from the last backwards until one is claimed here; never return."""
    code = 0
    try:
        # The terminal's Ctrl-C reaches this process too: the parent decides what stops.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with os.fdopen(write_end, "wb") as out:
            for index in range(len(jobs) - 1, -1, -1):
                with lock:
                    if claims[index] != _FREE:
                        break  # this process has come this far: the rest are its own
                    claims[index] = _HELPER
                try:
                    frame: SourceFrame | None = jobs[index][1]()
                    data = pickle.dumps((index, frame), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # read here instead, where the error is reported
                    data = pickle.dumps((index, None), protocol=pickle.HIGHEST_PROTOCOL)
                out.write(data)
                out.flush()
    except BaseException:
        code = 1
    finally:
        os._exit(code)
